"""Writes to shops: open, edit, verify. Each moves the `catalog` version after commit (cards and
product pages show the shop's name and badge)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ewtp import versions
from ewtp.exceptions import DomainError, PermissionDenied
from marketplace.models import Shop, User


def _unique_shop_slug(name: str) -> str:
    base = slugify(name)[:120] or "shop"
    slug, n = base, 2
    while Shop.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


ADDRESS_FIELDS = ("address_line1", "address_city", "address_postal_code")
# The language a new shop's papers are printed in beside English, from its country (editable).
LANGUAGE_BY_COUNTRY = {
    **dict.fromkeys(("CN", "HK", "MO", "TW", "SG"), "zh-hans"),
    **dict.fromkeys(("KE", "TZ", "UG", "RW", "BI", "CD"), "sw"),
    **dict.fromkeys(
        ("FR", "BE", "LU", "MC", "SN", "CI", "CM", "ML", "BF", "NE", "TG", "BJ", "GN", "MG"), "fr"
    ),
}


def language_for_country(country: str) -> str:
    return LANGUAGE_BY_COUNTRY.get(str(country).upper(), "en")


@transaction.atomic
def shop_create(
    *,
    owner: User,
    name: str,
    country: str,
    currency: str,
    description: str = "",
    slug: str = "",
    language: str = "",
    **address: str,
) -> Shop:
    """Open a seller's one shop; its address (`slug`) comes from the name unless given."""
    if Shop.objects.filter(owner=owner).exists():
        raise DomainError(_("This seller already has a shop."))
    shop = Shop(
        owner=owner,
        name=name,
        slug=slug or _unique_shop_slug(name),
        country=country,
        currency=currency,
        description=description,
        language=language or language_for_country(country),
        **{field: address.get(field, "") for field in ADDRESS_FIELDS},
    )
    shop.full_clean()
    for attempt in range(5):
        try:
            with transaction.atomic():
                shop.save()
            versions.bump_on_commit(versions.CATALOG)
            return shop
        except IntegrityError:
            # Another sign-up took the slug between our check and our insert: pick the next one.
            if Shop.objects.filter(owner=owner).exists():
                raise DomainError(_("This seller already has a shop.")) from None
            shop.slug = f"{_unique_shop_slug(name)}-{attempt + 2}"
    raise DomainError(_("Could not choose a unique address for the shop; try another name."))


@transaction.atomic
def shop_update(*, shop: Shop, actor: User, **changes: Any) -> Shop:
    """Edit a shop's profile. The currency is fixed once listings exist (their prices use it)."""
    if shop.owner_id != actor.pk:
        raise PermissionDenied(_("You can only edit your own shop."))
    allowed = {"name", "country", "currency", "description", *ADDRESS_FIELDS, "language"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    for field, value in changes.items():
        setattr(shop, field, value)
    shop.full_clean()  # includes the rule that the currency is fixed once listings exist
    shop.save()
    versions.bump_on_commit(versions.CATALOG)
    return shop


@transaction.atomic
def shop_set_verified(*, shops: QuerySet[Shop], verified: bool) -> int:
    """Operators verify shops in bulk from the admin (one UPDATE)."""
    count = shops.update(is_verified=verified)
    versions.bump_on_commit(versions.CATALOG)
    return count


@transaction.atomic
def shop_admin_save(*, shop: Shop) -> Shop:
    """An operator's edit in the admin (already validated by its form, which runs `full_clean`)."""
    shop.save()
    versions.bump_on_commit(versions.CATALOG)
    return shop


@transaction.atomic
def shop_admin_delete(*, shops: QuerySet[Shop]) -> int:
    """Operators delete shops (with their listings)."""
    count, _by_model = shops.delete()
    versions.bump_on_commit(versions.CATALOG)
    return count
