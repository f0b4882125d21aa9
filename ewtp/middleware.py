"""Request and response guards that hold for every view."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("The request body is too large: at most %(limit)d bytes.") % {"limit": limit}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "too_large"}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class RequestBodyLimitMiddleware:
    """Refuse oversized request bodies before anything parses them (413).

    JSON and form bodies may be `EWTP_MAX_BODY_BYTES` (1 MB); multipart bodies, which carry image
    uploads, `EWTP_MAX_UPLOAD_BODY_BYTES` (each image has its own limit on top). A declared
    `Content-Length` over the limit is refused unread; a chunked body (no length: gunicorn hands it
    over terminated) is read up to one byte past the limit and refused if it goes past, otherwise
    kept for the view. A 10 MB JSON list once took 13 s and ~900 MB of a worker to be refused.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        content_type = request.META.get("CONTENT_TYPE", "")
        multipart = content_type.lower().startswith("multipart/")
        limit = settings.EWTP_MAX_UPLOAD_BODY_BYTES if multipart else settings.EWTP_MAX_BODY_BYTES
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            try:
                length = int(declared)
            except ValueError:
                length = 0  # Django reads no body then
            if length > limit:
                return _too_large(request, limit)
        elif self._chunked(request):
            body = request.environ["wsgi.input"].read(limit + 1)
            if len(body) > limit:
                return _too_large(request, limit)
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = LimitedStream(io.BytesIO(body), len(body))
        return self.get_response(request)

    @staticmethod
    def _chunked(request: HttpRequest) -> bool:
        environ = getattr(request, "environ", None)
        return bool(
            environ
            and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            and environ.get("wsgi.input_terminated")
        )


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every answer: no camera, microphone, location...; payment only
    from the site itself (`settings.PERMISSIONS_POLICY`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
