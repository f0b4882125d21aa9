from marketplace.models.accounts import Role, User
from marketplace.models.badges import Badge, BadgeClaim, ClaimStatus
from marketplace.models.catalog import Category, Listing, ListingFacetCount, ListingImage
from marketplace.models.checkout import Cart, CartItem
from marketplace.models.customs import DutyRate, RestrictedGoods, TaxRegime
from marketplace.models.declarations import CustomsDeclaration, DeclarationLine
from marketplace.models.fx import ExchangeRate
from marketplace.models.ledger import LedgerEntry, LedgerKind, LedgerTransaction
from marketplace.models.notifications import OrderEmail
from marketplace.models.orders import (
    CONSIGNMENT_TRANSITIONS,
    ORDER_TRANSITIONS,
    Consignment,
    ConsignmentStatus,
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Preference,
)
from marketplace.models.payments import PaymentAttempt, PaymentStatus, SandboxCharge
from marketplace.models.payouts import (
    Payout,
    PayoutMethod,
    PayoutMethodKind,
    PayoutStatus,
    PayoutTrigger,
    SandboxPayoutTransfer,
)
from marketplace.models.shops import Shop
from marketplace.models.staging import StagedImage
from marketplace.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "DeliveryStatus",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "Badge",
    "BadgeClaim",
    "ClaimStatus",
    "CONSIGNMENT_TRANSITIONS",
    "Cart",
    "CartItem",
    "Category",
    "Consignment",
    "CustomsDeclaration",
    "DeclarationLine",
    "ConsignmentStatus",
    "DutyRate",
    "ExchangeRate",
    "IdempotencyKey",
    "LedgerEntry",
    "LedgerKind",
    "LedgerTransaction",
    "Listing",
    "ListingFacetCount",
    "ListingImage",
    "ORDER_TRANSITIONS",
    "Order",
    "OrderEmail",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "PaymentAttempt",
    "PaymentStatus",
    "Payout",
    "PayoutMethod",
    "PayoutMethodKind",
    "PayoutStatus",
    "PayoutTrigger",
    "SandboxPayoutTransfer",
    "Preference",
    "RestrictedGoods",
    "SandboxCharge",
    "Role",
    "Shop",
    "StagedImage",
    "TaxRegime",
    "User",
]
