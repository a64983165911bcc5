"""The media store's contract, the same on both back-ends: the folder and a bucket on a local S3 server."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from storage.media import MediaUnavailable, NotAMediaName, new_name
from storage.stores import open_store
from tests.support.media import both_backends, kept_names

s3_only = pytest.mark.parametrize("media_backend", ["s3"])
JPEG_TYPE = "image/jpeg"


@both_backends
async def test_what_is_put_is_got_back_with_its_type_then_deleted(settings: Settings) -> None:
    name = new_name(JPEG_TYPE)
    async with open_store(settings) as store:
        assert not await store.exists(name) and await store.get(name) is None
        await store.put(name, b"\xff\xd8 a photo", JPEG_TYPE)
        assert await store.exists(name)
        found = await store.get(name)
        assert found is not None and (found.data, found.content_type) == (b"\xff\xd8 a photo", JPEG_TYPE)
        await store.delete(name)
        await store.delete(name)  # twice: removing what is gone is not an error
        assert await store.get(name) is None
    assert await kept_names(settings) == []


@both_backends
async def test_the_type_served_is_the_one_its_name_says_not_the_senders(settings: Settings) -> None:
    async with open_store(settings) as store:
        name = new_name("text/html")
        assert name.endswith(".bin")
        await store.put(name, b"<script>alert(1)</script>", "text/html")
        found = await store.get(name)
    assert found is not None and found.content_type == "application/octet-stream"


@pytest.mark.parametrize("name", ["../config.yml", "a" * 32 + ".html", "A" * 32 + ".jpg", "x.jpg", ""])
@both_backends
async def test_a_name_we_could_not_have_given_reaches_no_back_end(settings: Settings, name: str) -> None:
    async with open_store(settings) as store:
        for call in (store.get(name), store.exists(name), store.delete(name), store.put(name, b"x", "")):
            with pytest.raises(NotAMediaName):
                await call


@s3_only
async def test_keys_live_under_the_prefix(settings: Settings) -> None:
    name = new_name("audio/ogg")
    async with open_store(settings) as store:
        await store.put(name, b"OggS", "audio/ogg")
        head = await store.client.head_object(  # type: ignore[attr-defined]
            Bucket=settings.media.s3.bucket, Key=f"media/{name}"
        )
    assert head["ContentType"] == "audio/ogg"


@s3_only
async def test_a_bucket_that_cannot_be_reached_is_unavailable_not_missing(settings: Settings) -> None:
    gone = settings.media.s3.model_copy(update={"bucket": "no-such-bucket-here", "timeout_seconds": 2})
    elsewhere = settings.model_copy(update={"media": settings.media.model_copy(update={"s3": gone})})
    async with open_store(elsewhere) as store:
        with pytest.raises(MediaUnavailable):
            await store.get(new_name(JPEG_TYPE))
        with pytest.raises(MediaUnavailable):
            await store.put(new_name(JPEG_TYPE), b"x", JPEG_TYPE)
