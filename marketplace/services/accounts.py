"""Writes to accounts: registration, profile, display currency. Accounts are in no shared cache;
only a seller's shop (opened at registration, `shop_create`) and deletions move a version."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_countries import countries

from ewtp import versions
from ewtp.money import is_currency
from marketplace.models import Role, User
from marketplace.selectors.buyers import SESSION_KEY as CURRENCY_SESSION_KEY
from marketplace.services.shops import shop_create
from marketplace.validators import validate_currency


def _taken(user: User) -> dict[str, list[str]]:
    """Usernames and e-mail addresses are unique ignoring case (`SELLER-CN` is `seller-cn`);
    the database enforces both too (constraints on `Lower(...)`), this gives the field message."""
    others = User.objects.exclude(pk=user.pk)
    errors: dict[str, list[str]] = {}
    if user.username and others.filter(username__iexact=user.username).exists():
        errors["username"] = [_("A user with that username already exists.")]
    if user.email and others.filter(email__iexact=user.email).exists():
        errors["email"] = [_("An account with this e-mail address already exists.")]
    return errors


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
    """Create a buyer, or a seller together with their shop (one shop per seller).

    The password goes through `AUTH_PASSWORD_VALIDATORS`, as on the web sign-up form, whichever
    way the account is made; username and e-mail address must be new ignoring case."""
    if role not in (Role.BUYER, Role.SELLER):
        raise ValidationError({"role": [_("Choose “buyer” or “seller”.")]})
    user = User(username=username, email=email, role=role, country=country)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"], validate_constraints=False)  # see _taken
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    for field, messages in _taken(user).items():
        errors.setdefault(field, messages)
    if role == Role.SELLER:
        if not shop_name.strip():
            errors["shop_name"] = [_("A seller must name their shop.")]
        try:
            validate_currency(currency)
        except ValidationError as exc:
            errors["currency"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name or address registered at the same moment
        raise ValidationError(
            _taken(user) or {"username": [_("A user with that username already exists.")]}
        ) from None
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
        user.full_clean(exclude=["password"], validate_constraints=False)  # see _taken
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if display_currency:
        try:
            validate_currency(display_currency)
        except ValidationError as exc:
            errors["display_currency"] = exc.messages
    if taken := _taken(user).get("email"):
        errors.setdefault("email", taken)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "country", "display_currency"])
    except IntegrityError:  # the address taken by another account at the same moment
        raise ValidationError({"email": [_("An account with this e-mail address already exists.")]}) from None
    return user


@transaction.atomic
def display_currency_set(*, user: User, currency: str) -> User:
    """Store a logged-in buyer's display currency on their profile."""
    if not is_currency(currency):
        raise ValueError(f"Unknown currency {currency!r}")
    user.display_currency = currency
    user.save(update_fields=["display_currency"])
    return user


def display_currency_remember(request: HttpRequest, currency: str) -> None:
    """The buyer's choice of currency: on the profile for users, in the session for anyone else."""
    if request.user.is_authenticated:
        display_currency_set(user=request.user, currency=currency)
    else:
        request.session[CURRENCY_SESSION_KEY] = currency


@transaction.atomic
def deliver_to_set(*, user: User, country: str) -> User:
    """Store a logged-in buyer's "Deliver to" country on their profile (it is their country)."""
    if country not in countries:
        raise ValidationError({"country": [_("Choose a country from the list.")]})
    user.country = country
    user.save(update_fields=["country"])
    return user

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
