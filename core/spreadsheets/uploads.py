"""Uploads waiting between a preview and its confirmation."""

import datetime
import re
from typing import Any

# Uploads waiting between a preview and its confirmation (django-import-export's MediaStorage,
# in MEDIA_ROOT so that every server process sees them). Each is removed once confirmed or
# cancelled; one abandoned is removed a day later (clear_old_uploads, at each new upload and
# by `manage.py clear_import_uploads`).

UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")  # MediaStorage's names: uuid4().hex
UPLOADS_KEPT_FOR = datetime.timedelta(days=1)


def upload_storage(name: str | None = None) -> Any:
    from import_export.tmp_storages import MediaStorage

    return MediaStorage(name=name)


def discard_upload(name: str | None) -> None:
    """Remove the waiting upload `name`; nothing happens for a name that is not one."""
    if name and UPLOAD_NAME.fullmatch(name):
        upload_storage(name).remove()


def clear_old_uploads(older_than: datetime.timedelta = UPLOADS_KEPT_FOR) -> int:
    """Remove the uploads waiting for longer than `older_than`: the number removed."""
    storage = upload_storage()
    files, folder = storage._storage, storage.MEDIA_FOLDER
    try:
        _, names = files.listdir(folder)
    except FileNotFoundError:
        return 0
    cutoff = datetime.datetime.now(datetime.UTC) - older_than
    removed = 0
    for name in names:
        path = f"{folder}/{name}"
        if UPLOAD_NAME.fullmatch(name) and files.get_modified_time(path) < cutoff:
            files.delete(path)
            removed += 1
    return removed
