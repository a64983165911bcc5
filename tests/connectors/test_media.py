"""`/media/{name}` reads through the store, on both back-ends, with the rules `/media/` always had."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from connectors.http import MEDIA_CSP
from storage.media import new_name
from storage.stores import open_store
from tests.connectors.conftest import Client
from tests.support.media import both_backends

pytestmark = both_backends


async def keep(settings: Settings, data: bytes, content_type: str) -> str:
    name = new_name(content_type)
    async with open_store(settings) as store:
        await store.put(name, data, content_type)
    return name


async def test_a_kept_photo_is_served_as_data_with_its_type(service: Client, settings: Settings) -> None:
    name = await keep(settings, b"\xff\xd8\xff a jpeg", "image/jpeg")
    response = await service.get(f"/media/{name}")
    assert response.status == 200 and await response.read() == b"\xff\xd8\xff a jpeg"
    headers = response.headers
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Content-Security-Policy"] == MEDIA_CSP and "sandbox" in MEDIA_CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "private, max-age=86400"
    again = await service.get(f"/media/{name}", headers={"If-None-Match": headers["ETag"]})
    assert again.status == 304 and await again.read() == b""
    head = await service.head(f"/media/{name}")
    assert head.status == 200


async def test_bytes_of_no_known_type_are_a_download(service: Client, settings: Settings) -> None:
    name = await keep(settings, b"<html><script>alert(1)</script>", "text/html")
    response = await service.get(f"/media/{name}")
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"] == "attachment"


@pytest.mark.parametrize(
    "path",
    [
        "/media/" + "0" * 32 + ".jpg",  # well formed, never kept
        "/media/" + "0" * 32 + ".html",
        "/media/..%2Fconfig.yml",
        "/media/%2e%2e/%2e%2e/config.yml",
        "/media/" + "A" * 32 + ".jpg",
        "/media/",
    ],
)
async def test_anything_else_is_not_found(service: Client, path: str) -> None:
    response = await service.get(path)
    assert response.status == 404
    assert response.headers["Server"] == "Ventanilla"


async def test_a_photo_removed_is_gone_for_everybody(service: Client, settings: Settings) -> None:
    name = await keep(settings, b"\x89PNG picture", "image/png")
    etag = (await service.get(f"/media/{name}")).headers["ETag"]
    async with open_store(settings) as store:
        await store.delete(name)
    assert (await service.get(f"/media/{name}")).status == 404
    assert (await service.get(f"/media/{name}", headers={"If-None-Match": etag})).status == 404
