"""Account pages: sign-up (buyer or seller with a shop) and "My account"."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError
from marketplace.forms.accounts import ProfileForm, SignupForm
from marketplace.models import Role
from marketplace.services.accounts import profile_update, user_register
from marketplace.views.seller import apply_errors


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_register(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                role=data["role"],
                country=data["country"],
                shop_name=data.get("shop_name", ""),
                currency=data.get("currency", ""),
            )
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to eWTP, %(name)s.") % {"name": user.username})
            return redirect("seller-listings" if user.role == Role.SELLER else "home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """My account: email, country and display currency."""
    user = request.user
    initial = {"email": user.email, "country": user.country, "display_currency": user.display_currency}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your account is saved."))
            return redirect("account")
    return render(request, "marketplace/account.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's login page; a logged-in visitor goes straight on to `next`, or home.

    A `next` that is the login page itself is ignored: for a logged-in visitor Django's view would
    redirect to itself and raises instead (`?next=/accounts/login/` was a 500)."""

    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()  # "" unless safe (same host, allowed scheme)
        if url and urlsplit(url).path == self.request.path:
            return ""
        return url
