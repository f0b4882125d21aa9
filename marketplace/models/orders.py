"""Orders: what a buyer bought, split into one consignment per shop, with everything they were shown
(prices, exchange rates, route, duty and tax) snapshotted onto the rows when the order was placed.

Statuses are transition tables beside their enums; every change goes through
`services.orders` and appends an event row (who, when, from, to).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ewtp.money import Money

AMOUNT = {"max_digits": 18, "decimal_places": 3}
# What a total must equal. Rounded to the columns' scale: a no-op on PostgreSQL's exact numerics,
# while SQLite (the zero-configuration demo) adds its decimals as floats (12.34 + 5.67 ≠ 18.01).
TOTAL_OF_PARTS = Round(
    models.F("goods_amount") + models.F("shipping_amount") + models.F("duty_amount") + models.F("tax_amount"),
    AMOUNT["decimal_places"],
)


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")  # placed, stock reserved, not paid
    PAID = "paid", _("Paid")  # money held in escrow, sellers may ship
    IN_FULFILMENT = "in_fulfilment", _("In fulfilment")  # at least one parcel handed over
    COMPLETED = "completed", _("Completed")  # every consignment delivered
    CANCELLED = "cancelled", _("Cancelled")  # by the buyer before hand-over; stock back, refunded
    EXPIRED = "expired", _("Expired")  # not paid in time; stock released


ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.EXPIRED}),
    OrderStatus.PAID: frozenset({OrderStatus.IN_FULFILMENT, OrderStatus.COMPLETED, OrderStatus.CANCELLED}),
    OrderStatus.IN_FULFILMENT: frozenset({OrderStatus.COMPLETED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.EXPIRED: frozenset(),
}


class ConsignmentStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")  # its order is not paid yet
    READY_TO_SHIP = "ready_to_ship", _("Ready to ship")  # paid: the seller prepares the parcel
    HANDED_OVER = "handed_over", _("Handed over")  # the courier has the parcel (first mile)
    IN_TRANSIT = "in_transit", _("In transit")  # moving through the e-hub network
    DELIVERED = "delivered", _("Delivered")  # at the buyer's door; the seller's escrow is released
    CANCELLED = "cancelled", _("Cancelled")  # its order was cancelled or expired


CONSIGNMENT_TRANSITIONS: dict[ConsignmentStatus, frozenset[ConsignmentStatus]] = {
    ConsignmentStatus.AWAITING_PAYMENT: frozenset(
        {ConsignmentStatus.READY_TO_SHIP, ConsignmentStatus.CANCELLED}
    ),
    ConsignmentStatus.READY_TO_SHIP: frozenset({ConsignmentStatus.HANDED_OVER, ConsignmentStatus.CANCELLED}),
    ConsignmentStatus.HANDED_OVER: frozenset({ConsignmentStatus.IN_TRANSIT, ConsignmentStatus.DELIVERED}),
    ConsignmentStatus.IN_TRANSIT: frozenset({ConsignmentStatus.DELIVERED}),
    ConsignmentStatus.DELIVERED: frozenset(),
    ConsignmentStatus.CANCELLED: frozenset(),
}


class Preference(models.TextChoices):
    FASTEST = "fastest", _("Fastest")
    CHEAPEST = "cheapest", _("Cheapest")
    BALANCED = "balanced", _("Balanced")


class Order(models.Model):
    """A buyer's order, priced in the currency they chose. Amounts are totals of its consignments."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", verbose_name=_("buyer")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    currency = models.CharField(_("currency"), max_length=3)
    goods_amount = models.DecimalField(_("goods"), **AMOUNT)
    shipping_amount = models.DecimalField(_("shipping"), **AMOUNT)
    duty_amount = models.DecimalField(_("duty"), **AMOUNT)
    tax_amount = models.DecimalField(_("tax"), **AMOUNT)
    total_amount = models.DecimalField(_("total"), **AMOUNT)
    preference = models.CharField(_("delivery preference"), max_length=10, choices=Preference.choices)
    incoterm = models.CharField(_("incoterm"), max_length=3, default="DDP")
    # The language the buyer ordered in: their e-mails about this order are written in it.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    ship_to_name = models.CharField(_("name"), max_length=120)
    ship_to_line1 = models.CharField(_("address"), max_length=200)
    ship_to_city = models.CharField(_("city"), max_length=120)
    ship_to_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    ship_to_country = CountryField(_("country"))
    ship_to_phone = models.CharField(_("phone"), max_length=30)
    # Units per USD of every currency the order was priced with, and the date they were in force.
    rates = models.JSONField(_("exchange rates used"), default=dict)
    rates_as_of = models.DateField(_("rates as of"), null=True)
    placed_at = models.DateTimeField(_("placed"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("payment due by"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-placed_at"], name="order_buyer_newest"),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(status="pending_payment"),
                name="order_unpaid_by_expiry",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_amount=TOTAL_OF_PARTS),
                name="order_total_is_its_parts",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("order-detail", kwargs={"number": self.number})

    def money(self, field: str) -> Money:
        return Money(getattr(self, f"{field}_amount"), self.currency)

    def goods_at_shop_prices(self) -> Money | None:
        """The goods at the shop's own prices (the seller's currency), from the lines (prefetched by
        the seller's pages); None if the lines were priced in more than one currency."""
        lines = list(self.lines.all())
        currencies = {line.unit_price_currency for line in lines}
        if len(currencies) != 1:
            return None
        total = sum((line.quantity * line.unit_price_amount for line in lines), Decimal(0))
        return Money(total, currencies.pop()).quantized()

    @property
    def total(self) -> Money:
        return self.money("total")

    @property
    def is_cancellable(self) -> bool:
        return self.status in (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID)


class Consignment(models.Model):
    """The part of an order one shop ships as one parcel: shipping, duty and tax are per consignment
    (de minimis thresholds apply to it), and so is the seller's escrow."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="consignments", verbose_name=_("order")
    )
    shop = models.ForeignKey(
        "marketplace.Shop", on_delete=models.PROTECT, related_name="consignments", verbose_name=_("shop")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ConsignmentStatus.choices,
        default=ConsignmentStatus.AWAITING_PAYMENT,
    )
    origin_country = CountryField(_("ships from"))
    currency = models.CharField(_("currency"), max_length=3)  # the order's
    goods_amount = models.DecimalField(_("goods"), **AMOUNT)
    shipping_amount = models.DecimalField(_("shipping"), **AMOUNT)
    duty_amount = models.DecimalField(_("duty"), **AMOUNT)
    tax_amount = models.DecimalField(_("tax"), **AMOUNT)
    total_amount = models.DecimalField(_("total"), **AMOUNT)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=3)
    # What the network quoted, as the buyer saw it.
    quote_id = models.CharField(_("shipping quote"), max_length=64)
    route = models.JSONField(_("route (hub codes)"), default=list)
    estimated_delivery = models.DateTimeField(_("estimated delivery"))  # the route's ETA
    # The date the buyer was told (ETA + the network's buffer, end of that day); the shipment's.
    promised_delivery = models.DateTimeField(_("promised delivery"))
    shipping_cost_amount = models.DecimalField(_("shipping cost (network currency)"), **AMOUNT)
    shipping_cost_currency = models.CharField(_("network currency"), max_length=3)
    # What customs will see, and why the buyer pays what they pay.
    customs_value_amount = models.DecimalField(_("customs value"), **AMOUNT)
    customs_value_currency = models.CharField(_("customs value currency"), max_length=3)
    duties_paid = models.BooleanField(_("duties and taxes paid (DDP)"), default=False)
    # The scheme the marketplace collected VAT/GST under at sale (EU IOSS, UK point of sale…): the
    # tax is payable by the platform, and the declaration carries the scheme's number. Blank: none.
    vat_scheme = models.CharField(_("VAT collected under"), max_length=8, blank=True)
    explanation = models.JSONField(_("explanation"), default=list)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("consignment")
        verbose_name_plural = _("consignments")
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["shop", "status"], name="consignment_shop_status")]
        constraints = [
            models.UniqueConstraint(fields=["order", "shop"], name="consignment_one_per_shop"),
            models.CheckConstraint(
                condition=models.Q(total_amount=TOTAL_OF_PARTS),
                name="consignment_total_is_its_parts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.pk}"

    def money(self, field: str) -> Money:
        return Money(getattr(self, f"{field}_amount"), self.currency)

    def goods_at_shop_prices(self) -> Money | None:
        """The goods at the shop's own prices (the seller's currency), from the lines (prefetched by
        the seller's pages); None if the lines were priced in more than one currency."""
        lines = list(self.lines.all())
        currencies = {line.unit_price_currency for line in lines}
        if len(currencies) != 1:
            return None
        total = sum((line.quantity * line.unit_price_amount for line in lines), Decimal(0))
        return Money(total, currencies.pop()).quantized()


class OrderLine(models.Model):
    consignment = models.ForeignKey(
        Consignment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("consignment")
    )
    listing = models.ForeignKey(
        "marketplace.Listing",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("listing"),
    )
    title = models.CharField(_("title"), max_length=200)
    hs_code = models.CharField(_("HS code"), max_length=6)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_amount = models.DecimalField(_("unit price (shop currency)"), **AMOUNT)
    unit_price_currency = models.CharField(_("shop currency"), max_length=3)
    line_total_amount = models.DecimalField(_("line total (order currency)"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)  # the order's

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["consignment", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def unit_price(self) -> Money:
        return Money(self.unit_price_amount, self.unit_price_currency)

    @property
    def line_total(self) -> Money:
        return Money(self.line_total_amount, self.currency)


class OrderEvent(models.Model):
    """Append-only history of an order's (or one of its consignments') status changes."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    consignment = models.ForeignKey(
        Consignment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("consignment"),
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    note = models.CharField(_("note"), max_length=240, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class IdempotencyKey(models.Model):
    """One order per (user, scope, key): a retry gets the same order back instead of a second one.

    The row is inserted as the first statement of the transaction that places the order and points
    at the order by its last (`marketplace.services.idempotency`): a concurrent request with the
    same key waits on the unique index until that transaction ends. A committed key always has its
    order (null only inside the transaction, or if the order were deleted).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=40)  # where the key was used: the API's or the web checkout's
    request_hash = models.CharField(max_length=64)
    order = models.ForeignKey("Order", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
