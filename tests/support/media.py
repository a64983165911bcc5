"""Media tests on both back-ends: `@both_backends` runs a test with the folder and with the local bucket."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from storage.media import NAME
from storage.stores import open_store

# Overrides the `media_backend` fixture of tests/conftest.py (which is "folder" unless told otherwise).
both_backends = pytest.mark.parametrize("media_backend", ["folder", "s3"])


async def kept_names(settings: Settings) -> list[str]:
    """The names the store holds now, whichever back-end it is."""
    if settings.media.backend == "folder":
        folder = settings.media.dir
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    async with open_store(settings) as store:
        client, bucket, prefix = store.client, settings.media.s3.bucket, settings.media.s3.prefix  # type: ignore[attr-defined]
        listed = await client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    names = sorted(item["Key"].removeprefix(prefix) for item in listed.get("Contents", []))
    assert all(NAME.fullmatch(n) for n in names), names
    return names


async def kept_bytes(settings: Settings, name: str) -> bytes | None:
    async with open_store(settings) as store:
        found = await store.get(name)
    return None if found is None else found.data
