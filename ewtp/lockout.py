"""Login lock-out answers (django-axes does the counting, in the database).

The API answers a locked-out client 429 with `Retry-After` and a JSON error; the web and admin
login pages show the same message as a form error. Known and unknown accounts get the same
answers, and the right password is refused while the lock holds.
"""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.contrib.auth.signals import user_login_failed
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


def connect() -> None:
    # Connected after axes' own receiver (ewtp comes after axes in INSTALLED_APPS).
    user_login_failed.connect(_hand_lock_to_django_request, dispatch_uid="ewtp-lockout-drf")


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
        response: HttpResponse = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
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
