"""Women-owned and youth-led shops: a seller claims a badge with evidence, an operator decides, a
verified shop carries it. The evidence is private and deleted `EWTP_BADGE_EVIDENCE_DAYS` after the
decision (beat: `badge_evidence_purge`); what stays is the decision and who made it."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ewtp import versions
from ewtp.exceptions import DomainError, PermissionDenied, field_error
from marketplace.models import Badge, BadgeClaim, ClaimStatus, Shop, User

EVIDENCE_TYPES = {"PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png"}
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
YOUTH_AGE = 35  # "youth-led": the founder is under 35



def evidence_type(upload: UploadedFile) -> str:
    """The evidence's real type, read from its bytes (never its name or the browser's word): a PDF,
    a JPEG or a PNG, at most 5 MB; anything else is refused."""
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise field_error("evidence", _("The evidence file can be at most 5 MB."))
    upload.seek(0)
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise field_error("evidence", _("The evidence file can be at most 5 MB."))
    if data.startswith(b"%PDF-"):
        return EVIDENCE_TYPES["PDF"]
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind not in ("JPEG", "PNG"):
        raise field_error("evidence", _("Send the evidence as a PDF, a JPEG or a PNG."))
    return EVIDENCE_TYPES[kind]


def badge_claim(
    *,
    shop: Shop,
    actor: User,
    badge: str,
    evidence: UploadedFile | None,
    statement: str = "",
    founder_birth_year=None,
) -> BadgeClaim:
    """A claim waiting for an operator. One live claim per badge (a rejected one may be made again)."""
    if shop.owner_id != actor.pk:
        raise PermissionDenied(_("You can only claim badges for your own shop."))
    if badge not in Badge.values:
        raise field_error("badge", _("Choose women-owned or youth-led."))
    if evidence is None:
        raise field_error(
            "evidence", _("Attach a document that shows it (a registration, an ID, a certificate).")
        )
    kind = evidence_type(evidence)
    statement = str(statement or "").strip()
    if len(statement) > 1000:
        raise field_error("statement", _("Say it in at most 1,000 characters."))
    year = None
    if badge == Badge.YOUTH_LED:
        this_year = timezone.localdate().year
        try:
            year = int(str(founder_birth_year or "").strip())
        except ValueError:
            year = None
        if year is None or not this_year - 100 <= year <= this_year:
            raise field_error("founder_birth_year", _("Enter the founder's year of birth, like 2001."))
        if this_year - year >= YOUTH_AGE:
            raise field_error(
                "founder_birth_year",
                _("A youth-led shop's founder is under %(age)d; this founder is not.") % {"age": YOUTH_AGE},
            )
    try:
        with transaction.atomic():
            return BadgeClaim.objects.create(
                shop=shop,
                badge=badge,
                statement=statement,
                founder_birth_year=year,
                evidence=evidence,
                evidence_type=kind,
            )
    except IntegrityError:
        raise DomainError(_("This badge is already claimed or verified for your shop.")) from None


@transaction.atomic
def badge_decide(*, claim: BadgeClaim, operator: User, verified: bool, note: str = "") -> BadgeClaim:
    """An operator's decision on a waiting claim: a verified one puts the badge on the shop (and so
    on its products and cards: the catalog version moves)."""
    if not operator.is_staff:
        raise PermissionDenied(_("Only operators decide on badges."))
    claim = BadgeClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise DomainError(_("This claim was already decided."))
    claim.status = ClaimStatus.VERIFIED if verified else ClaimStatus.REJECTED
    claim.decided_at, claim.decided_by, claim.decision_note = timezone.now(), operator, str(note)[:240]
    claim.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    if verified:
        Shop.objects.filter(pk=claim.shop_id).update(**{claim.badge: True})
        versions.bump_on_commit(versions.CATALOG)
    return claim


@transaction.atomic
def badge_revoke(*, claim: BadgeClaim, operator: User, note: str = "") -> BadgeClaim:
    """Take a verified badge back (the evidence did not hold): the shop loses it at once."""
    if not operator.is_staff:
        raise PermissionDenied(_("Only operators decide on badges."))
    claim = BadgeClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.VERIFIED:
        raise DomainError(_("Only a verified badge can be taken back."))
    claim.status, claim.decided_at, claim.decided_by = ClaimStatus.REJECTED, timezone.now(), operator
    claim.decision_note = str(note)[:240]
    claim.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    Shop.objects.filter(pk=claim.shop_id).update(**{claim.badge: False})
    versions.bump_on_commit(versions.CATALOG)
    return claim


def evidence_keep_days() -> int:
    return int(getattr(settings, "EWTP_BADGE_EVIDENCE_DAYS", 30))


def badge_evidence_purge(*, now: datetime | None = None) -> int:
    """Beat, daily: delete the evidence of claims decided more than `EWTP_BADGE_EVIDENCE_DAYS` ago.
    The row is marked first and the file removed after commit, so a crash leaves at worst a file
    no row points at, never a row pointing at nothing."""
    cutoff = (now or timezone.now()) - timedelta(days=evidence_keep_days())
    due = BadgeClaim.objects.filter(decided_at__lt=cutoff, evidence_deleted_at__isnull=True).exclude(
        evidence=""
    )
    purged = 0
    for claim in due.order_by("pk")[:1000]:
        name, storage = claim.evidence.name, claim.evidence.storage
        with transaction.atomic():
            BadgeClaim.objects.filter(pk=claim.pk).update(evidence="", evidence_deleted_at=timezone.now())
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        purged += 1
    return purged
