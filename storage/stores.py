"""Which media store this process uses: the folder or a bucket, as `config.yml` chose (`media.backend`).

Apart from `storage/media.py` (the protocol and the folder) and `storage/s3.py` (the bucket), so that
neither imports the other's module back, and aiobotocore is imported only where a bucket is used."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from bot.settings import Settings
from storage.media import FolderStore, MediaStore


@contextlib.asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[MediaStore]:
    """The store `config.yml` chose (`media.backend`), open for the block and closed after it."""
    store: MediaStore
    if settings.media.backend == "s3":
        from storage.s3 import S3Store  # aiobotocore is imported only where a bucket is used

        store = await S3Store.open(settings.media.s3, settings.secrets)
    else:
        settings.media.dir.mkdir(parents=True, exist_ok=True)
        store = FolderStore(settings.media.dir)
    try:
        yield store
    finally:
        await store.close()
