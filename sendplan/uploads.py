"""Uploaded files kept between an import's preview and its confirm.

In the default file storage, not a machine-local folder, so any app server can confirm a
preview another one showed. Previews not confirmed within a day are abandoned: the next
upload to the same folder removes their files.
"""

import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename

KEPT_FOR = timedelta(days=1)


def upload_path(folder: str, upload_id: uuid.UUID, file_name: str) -> str:
    return f"{folder}/{upload_id.hex}/{get_valid_filename(file_name)}"


def upload_keep(folder: str, file_name: str, data: bytes) -> uuid.UUID:
    """Keep the file for its confirm, and remove the abandoned ones of the same folder."""
    _remove_abandoned(folder)
    upload_id = uuid.uuid4()
    default_storage.save(upload_path(folder, upload_id, file_name), ContentFile(data))
    return upload_id


def upload_read(folder: str, upload_id: uuid.UUID, file_name: str) -> bytes | None:
    """The kept file, or None when it is no longer kept."""
    path = upload_path(folder, upload_id, file_name)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as stored:
        return stored.read()


def upload_discard(folder: str, upload_id: uuid.UUID, file_name: str) -> None:
    default_storage.delete(upload_path(folder, upload_id, file_name))


def _remove_abandoned(folder: str) -> None:
    if not default_storage.exists(folder):
        return
    cutoff = timezone.now() - KEPT_FOR
    for sub in default_storage.listdir(folder)[0]:
        for name in default_storage.listdir(f"{folder}/{sub}")[1]:
            if default_storage.get_modified_time(f"{folder}/{sub}/{name}") < cutoff:
                default_storage.delete(f"{folder}/{sub}/{name}")
