"""Where private uploads live: outside MEDIA_ROOT, under `PRIVATE_ROOT`, with no URL at all. Only
views that check who asks hand such a file out (as an attachment)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:  # read each time: tests and deployments point it elsewhere
        return str(settings.PRIVATE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; a view that checks permissions serves them")
