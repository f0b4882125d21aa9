"""Writes to shops: open, edit, verify."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError, PermissionDenied
from marketplace.cache import catalog_changed
from marketplace.models import Shop, User


def _unique_shop_slug(name: str) -> str:
    base = slugify(name)[:120] or "shop"
    slug, n = base, 2
    while Shop.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def shop_create(*, owner: User, name: str, country: str, currency: str, description: str = "") -> Shop:
    if Shop.objects.filter(owner=owner).exists():
        raise DomainError(_("This seller already has a shop."))
    shop = Shop(
        owner=owner,
        name=name,
        slug=_unique_shop_slug(name),
        country=country,
        currency=currency,
        description=description,
    )
    shop.full_clean()
    for attempt in range(5):
        try:
            with transaction.atomic():
                shop.save()
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
    allowed = {"name", "country", "currency", "description"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    for field, value in changes.items():
        setattr(shop, field, value)
    shop.full_clean()  # includes the rule that the currency is fixed once listings exist
    shop.save()
    return shop


def shop_set_verified(*, shops: Any, verified: bool) -> int:
    """Operators verify shops in bulk from the admin. `update()` sends no signals: bump the
    catalog version ourselves so cached pages show the new badge."""
    count = shops.update(is_verified=verified)
    catalog_changed()
    return count
