"""E-mails to the buyer about their parcel: hand-over, customs hold, re-route and delivery.

Every writer of tracking events calls `parcel_emails_schedule` with the events it wrote (one at a
time through `logistics.services.tracking`, or in bulk from the simulation tick); this module picks
the ones that warrant an e-mail and writes their jobs in the writer's transaction (`logistics.jobs`).

Exactly once per event: the sending job records a `ParcelEmail` row (primary key: the event) in the
same transaction as it hands the mail over, so a redelivered or repeated job sends nothing twice,
and a failed send rolls the record back for the retry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ewtp.mail import mail_send
from logistics import jobs
from logistics.models import ParcelEmail, TrackingEvent, TrackingStatus

logger = logging.getLogger(__name__)

# (status, substatus or None for any) → the kind of e-mail, which names its template.
KINDS: dict[tuple[str, str | None], str] = {
    (TrackingStatus.PICKED_UP, None): "handed_over",
    (TrackingStatus.CUSTOMS, "held"): "customs_hold",
    (TrackingStatus.REROUTED, None): "rerouted",
    (TrackingStatus.DELIVERED, None): "delivered",
}


def _warrants_email() -> Q:
    q = Q()
    for status, substatus in KINDS:
        q |= Q(status=status) if substatus is None else Q(status=status, substatus=substatus)
    return q


WARRANTS_EMAIL = _warrants_email()


def _kind(status: str, substatus: str) -> str | None:
    return KINDS.get((status, substatus)) or KINDS.get((status, None))


def parcel_email_warranted(status: str, substatus: str) -> bool:
    """Whether an event of this status/substatus is worth an e-mail to the buyer (no query)."""
    return _kind(status, substatus) is not None


def parcel_emails_schedule(event_ids: Iterable[int], *, warranted: bool = False) -> None:
    """Ask for the buyer's e-mails for these tracking events, in the writer's transaction.

    Contract for writers: pass the ids of the events you inserted (not ones dropped as duplicates),
    inside the transaction that wrote them. One query picks those that warrant an e-mail (none when
    no id is given, nor when the writer says it kept only such events: `warranted`, checked with
    `parcel_email_warranted`); their jobs go in the outbox with the events."""
    ids = sorted(set(event_ids))
    if not ids:
        return
    wanted = (
        ids
        if warranted
        else list(
            TrackingEvent.objects.filter(WARRANTS_EMAIL, pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    )
    if wanted:
        jobs.send_parcel_emails(wanted)


# The sweeper leaves the normal path (the job and its retries) this long to send an event's e-mail,
# and gives up after `SWEEP_WITHIN` (a parcel e-mail days late is noise; the tracking page has it).
SWEEP_AFTER = timedelta(minutes=5)
SWEEP_WITHIN = timedelta(days=2)


def parcel_emails_sweep(*, now: datetime | None = None) -> int:
    """Beat: ask again for the e-mails whose job gave up — events that warrant one, recorded
    between `SWEEP_WITHIN` and `SWEEP_AFTER` ago, to a buyer with an address, not e-mailed yet (a
    mail server down longer than the job's retries). Sending is once per event (`ParcelEmail`), so
    a job that was only slow costs nothing twice. Returns how many events were asked for again."""
    now = now or timezone.now()
    missed = list(
        TrackingEvent.objects.filter(
            WARRANTS_EMAIL,
            parcel_email__isnull=True,
            recorded_at__gte=now - SWEEP_WITHIN,
            recorded_at__lte=now - SWEEP_AFTER,
        )
        .exclude(shipment__consignment__order__buyer__email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if missed:
        logger.warning("asking again for %d parcel e-mails (their jobs gave up)", len(missed))
        jobs.send_parcel_emails(missed)
    return len(missed)


def parcel_emails_send(*, event_ids: Iterable[int]) -> int:
    """Send the buyer's e-mail for each of these events not e-mailed yet; returns how many went out.

    Each event is its own transaction: the `ParcelEmail` row is inserted first (a concurrent run of
    the same job waits on it, then finds it taken) and the mail handed over before the commit. A
    failed hand-over raises and rolls the row back, so the job's retry sends it; a crash between
    the hand-over and the commit is the one case that can send twice."""
    ids = sorted(set(event_ids))
    events = list(
        TrackingEvent.objects.filter(WARRANTS_EMAIL, pk__in=ids, parcel_email__isnull=True)
        .select_related("hub", "shipment__consignment__order__buyer", "shipment__consignment__shop")
        .order_by("occurred_at", "id")
    )
    sent = 0
    for event in events:
        kind = _kind(event.status, event.substatus)
        order = event.shipment.consignment.order
        if kind is None or not order.buyer.email:
            continue
        with translation.override(order.language or settings.LANGUAGE_CODE):  # the buyer's language
            subject, body = _render(kind, event)
            try:
                with transaction.atomic():
                    ParcelEmail.objects.create(event=event, kind=kind)
                    mail_send(subject=subject, text=body, to=[order.buyer.email])
            except IntegrityError:  # another run of this job sent it meanwhile
                logger.info("parcel e-mail for event %s already sent", event.pk)
                continue
            sent += 1
    return sent


SUBJECTS = {
    "handed_over": _("Your parcel %(number)s is on its way (order %(order)s)"),
    "customs_hold": _("Your parcel %(number)s is held by customs (order %(order)s)"),
    "rerouted": _("Your parcel %(number)s is taking another route (order %(order)s)"),
    "delivered": _("Your parcel %(number)s was delivered (order %(order)s)"),
}


def _render(kind: str, event: TrackingEvent) -> tuple[str, str]:
    """Only what the buyer already knows or may see on the public tracking page: their own order,
    the shop's name, the hubs' cities; never the seller's or anyone else's contact details."""
    shipment = event.shipment
    consignment = shipment.consignment
    order = consignment.order
    site_url = getattr(settings, "EWTP_SITE_URL", "").rstrip("/")
    context = {
        "event": event,
        "shipment": shipment,
        "order": order,
        "shop_name": consignment.shop.name,
        "hub_city": event.hub.city if event.hub else "",
        "tracking_url": f"{site_url}/track/{shipment.tracking_number}/",
        "order_url": f"{site_url}/orders/{order.number}/",
    }
    subject = str(SUBJECTS[kind]) % {"number": shipment.tracking_number, "order": order.number}
    return subject, render_to_string(f"emails/parcel_{kind}.txt", context)
