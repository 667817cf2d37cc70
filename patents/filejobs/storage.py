"""The private files of background jobs, under ``FILE_JOBS_DIR`` (read at each call, so a
test can move it): ``uploads/`` holds an import's file until its job has run, ``exports/``
an export's result until it expires. Names stored on a job are relative to the folder and
random (a name cannot be guessed, and no name from a client is ever used as a path)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings

UPLOADS = "uploads"
EXPORTS = "exports"
CHUNK = 1024 * 1024


def root() -> Path:
    return Path(settings.FILE_JOBS_DIR)


def path_of(name: str) -> Path:
    """The file of a stored ``name``; a name that leaves the folder is refused."""
    base = root().resolve()
    path = (base / name).resolve()
    if base not in path.parents:
        raise ValueError(f"{name!r} is not a job file")
    return path


def new_name(folder: str, suffix: str) -> str:
    """A fresh name in ``folder`` (its folder is created)."""
    (root() / folder).mkdir(parents=True, exist_ok=True)
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def save_upload(stream: IO[bytes], suffix: str) -> str:
    """Copy an uploaded file into ``uploads/``, chunk by chunk; its stored name."""
    name = new_name(UPLOADS, suffix)
    stream.seek(0)
    with path_of(name).open("wb") as target:
        while chunk := stream.read(CHUNK):
            target.write(chunk)
    stream.seek(0)
    return name


def write_atomically(name: str) -> Path:
    """The temporary path to write ``name``'s content to; ``publish`` then renames it, so
    that a reader never sees half a file."""
    return path_of(name).with_suffix(path_of(name).suffix + ".part")


def publish(name: str) -> int:
    """Rename the written temporary file to ``name``; its size in bytes."""
    os.replace(write_atomically(name), path_of(name))
    return path_of(name).stat().st_size


def delete(name: str) -> None:
    """Remove a stored file (and a temporary one left by a job that died); none is fine."""
    if not name:
        return
    path_of(name).unlink(missing_ok=True)
    write_atomically(name).unlink(missing_ok=True)
