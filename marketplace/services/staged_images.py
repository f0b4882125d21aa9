"""Photos kept across a failed submit of the listing form: the valid uploads of a form that came
back with an error are stored (private, a server-chosen name) and named in the form again, so the
next submit adds them without the seller picking them again. Each is the seller's own, used once,
and deleted after a day if never used (`staged_images_purge`, run on every staging and by beat)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from marketplace.models import StagedImage, User

KEEP = timedelta(days=1)


def staged_images_purge(*, now: datetime | None = None) -> int:
    """Delete kept photos older than a day (their files after the rows are gone)."""
    stale = list(StagedImage.objects.filter(created_at__lt=(now or timezone.now()) - KEEP)[:1000])
    for staged in stale:
        staged_discard([staged])
    return len(stale)


def images_stage(*, owner: User, uploads: list[UploadedFile]) -> list[StagedImage]:
    """Keep already-validated uploads for the seller's next submit."""
    staged_images_purge()
    kept = []
    limit = settings.EWTP_MAX_IMAGES_PER_LISTING
    for upload in uploads[:limit]:
        upload.seek(0)
        extension = (
            (upload.name or "").rsplit(".", 1)[-1].lower()[:5] if "." in (upload.name or "") else "img"
        )
        staged = StagedImage(owner=owner, name=str(upload.name or "")[-120:])
        staged.image.save(
            f"{uuid.uuid4().hex}.{extension if extension.isalnum() else 'img'}", upload, save=False
        )
        staged.save()
        kept.append(staged)
    return kept


def staged_for(*, owner: User, ids: list[str]) -> list[StagedImage]:
    """The seller's own kept photos among `ids` (anyone else's, or a made-up id, is ignored)."""
    wanted = [int(raw) for raw in ids[:20] if str(raw).isdigit() and len(str(raw)) < 12]
    return list(StagedImage.objects.filter(owner=owner, pk__in=wanted).order_by("pk"))


def staged_as_uploads(staged: list[StagedImage]) -> list[File]:
    """Kept photos as files the listing services take (validated again there, like any upload)."""
    return [File(item.image.open("rb"), name=item.name or item.image.name) for item in staged]


def staged_discard(staged: list[StagedImage]) -> None:
    """Used or expired: the rows go now, the files once that is committed."""
    for item in staged:
        name, storage = item.image.name, item.image.storage
        item.image.close()
        StagedImage.objects.filter(pk=item.pk).delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
