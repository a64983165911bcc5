"""The media store: photos and files citizens sent, kept where every worker on every machine can read them.

Two back-ends behind one small protocol: a folder on this machine (`make run`, one machine) and an
S3-compatible bucket (`storage/s3.py`: AWS S3, MinIO, Ceph; many machines). It lives in `storage/`
beside the database because both the conversation core (housekeeping) and the connectors keep and
remove files, and both already depend on `storage/`, never the other way round. No SQL here.

A name is 32 random hex digits and an extension we chose from the declared type, so a name is never a
path, never guessable, and always says what the bytes may be served as.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

URL_PREFIX = "/media/"
# Extensions by declared type; anything else is kept as opaque bytes (.bin), never served as a page.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/pdf": "pdf",
    "audio/ogg": "ogg",
    "audio/webm": "webm",  # what Chromium and Firefox record in the web chat
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/amr": "amr",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/3gpp": "3gp",
}
OPAQUE = "application/octet-stream"
CONTENT_TYPES = {extension: content_type for content_type, extension in EXTENSIONS.items()} | {"bin": OPAQUE}
NAME = re.compile(r"[0-9a-f]{32}\.(?:" + "|".join(sorted(CONTENT_TYPES)) + r")")


class MediaUnavailable(OSError):
    """The store cannot be reached or refused us for now: an OSError, so the edge answers 503, try again."""


class NotAMediaName(ValueError):
    """A name that this service could not have given; refused before any back-end sees it."""


@dataclass(frozen=True, slots=True)
class Stored:
    data: bytes
    content_type: str


class MediaStore(Protocol):
    """Where kept files live. Every method takes a name from `new_name` (checked again here)."""

    async def put(self, name: str, data: bytes, content_type: str) -> None: ...

    async def get(self, name: str) -> Stored | None: ...

    async def exists(self, name: str) -> bool: ...

    async def delete(self, name: str) -> None: ...

    async def close(self) -> None: ...


def new_name(content_type: str) -> str:
    """A fresh name for bytes of this declared type: `<32 hex>.<extension>`."""
    return f"{secrets.token_hex(16)}.{extension_for(content_type)}"


def extension_for(content_type: str) -> str:
    return EXTENSIONS.get(content_type.split(";")[0].strip().lower(), "bin")


def content_type_of(name: str) -> str:
    """What a kept file is served as: decided by the extension we gave it, so by us, not the sender."""
    return CONTENT_TYPES.get(name.rpartition(".")[2], OPAQUE)


def checked(name: str) -> str:
    if not NAME.fullmatch(name):
        raise NotAMediaName(name[:80])
    return name


def url_of(name: str) -> str:
    return URL_PREFIX + checked(name)


def name_of(url: str) -> str | None:
    """The store's name behind one of our `/media/…` URLs; None for anything else (a provider's URL)."""
    name = url.removeprefix(URL_PREFIX)
    return name if url.startswith(URL_PREFIX) and NAME.fullmatch(name) else None


class FolderStore:
    """Files in one folder on this machine: the default, and all one machine needs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        return self.folder / checked(name)

    async def put(self, name: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._path(name), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        """Written beside and renamed, so a reader never sees half a photo."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        partial.replace(path)

    async def get(self, name: str) -> Stored | None:
        path = self._path(name)
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None
        return Stored(data, content_type_of(name))

    async def exists(self, name: str) -> bool:
        return await asyncio.to_thread(self._path(name).is_file)

    async def delete(self, name: str) -> None:
        await asyncio.to_thread(self._path(name).unlink, missing_ok=True)

    async def close(self) -> None:
        return None
