"""A web chat voice note is the citizen's: in their data export, gone with their erasure, and gone when
it was recorded but never sent (issue 18)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.data_export import zip_of
from bot.erasure import delete_media, erase_citizen
from bot.housekeeping import Housekeeping
from bot.settings import Settings
from storage.models import Citizen, utcnow
from storage.stores import open_store
from tests.connectors.conftest import Client
from tests.connectors.test_webchat_voice import say, service, settings, upload
from tests.support.media import kept_names
from tests.support.recorded_voice import recorded

Sessions = async_sessionmaker[AsyncSession]
__all__ = ["service", "settings"]  # fixtures, used by name: the web chat listening, as in the other file


@pytest.fixture
def spoken(tmp_path: Path) -> bytes:
    return recorded("mi nombre es Ana y vivo en la calle 45 numero 27", "audio/ogg", tmp_path)


async def test_a_sent_note_is_in_the_export_and_goes_with_the_erasure(
    service: Client, settings: Settings, sessions: Sessions, spoken: bytes
) -> None:
    status, body = await upload(service, spoken, "audio/ogg")
    assert status == 201 and await say(service, body) == 200
    name = body["url"].removeprefix("/media/")
    async with sessions() as session, open_store(settings) as store:
        citizen = await session.scalar(select(Citizen))
        assert citizen is not None
        exported = await zip_of(session, store, settings, citizen.id, now=utcnow())
    assert exported is not None
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        assert [archive.read(n) for n in archive.namelist() if n.endswith(name)] == [spoken]
    async with sessions() as session, session.begin():
        erased = await erase_citizen(session, settings, citizen.id, by="citizen")
    assert name in erased.media
    async with open_store(settings) as store:
        await delete_media(store, erased.media)
    assert await kept_names(settings) == []
    assert (await service.get(body["url"])).status == 404


async def test_a_note_recorded_but_never_sent_is_removed(
    service: Client, settings: Settings, sessions: Sessions, spoken: bytes
) -> None:
    status, body = await upload(service, spoken, "audio/ogg")
    assert status == 201
    async with open_store(settings) as store:
        keeper = Housekeeping(settings, sessions, store)
        assert (await keeper.once()).photos == 0  # the citizen may still send it
        later = utcnow() + timedelta(hours=settings.media.keep_unused_hours, minutes=1)
        assert (await keeper.once(later)).photos == 1
    assert await kept_names(settings) == []
    assert (await service.get(body["url"])).status == 404
