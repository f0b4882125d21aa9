"""Uploaded media served by Django when no front server does it (`EWTP_SERVE_MEDIA`).

Everything under the media path came from users, so it is served as inert images only: the
content type comes from the stored name's extension and only JPEG, PNG and WebP are known (any
other file, e.g. a `poly.html` stored before uploads were renamed, is a 404); browsers are told
not to sniff (`nosniff`) and the response carries a policy that forbids scripts, styles, frames
and plugins even if a browser opened it as a document (`default-src 'none'; sandbox`).

A front server that serves `MEDIA_ROOT` itself must send the same headers (see `MEDIA_HEADERS`).
"""

from __future__ import annotations

import errno
import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve

MEDIA_CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}

MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Content-Disposition": "inline",
}


def media_content_type(path: str) -> str | None:
    """The image type a stored name stands for, or None when it is not one we serve."""
    extension = posixpath.splitext(path.rsplit("/", 1)[-1])[1].lower()
    return MEDIA_CONTENT_TYPES.get(extension)


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Django's static `serve` for stored images only, with the headers that keep them inert.

    A name too long for the file system is a 404 rather than a 500."""
    content_type = media_content_type(path)
    if content_type is None:
        raise Http404("No such file.")
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise Http404("No such file.") from None
        raise
    if response.status_code == 200:
        response["Content-Type"] = content_type
        if "Content-Encoding" in response:
            del response["Content-Encoding"]
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    return response
