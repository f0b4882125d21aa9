"""Every write service moves the cache version its change affects, after the commit and not before.

The service modules are enumerated (`marketplace.services.*`, `logistics.services.*`): a new
public service fails `test_every_write_service_is_walked` until it gets a case below (or a reason
in `MOVES_NOTHING`), so a write that forgets to bump cannot slip in unnoticed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

import logistics.services
import marketplace.services
from ewtp import versions
from ewtp.versions import CATALOG, CUSTOMS, NETWORK, STOCK
from logistics.models import Carrier, CountryLeg, Hub, HubStatus, Lane
from logistics.services import network as net
from marketplace.models import (
    BadgeClaim,
    Category,
    DutyRate,
    ExchangeRate,
    Listing,
    ListingImage,
    RestrictedGoods,
    Role,
    Shop,
    TaxRegime,
    User,
)
from marketplace.services import accounts, badges, catalog, customs, fx, listings, shops
from tests.logistics.factories import HubFactory, LaneFactory
from tests.marketplace.conftest import png_upload
from tests.marketplace.factories import CategoryFactory, ListingFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def write_services() -> set[str]:
    names = set()
    for package in (marketplace.services, logistics.services):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and not name.startswith("_"):
                    names.add(f"{info.name}.{name}")
    return names


def tokens() -> dict[str, str | None]:
    return {name: versions.current(name) for name in versions.NAMES}


@pytest.fixture
def world(db) -> SimpleNamespace:
    shop = ShopFactory(currency="MYR")
    listing = ListingFactory(shop=shop, stock=5)
    image = listings.listing_image_add(listing=listing, actor=shop.owner, upload=png_upload())
    hub = HubFactory(code="NBO", country="KE", serves_countries=["KE"])
    lane = LaneFactory(origin=hub, destination=HubFactory(code="KGL", country="RW", serves_countries=["RW"]))
    leg = CountryLeg.objects.create(
        country="KE", kind="last_mile", hours=24, base_amount=Decimal(2), per_kg_amount=Decimal("0.5")
    )
    ExchangeRate.objects.create(currency="MYR", units_per_usd=Decimal(4), valid_from=date(2025, 1, 1))
    return SimpleNamespace(
        shop=shop,
        seller=shop.owner,
        listing=listing,
        image=image,
        hub=hub,
        lane=lane,
        leg=leg,
        spare_category=CategoryFactory(slug="unused"),
    )


def _new_listing(w) -> Listing:
    return Listing(
        shop=w.shop,
        title="Kiondo basket",
        category=w.listing.category,
        price_amount=Decimal(10),
        currency="MYR",
        weight_kg=Decimal(1),
        hs_code="460219",
        origin_country="MY",
    )


# service → (the write, the versions it must move)
def _claim(w, status: str = "pending") -> BadgeClaim:
    return BadgeClaim.objects.create(shop=w.listing.shop, badge="women_owned", status=status)


CASES = {
    "badges.badge_decide": (
        lambda w: badges.badge_decide(claim=_claim(w), operator=UserFactory(is_staff=True), verified=True),
        {CATALOG},
    ),
    "badges.badge_revoke": (
        lambda w: badges.badge_revoke(claim=_claim(w, "verified"), operator=UserFactory(is_staff=True)),
        {CATALOG},
    ),
    "accounts.user_register": (
        lambda w: accounts.user_register(
            username="weaver",
            email="w@example.org",
            password="pw-2026-long",
            role=Role.SELLER,
            country="KE",
            shop_name="Weavers",
            currency="KES",
        ),
        {CATALOG},
    ),
    "accounts.user_admin_delete": (
        lambda w: accounts.user_admin_delete(users=User.objects.filter(pk=w.seller.pk)),
        {CATALOG},
    ),
    "catalog.category_save": (
        lambda w: catalog.category_save(category=Category(slug="tea", name="Tea")),
        {CATALOG},
    ),
    "catalog.category_ensure": (lambda w: catalog.category_ensure(slug="tea", name="Tea"), {CATALOG}),
    "catalog.category_delete": (
        lambda w: catalog.category_delete(categories=Category.objects.filter(pk=w.spare_category.pk)),
        {CATALOG},
    ),
    "fx.exchange_rate_save": (
        lambda w: fx.exchange_rate_save(
            rate=ExchangeRate(currency="KES", units_per_usd=Decimal(130), valid_from=date(2025, 1, 1))
        ),
        {CATALOG},
    ),
    "fx.exchange_rate_set": (
        lambda w: fx.exchange_rate_set(
            currency="MYR", valid_from=date(2025, 1, 1), units_per_usd=Decimal(5), source="test"
        ),
        {CATALOG},
    ),
    "fx.exchange_rate_delete": (
        lambda w: fx.exchange_rate_delete(rates=ExchangeRate.objects.all()),
        {CATALOG},
    ),
    "listings.listing_create": (
        lambda w: listings.listing_create(
            actor=w.seller,
            title="Kiondo basket",
            category=w.listing.category,
            price_amount=Decimal(10),
            weight_kg=Decimal(1),
            hs_code="460219",
        ),
        {CATALOG},
    ),
    "listings.listing_update": (
        lambda w: listings.listing_update(listing=w.listing, actor=w.seller, title="Batik sarong"),
        {CATALOG},
    ),
    "listings.listing_set_published": (
        lambda w: listings.listing_set_published(listing=w.listing, actor=w.seller, published=False),
        {CATALOG},
    ),
    "listings.listing_delete": (
        lambda w: listings.listing_delete(listing=w.listing, actor=w.seller),
        {CATALOG},
    ),
    "listings.listing_stock_set": (
        lambda w: listings.listing_stock_set(listing=w.listing, actor=w.seller, stock=0),
        {STOCK},
    ),
    "listings.listing_stock_adjust": (
        lambda w: listings.listing_stock_adjust(listing_id=w.listing.pk, delta=-5),
        {STOCK},
    ),
    "listings.listings_bulk_create": (
        lambda w: listings.listings_bulk_create(listings=[_new_listing(w)]),
        {CATALOG},
    ),
    "listings.listing_images_bulk_create": (
        lambda w: listings.listing_images_bulk_create(
            images=[
                ListingImage(
                    listing=w.listing, image="x.jpg", thumbnail="x.webp", width=9, height=9, position=1
                )
            ]
        ),
        {CATALOG},
    ),
    "listings.listing_admin_save": (lambda w: listings.listing_admin_save(listing=w.listing), {CATALOG}),
    "listings.listing_admin_delete": (
        lambda w: listings.listing_admin_delete(listings=Listing.objects.filter(pk=w.listing.pk)),
        {CATALOG},
    ),
    "listings.listing_image_add": (
        lambda w: listings.listing_image_add(listing=w.listing, actor=w.seller, upload=png_upload()),
        {CATALOG},
    ),
    "listings.listing_image_remove": (
        lambda w: listings.listing_image_remove(image=w.image, actor=w.seller),
        {CATALOG},
    ),
    "listings.listing_image_admin_save": (
        lambda w: listings.listing_image_admin_save(image=w.image),
        {CATALOG},
    ),
    "listings.listing_image_admin_delete": (
        lambda w: listings.listing_image_admin_delete(image=w.image),
        {CATALOG},
    ),
    "shops.shop_create": (
        lambda w: shops.shop_create(
            owner=UserFactory(role=Role.SELLER), name="Weavers", country="KE", currency="KES"
        ),
        {CATALOG},
    ),
    "shops.shop_update": (
        lambda w: shops.shop_update(shop=w.shop, actor=w.seller, name="Batik KL"),
        {CATALOG},
    ),
    "shops.shop_set_verified": (
        lambda w: shops.shop_set_verified(shops=Shop.objects.filter(pk=w.shop.pk), verified=True),
        {CATALOG},
    ),
    "shops.shop_admin_save": (lambda w: shops.shop_admin_save(shop=w.shop), {CATALOG}),
    "shops.shop_admin_delete": (
        lambda w: shops.shop_admin_delete(shops=Shop.objects.filter(pk=w.shop.pk)),
        {CATALOG},
    ),
    "network.hub_save": (lambda w: net.hub_save(hub=w.hub), {NETWORK}),
    "network.hub_delete": (lambda w: net.hub_delete(hubs=Hub.objects.filter(pk=w.hub.pk)), {NETWORK}),
    "network.lane_save": (lambda w: net.lane_save(lane=w.lane), {NETWORK}),
    "network.carrier_save": (
        lambda w: net.carrier_save(carrier=Carrier(code="TEST", name="Test Cargo")),
        {NETWORK},
    ),
    "network.carrier_set_operating": (
        lambda w: net.carrier_set_operating(
            carrier=Carrier.objects.create(code="TEST2", name="Test Cargo 2"), operating=False, reason="test"
        ),
        {NETWORK},
    ),
    "network.lane_delete": (lambda w: net.lane_delete(lanes=Lane.objects.filter(pk=w.lane.pk)), {NETWORK}),
    "network.country_leg_save": (lambda w: net.country_leg_save(leg=w.leg), {NETWORK}),
    "network.country_leg_delete": (
        lambda w: net.country_leg_delete(legs=CountryLeg.objects.filter(pk=w.leg.pk)),
        {NETWORK},
    ),
    "network.hub_set_status": (
        lambda w: net.hub_set_status(hub=w.hub, status=HubStatus.DEGRADED, reason="fog"),
        {NETWORK},
    ),
    "network.hub_suspend": (lambda w: net.hub_suspend(hub=w.hub, reason="strike"), {NETWORK}),
    "network.hub_degrade": (lambda w: net.hub_degrade(hub=w.hub, reason="fog"), {NETWORK}),
    "network.hub_resume": (
        lambda w: (net.hub_suspend(hub=w.hub, reason="strike"), net.hub_resume(hub=w.hub)),
        {NETWORK},
    ),
    "customs.tax_regime_save": (
        lambda w: customs.tax_regime_save(
            regime=TaxRegime(
                country="NG",
                currency="NGN",
                vat_rate=Decimal("0.075"),
                value_basis="CIF",
                threshold_currency="NGN",
                default_duty_rate=Decimal("0.2"),
                source="test",
            )
        ),
        {CUSTOMS},
    ),
    "customs.duty_rate_save": (
        lambda w: customs.duty_rate_save(
            rate=DutyRate(country="NG", hs_code="6109", rate=Decimal("0.2"), source="test")
        ),
        {CUSTOMS},
    ),
    "customs.restricted_goods_save": (
        lambda w: customs.restricted_goods_save(
            item=RestrictedGoods(country="NG", hs_code="3304", reason="test", source="test")
        ),
        {CUSTOMS},
    ),
    "customs.customs_rules_delete": (
        lambda w: customs.customs_rules_delete(rules=DutyRate.objects.filter(country="NG")),
        {CUSTOMS},
    ),
    "customs.tax_regimes_load": (lambda w: customs.tax_regimes_load(), {CUSTOMS}),
    "customs.duty_rates_load": (lambda w: customs.duty_rates_load(), {CUSTOMS}),
    "customs.restricted_goods_load": (lambda w: customs.restricted_goods_load(), {CUSTOMS}),
}

# Writes that no shared cache depends on (accounts are per visitor), with the reason.
MOVES_NOTHING = {
    "accounts.profile_update": "a person's own account is in no shared cache",
    "accounts.display_currency_set": "a person's own account is in no shared cache",
    "accounts.user_ensure": "creates a person (demo seeders); people are in no shared cache",
    "accounts.user_admin_save": "a person's account is in no shared cache",
}


# Checkout-era services: what they write is in no shared cache, except stock crossing zero
# (guarded by the test named) and the import rules (the `customs` version, walked below).
NOT_CACHED = {
    "shops.language_for_country": "a default from a table, writes nothing",
    "webhook_events.tracking_webhooks_schedule": "webhook deliveries are never cached",
    "webhook_transport.post": "an HTTP request, writes nothing",
    "webhook_transport.resolve": "a DNS lookup, writes nothing",
    "webhook_transport.url_problem": "checks a URL, writes nothing",
    "webhooks.endpoint_scope": "reads the caller's shop",
    "webhooks.new_secret": "random bytes, writes nothing",
    "webhooks.retry_delay": "arithmetic",
    "webhooks.signed_headers": "signs a message, writes nothing",
    "webhooks.webhook_deliver": "webhook deliveries are never cached",
    "webhooks.webhook_deliveries_sweep": "webhook deliveries are never cached",
    "webhooks.webhook_delivery_replay": "webhook deliveries are never cached",
    "webhooks.webhook_endpoint_delete": "webhook endpoints are never cached",
    "webhooks.webhook_endpoint_register": "webhook endpoints are never cached",
    "webhooks.webhook_endpoint_update": "webhook endpoints are never cached",
    "webhooks.webhook_events_emit": "webhook deliveries are never cached",
    "webhooks.webhooks_wanted": "reads endpoints, writes nothing",
    "declarations.declaration_build": "declarations are never cached",
    "declarations.declarations_build": "declarations are never cached",
    "declarations.scheme_number": "reads a setting",
    "staged_images.images_stage": "kept photos belong to one seller and are never cached",
    "staged_images.staged_for": "reads, writes nothing",
    "staged_images.staged_as_uploads": "reads files, writes nothing",
    "staged_images.staged_discard": "kept photos are never cached",
    "staged_images.staged_images_purge": "kept photos are never cached",
    "badges.badge_claim": "a claim waiting for a check changes nothing buyers see",
    "badges.badge_evidence_purge": "evidence files are never cached",
    "badges.evidence_type": "reads an upload, writes nothing",
    "badges.evidence_keep_days": "reads a setting",
    "accounts.deliver_to_set": "a person's own country; pages key on it per request",
    "checkout.cart_add": "carts belong to one visitor and are never cached",
    "checkout.cart_clear": "carts are never cached",
    "checkout.cart_get_or_create": "carts are never cached",
    "checkout.cart_merge_into_user": "carts are never cached",
    "checkout.cart_remove": "carts are never cached",
    "checkout.cart_set_quantity": "carts are never cached",
    "checkout.cart_order_place": "order_place moves stock (tests/checkout/test_stock_versions.py)",
    "accounts.display_currency_remember": "a person's own account or session is in no shared cache",
    "placing.order_language": "reads nothing, writes nothing",
    "idempotency.idempotency_keys_purge": "idempotency keys are never cached",
    "idempotency.order_place_once": "idempotency keys are never cached; stock: order_place",
    "idempotency.request_fingerprint": "reads nothing, writes nothing",
    "idempotency.validate_key": "reads nothing, writes nothing",
    "ledger.ledger_record_payment": "the ledger is never cached",
    "ledger.ledger_refund": "the ledger is never cached",
    "ledger.ledger_release": "the ledger is never cached",
    "ledger.ledger_release_many": "the ledger is never cached",
    "ledger.ledger_payout_send": "the ledger is never cached",
    "ledger.ledger_payout_settle": "the ledger is never cached",
    "payout_methods.default_payout_method": "reads, writes nothing",
    "payout_methods.payout_method_add": "payout methods are never cached",
    "payout_methods.payout_method_remove": "payout methods are never cached",
    "payout_methods.wallet_for_phone": "reads reference data, writes nothing",
    "payouts.payout_finish": "payouts and the ledger are never cached",
    "payouts.payout_gateway": "builds the gateway",
    "payouts.payout_minimum": "reads a setting and the rates",
    "payouts.payout_request": "payouts and the ledger are never cached",
    "payouts.payout_send": "payouts and the ledger are never cached",
    "payouts.payouts_sweep": "payouts and the ledger are never cached",
    "payouts.payouts_weekly": "payouts and the ledger are never cached",
    "payouts.retry_after": "reads a setting",
    "payouts.week_of": "reads nothing, writes nothing",
    "listings.stock_changed": "is the stock bump (tests/checkout/test_stock_versions.py)",
    "notifications.order_email_send": "sends mail, writes nothing",
    "fulfilment.consignment_hand_over": "orders are never cached",
    "fulfilment.consignment_mark_delivered": "orders are never cached",
    "fulfilment.consignment_mark_in_transit": "orders are never cached",
    "fulfilment.consignments_mark_in_transit": "orders are never cached",
    "fulfilment.consignments_mark_delivered": "orders are never cached",
    "orders.order_mark_paid": "orders are never cached",
    "placing.order_place": "stock crossing zero: tests/checkout/test_stock_versions.py",
    "orders.order_cancel": "stock back from zero: tests/checkout/test_stock_versions.py",
    "orders.orders_expire_due": "stock back from zero: tests/checkout/test_stock_versions.py",
    "listings.listing_stock_check": "locks and reads; listing_admin_save writes",
    "placing.stock_return": "stock back from zero: tests/checkout/test_stock_versions.py",
    "transitions.consignment_transition": "orders are never cached",
    "transitions.consignment_transition_check": "reads nothing, writes nothing",
    "transitions.locked_order": "locks, writes nothing",
    "transitions.locked_with_order": "locks, writes nothing",
    "transitions.order_transition": "orders are never cached",
    "transitions.order_transition_check": "reads nothing, writes nothing",
    "tokens.token_for_user": "a new token has no cache entry",
    "tokens.token_revoke": "its delete marks the token cache entry (tests/security/test_tokens.py)",
    "tokens.token_lookup": "reads (the token cache has no version)",
    "tokens.token_cache_key": "names a cache entry",
    "tokens.token_cache_forget": "marks token cache entries (tests/security/test_tokens.py)",
    "tokens.token_cache_forget_user": "marks token cache entries (tests/security/test_tokens.py)",
    "tokens.token_expired": "reads a setting",
    "tokens.token_lifetime": "reads a setting",
    "orders.order_expire": "stock back from zero: tests/checkout/test_stock_versions.py",
    "placing.payment_window": "reads a setting",
    "parcel_emails.parcel_email_warranted": "reads nothing, writes nothing",
    "parcel_emails.parcel_emails_schedule": "writes e-mail jobs, nothing cached",
    "parcel_emails.parcel_emails_send": "sends mail; its sent-records are never cached",
    "payments.gateway": "builds the gateway",
    "payments.normalise_card_number": "reads nothing, writes nothing",
    "payments.order_pay": "payments are never cached",
    "payments.payment_reconcile": "payments are never cached",
    "payments.payments_reconcile": "payments are never cached",
    "payments.reconcile_after": "reads a setting",
    "bookings.bookings_release": "departure bookings are never cached",
    "bookings.departures_book": "departure bookings are never cached",
    "bookings.legs_write": "shipments are never cached",
    "bookings.leg_rows": "builds rows, writes nothing",
    "bookings.hubs_of": "reads hubs",
    "bookings.delay_to_miss": "reads nothing, writes nothing",
    "bookings.routes": "reads nothing, writes nothing",
    "routing.shipments_route": "shipments and bookings are never cached",
    "routing.route_planned": "builds a text",
    "routing.route_apply": "sets fields, writes nothing",
    "routing.no_route_event": "builds an event row, writes nothing",
    "routing.replan_if_late_for_departure": "shipments are never cached",
    "routing.shipment_route": "shipments and bookings are never cached",
    "shipments.shipment_cancel_for_consignments": "shipments are never cached",
    "shipments.shipment_create_for_consignments": "shipments are never cached",
    "shipments.shipment_hand_over": "shipments are never cached",
    "shipments.shipment_retry_routing": "shipments are never cached",
    "rerouting.shipments_release_waiting": "shipments are never cached",
    "rerouting.shipments_reroute_around_hub": "shipments are never cached",
    "rerouting.shipments_reroute_around_lane": "shipments are never cached",
    "rerouting.shipments_reroute_around_carrier": "shipments are never cached",
    "rerouting.shipments_sweep_outages": "shipments are never cached",
    "parcel_emails.parcel_emails_sweep": "publishes jobs, writes nothing cached",
    "shipments.shipments_sweep_unrouted": "shipments are never cached",
    "timelines.shipment_timeline": "reads, writes nothing",
    "sort_bookings.sorting_book": "sort bookings are never cached",
    "timelines.parcel_timeline": "reads nothing, writes nothing",
    "timelines.hold_days": "reads settings",
    "timelines.hub_info": "reads nothing, writes nothing",
    "timelines.pre_declared": "reads, writes nothing",
    "network.lane_in_use_message": "a message, writes nothing",
    "simulation.shipments_advance": "tracking events are never cached",
    "tracking.shipment_transition": "shipments are never cached",
    "tracking.shipment_transition_event": "builds an event row, writes nothing",
    "tracking.tracking_event_record": "tracking events are never cached",
    "tracking.tracking_events_insert": "tracking events are never cached",
}


def test_every_write_service_is_walked():
    assert write_services() == set(CASES) | set(MOVES_NOTHING) | set(NOT_CACHED)


@pytest.mark.parametrize("service", sorted(CASES))
def test_write_service_moves_its_version_after_commit(service, world, django_capture_on_commit_callbacks):
    write, expected = CASES[service]
    before = tokens()
    with django_capture_on_commit_callbacks() as callbacks:
        write(world)
    assert tokens() == before, "a version moved before the commit"
    for callback in callbacks:
        callback()
    after = tokens()
    assert {name for name in versions.NAMES if after[name] != before[name]} == expected


@pytest.mark.parametrize("service", sorted(MOVES_NOTHING))
def test_account_writes_move_no_version(service, world, django_capture_on_commit_callbacks):
    buyer = UserFactory()
    before = tokens()
    with django_capture_on_commit_callbacks(execute=True):
        if service == "accounts.profile_update":
            accounts.profile_update(user=buyer, email="b@example.org", country="KE", display_currency="KES")
        elif service == "accounts.display_currency_set":
            accounts.display_currency_set(user=buyer, currency="EUR")
        elif service == "accounts.user_ensure":
            accounts.user_ensure(username="new", password="pw-2026-long", role=Role.BUYER, country="KE")
        else:
            accounts.user_admin_save(user=buyer)
    assert tokens() == before


@pytest.mark.parametrize(
    ("before", "after", "moves"),
    [(5, 0, {STOCK}), (0, 3, {STOCK}), (5, 2, set()), (5, 5, set())],
)
def test_stock_writes_move_only_the_stock_version_and_only_across_zero(
    world, django_capture_on_commit_callbacks, before, after, moves
):
    Listing.objects.filter(pk=world.listing.pk).update(stock=before)
    for write in (
        lambda: listings.listing_stock_set(listing=world.listing, actor=world.seller, stock=after),
        lambda: listings.listing_update(listing=world.listing, actor=world.seller, stock=after),
        lambda: listings.listing_stock_adjust(listing_id=world.listing.pk, delta=after - before),
    ):
        Listing.objects.filter(pk=world.listing.pk).update(stock=before)
        start = tokens()
        with django_capture_on_commit_callbacks(execute=True):
            write()
        end = tokens()
        assert {name for name in versions.NAMES if end[name] != start[name]} == moves
        assert Listing.objects.get(pk=world.listing.pk).stock == after


def test_stock_adjust_never_takes_more_than_is_left(world):
    with pytest.raises(listings.OutOfStock):
        listings.listing_stock_adjust(listing_id=world.listing.pk, delta=-6)
    assert listings.listing_stock_adjust(listing_id=world.listing.pk, delta=-5) == 0
    assert Listing.objects.get(pk=world.listing.pk).stock == 0


def test_with_the_cache_down_no_version_is_known():
    """With the cache unreachable no version is known, so callers cache nothing."""
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    original = cache.get_many
    cache.get_many = down
    try:
        assert versions.current(CATALOG) is None
    finally:
        cache.get_many = original
    assert versions.current(CATALOG) is not None
