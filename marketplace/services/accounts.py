"""Writes to accounts: registration, profile, display currency. Accounts are in no shared cache;
only a seller's shop (opened at registration, `shop_create`) and deletions move a version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ewtp import versions
from ewtp.money import is_currency
from marketplace.models import Role, User
from marketplace.services.shops import shop_create
from marketplace.validators import validate_currency


@transaction.atomic
def user_register(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    country: str,
    shop_name: str = "",
    currency: str = "",
) -> User:
    """Create a buyer, or a seller together with their shop (one shop per seller)."""
    if role not in (Role.BUYER, Role.SELLER):
        raise ValidationError({"role": [_("Choose “buyer” or “seller”.")]})
    user = User(username=username, email=email, role=role, country=country)
    user.set_password(password)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if role == Role.SELLER:
        if not shop_name.strip():
            errors["shop_name"] = [_("A seller must name their shop.")]
        try:
            validate_currency(currency)
        except ValidationError as exc:
            errors["currency"] = exc.messages
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": [_("A user with that username already exists.")]}) from None
    if role == Role.SELLER:
        shop_create(owner=user, name=shop_name.strip(), country=country, currency=currency)
    return user


@transaction.atomic
def profile_update(*, user: User, email: str, country: str, display_currency: str) -> User:
    """A person edits their own account: contact email, country (delivery estimates, the
    "ships to my country" filter) and the currency prices are shown in (empty: the country's)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.email, user.country, user.display_currency = email, country, display_currency
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if display_currency:
        try:
            validate_currency(display_currency)
        except ValidationError as exc:
            errors["display_currency"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.save(update_fields=["email", "country", "display_currency"])
    return user


@transaction.atomic
def display_currency_set(*, user: User, currency: str) -> User:
    """Store a logged-in buyer's display currency on their profile."""
    if not is_currency(currency):
        raise ValueError(f"Unknown currency {currency!r}")
    user.display_currency = currency
    user.save(update_fields=["display_currency"])
    return user


@transaction.atomic
def user_ensure(
    *, username: str, password: str, role: str, country: str, email: str = "", **extra: Any
) -> User:
    """The user called `username`, created with these details if missing (demo seeders).

    Accounts are in no shared cache, so no version moves."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user = User(username=username, role=role, country=country, email=email, **extra)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_admin_save(*, user: User) -> User:
    """An operator's edit in the admin (validated by its form). Accounts are in no shared cache."""
    user.save()
    return user


@transaction.atomic
def user_admin_delete(*, users: QuerySet[User]) -> int:
    count, _by_model = users.delete()
    versions.bump_on_commit(versions.CATALOG)  # a seller's shop and listings go with them
    return count
