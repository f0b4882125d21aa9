"""Login lock-out: what is counted (django-axes keeps the failures, in the database) and the answers.

What locks, within the cool-off (`EWTP_LOGIN_LOCKOUT_MINUTES`):
- an (account, address) pair after `EWTP_LOGIN_FAILURE_LIMIT` failures (10): that pair only, so
  the other people behind a shared address (an office, a mobile carrier's NAT) log in as usual;
- an address after it failed for `EWTP_LOGIN_SPRAY_ACCOUNTS` distinct accounts (5): a password
  spray, locked as a whole;
- an account after `EWTP_LOGIN_ACCOUNT_LIMIT` failures from all addresses together (100): an
  attack from many addresses is slowed, not let through — but its owner is not locked out by ten
  requests of anyone's, and a browser where the account logged in before (its signed device
  cookie, `ewtp_device`) is exempt from this limit.

The API answers a locked-out client 429 with `Retry-After` and JSON `{"code": "login_locked"}`;
the web and admin login pages show the same message as a form error. Known and unknown accounts
get the same answers, and the right password is refused while the lock holds.
"""

from __future__ import annotations

import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.db.models import Sum
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

USERNAME_MAX = 255  # axes' AccessAttempt.username


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a login tried, normalised so `SELLER-CN` and `seller-cn` count as one."""
    if credentials:
        value = credentials.get("username")
    else:
        data = getattr(request, "data", None) or request.POST
        value = data.get("username") if hasattr(data, "get") else None
    if value is None:
        return None
    # NUL cannot be stored in PostgreSQL text; the lock must not become a 500.
    return str(value).replace("\x00", "").strip().casefold()[:USERNAME_MAX]


def _hand_lock_to_django_request(sender, credentials=None, request=None, **kwargs) -> None:
    """DRF views call `authenticate()` with DRF's request wrapper; axes marks that wrapper, but
    its middleware looks at Django's request underneath. Copy the mark down."""
    inner = getattr(request, "_request", None)
    if inner is not None and getattr(request, "axes_locked_out", False):
        inner.axes_locked_out = True
        inner.axes_credentials = getattr(request, "axes_credentials", None)


DEVICE_COOKIE = "ewtp_device"
DEVICE_SALT = "ewtp.lockout.device"
DEVICE_ACCOUNTS = 5  # accounts remembered per browser (a shared phone)
DEVICE_MAX_AGE = 365 * 24 * 3600


def device_accounts(request: HttpRequest) -> list[str]:
    """The accounts that logged in before from this browser (its signed device cookie)."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except (signing.BadSignature, AttributeError):
        return []
    return [name for name in value.split(",") if name][:DEVICE_ACCOUNTS]


class LoginLockoutHandler(AxesDatabaseHandler):
    """axes' database handler counting as the module says: failures per (account, address) pair
    (`AXES_LOCKOUT_PARAMETERS`), plus the spray and per-account rules. `get_failures` answers the
    pair's count, or the limit itself when a wider rule locks (axes compares it with the limit on
    every login and after every failure)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if pair >= limit:
            return pair
        since = get_cool_off_threshold(request)
        recent = AccessAttempt.objects.filter(attempt_time__gte=since)
        address = getattr(request, "axes_ip_address", None)
        if address:
            accounts = recent.filter(ip_address=address).values("username").distinct().count()
            if accounts >= settings.EWTP_LOGIN_SPRAY_ACCOUNTS:
                return limit
        username = get_client_username(request, credentials)
        if username and username not in device_accounts(request):
            total = recent.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
            if total >= settings.EWTP_LOGIN_ACCOUNT_LIMIT:
                return limit
        return pair


def _remember_device(sender, request=None, user=None, **kwargs) -> None:
    """A successful login marks the request; `DeviceCookieMiddleware` sets the cookie."""
    if request is not None and user is not None:
        request.ewtp_device_account = attempted_username(request, {"username": user.get_username()})


class DeviceCookieMiddleware:
    """Sets the signed device cookie after a successful login in this browser (the accounts it
    remembers exempt their owners from the per-account limit)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        account = getattr(request, "ewtp_device_account", None)
        if account:
            accounts = [account, *(name for name in device_accounts(request) if name != account)]
            response.set_signed_cookie(
                DEVICE_COOKIE,
                ",".join(accounts[:DEVICE_ACCOUNTS]),
                salt=DEVICE_SALT,
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                secure=not settings.DEBUG,
                samesite="Lax",
            )
        return response


def connect() -> None:
    # Connected after axes' own receiver (ewtp comes after axes in INSTALLED_APPS).
    user_login_failed.connect(_hand_lock_to_django_request, dispatch_uid="ewtp-lockout-drf")
    user_logged_in.connect(_remember_device, dispatch_uid="ewtp-lockout-device")


def retry_after_seconds(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 3600


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed login attempts. Try again in %(minutes)d minute.",
        "Too many failed login attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 + Retry-After; JSON under /api/, the login form elsewhere."""
    seconds = retry_after_seconds(request)
    message = lockout_message(seconds)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "code": "login_locked"}, status=429)
    else:
        response = _login_form_with_error(request, original_response, message)
    response["Retry-After"] = str(seconds)
    return response


def _login_form_with_error(request: HttpRequest, original: HttpResponse | None, message: str) -> HttpResponse:
    """The login page the view rendered, its form now carrying the lock-out message alone."""
    context = getattr(original, "context_data", None)
    form = context.get("form") if context else None
    if form is None or not getattr(original, "template_name", None):
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    errors = ErrorDict(renderer=form.renderer)
    errors["__all__"] = form.error_class([message], error_class="nonfield", renderer=form.renderer)
    form._errors = errors
    response = TemplateResponse(request, original.template_name, context, status=429)
    return response.render()
