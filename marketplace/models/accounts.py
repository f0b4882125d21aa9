from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")  # browses and orders goods from other countries
    SELLER = "seller", _("Seller")  # runs one shop and lists goods
    OPERATOR = "operator", _("Operator")  # runs the e-hub network and the platform (staff)


class User(AbstractUser):
    """An eWTP account. The role decides what the person may do; operators are also staff."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.BUYER)
    country = CountryField(_("country"), blank=True)
    display_currency = models.CharField(
        _("display currency"),
        max_length=3,
        blank=True,
        help_text=_("ISO-4217 code prices are shown in; empty means the country's currency."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # `SELLER-CN` is `seller-cn`: one person, one login, one address for password resets.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ignoring_case",
                violation_error_message=_("A user with that username already exists."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
        ]

    @property
    def is_seller(self) -> bool:
        return self.role == Role.SELLER

    @property
    def is_buyer(self) -> bool:
        return self.role == Role.BUYER

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR or self.is_staff
