"""Uploaded files waiting for the worker: saved under ``PONTIO_IMPORT_DIR``, removed once
imported, refused or failed (a file that is not imported never stays on disk)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings

from pontio.stopsearch.models import ImportBatch

# The largest file the upload page accepts (a police.uk month is well under 1 MB).
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "PONTIO_IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES))


def upload_dir() -> Path:
    return Path(getattr(settings, "PONTIO_IMPORT_DIR", settings.VAR_DIR / "imports"))


def upload_path(batch: ImportBatch) -> Path:
    return upload_dir() / f"{batch.pk}-{batch.sha256}.csv"


def save_upload(batch: ImportBatch, data: bytes) -> Path:
    path = upload_path(batch)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def remove_upload(batch: ImportBatch) -> None:
    upload_path(batch).unlink(missing_ok=True)


def remove_uploads_of(batch_id: int) -> None:
    """Every saved copy of a batch's file, when only its number is known."""
    for leftover in upload_dir().glob(f"{int(batch_id)}-*.csv"):
        leftover.unlink(missing_ok=True)


def discard(files: Any) -> None:
    """Close every file of a request that will not be imported. Closing a file Django wrote
    to a temporary file (anything over ``FILE_UPLOAD_MAX_MEMORY_SIZE``) deletes it now, rather
    than whenever the request object is collected."""
    for upload in files.values() if hasattr(files, "values") else files:
        with contextlib.suppress(OSError):  # already gone: nothing left to remove
            upload.close()
