"""Uploaded media served by Django when no front server does it (`EWTP_SERVE_MEDIA`)."""

from __future__ import annotations

import errno

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Django's static `serve`, with a name too long for the file system a 404 rather than a 500."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise Http404("No such file.") from None
        raise
