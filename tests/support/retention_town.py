"""A small town for the retention tests: citizens on several channels, who wrote long ago or lately, with
cases open, closed long ago and closed lately, photos in the media store, a supporter, a held erasure.

Each citizen talks through the real pipeline; then their history is moved back in time (messages,
identities, the citizen's row, their cases), as if they had written that long ago."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cases import NewCase, file_case
from bot.settings import Settings
from storage.citizens import add_identity, find_identity, get_citizen
from storage.media import new_name, url_of
from storage.models import (
    Base,
    Case,
    CaseStatus,
    ChannelIdentity,
    Message,
    Upload,
    WebchatKey,
    utcnow,
)
from storage.supporters import add_supporter
from tests.support.conversation import Citizen as Talker

MONTH = timedelta(days=31)
PHOTO = b"\xff\xd8\xff\xe0 a photo of a pothole"


@dataclass
class Town:
    ids: dict[str, int] = field(default_factory=dict)  # who → citizen id
    files: dict[str, str] = field(default_factory=dict)  # which photo → media-store name
    personal: list[str] = field(default_factory=list)  # names, numbers and words that must not leak


async def _talk(make: Any, channel: str, address: str, *lines: str, photo: str | None = None) -> None:
    talker: Talker = make(address, channel)
    for line in lines:
        await talker.says(line)
    if photo:
        await talker.says("mire la foto", photo=photo)


async def _citizen_id(sessions: async_sessionmaker[AsyncSession], channel: str, address: str) -> int:
    async with sessions() as session:
        identity = await find_identity(session, channel, address)
        assert identity is not None
        return identity.citizen_id


async def age(sessions: async_sessionmaker[AsyncSession], citizen_id: int, by: timedelta) -> None:
    """Move everything this citizen did `by` into the past (row by row: date arithmetic in SQL is not
    portable, and the town is small)."""
    async with sessions() as session, session.begin():
        for message in await session.scalars(select(Message).where(Message.citizen_id == citizen_id)):
            message.created_at -= by
        for identity in await session.scalars(
            select(ChannelIdentity).where(ChannelIdentity.citizen_id == citizen_id)
        ):
            identity.created_at -= by
            identity.last_inbound_at = None
        person = await get_citizen(session, citizen_id)
        person.created_at -= by


async def case_for(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    citizen_id: int,
    *,
    filed_ago: timedelta,
    closed_ago: timedelta | None = None,
    photos: tuple[str, ...] = (),
) -> int:
    """A pothole case of this citizen, filed then, still open or closed then."""
    now = utcnow()
    async with sessions() as session, session.begin():
        person = await get_citizen(session, citizen_id)
        attachments = tuple({"url": url_of(p), "content_type": "image/jpeg"} for p in photos)
        new = NewCase(
            service="pothole", description="hueco enorme frente a la panaderia", attachments=attachments
        )
        case = await file_case(session, settings, citizen=person, new=new, channel="whatsapp", language="es")
        case.created_at = case.updated_at = now - filed_ago
        if closed_ago is not None:
            case.status, case.closed_at = CaseStatus.RESOLVED, now - closed_ago
            case.updated_at = case.closed_at
        return case.id


def _photos(media: Path) -> dict[str, str]:
    """Three photos in the media store: one a case shows, one only the chat held, one a web upload."""
    media.mkdir(parents=True, exist_ok=True)
    names = {photo: new_name("image/jpeg") for photo in ("in_case", "only_chat", "dani_upload")}
    for name in names.values():
        (media / name).write_bytes(PHOTO)
    return names


async def build(
    make: Any, sessions: async_sessionmaker[AsyncSession], settings: Settings, media: Path
) -> Town:
    town = Town(files=_photos(media))

    # Ana, Bogotá: WhatsApp and SMS; a pothole with a photo, fixed 26 months ago; wrote 27 months ago.
    await _talk(make, "whatsapp", "+573001234567", "buenas, hay un hueco enorme en la cra 7 con 45",
                photo=url_of(town.files["only_chat"]))  # fmt: skip
    ana = town.ids["ana"] = await _citizen_id(sessions, "whatsapp", "+573001234567")
    async with sessions() as session, session.begin():
        await add_identity(session, ana, "sms", "+573001234567", None)
        person = await get_citizen(session, ana)
        person.display_name, person.phone_e164 = "Ana Milena Ruiz", "+573001234567"
        note = "Nota: la señora Ana Milena vive en la calle 8 sur"
        session.add(
            Message(citizen_id=ana, direction="out", author="staff", channel="whatsapp",
                    address="+573001234567", text=note, internal=True)
        )  # fmt: skip
    await case_for(sessions, settings, ana, filed_ago=27 * MONTH, closed_ago=26 * MONTH,
                   photos=(town.files["in_case"],))  # fmt: skip
    await age(sessions, ana, 27 * MONTH)

    # Beto, Medellín, Telegram: wrote 30 months ago about a pothole that is still open.
    await _talk(make, "telegram", "918273645", "parce el hueco de la 80 sigue ahi")
    beto = town.ids["beto"] = await _citizen_id(sessions, "telegram", "918273645")
    beto_case = await case_for(sessions, settings, beto, filed_ago=30 * MONTH)
    await age(sessions, beto, 30 * MONTH)

    # Carla, web chat: wrote 28 months ago; her case closed 3 months ago.
    await _talk(make, "rest", "web-carla-7a1b2c3d4e", "hola, como va mi reporte del poste?")
    carla = town.ids["carla"] = await _citizen_id(sessions, "rest", "web-carla-7a1b2c3d4e")
    await case_for(sessions, settings, carla, filed_ago=28 * MONTH, closed_ago=3 * MONTH)
    await age(sessions, carla, 28 * MONTH)

    # Dani, web chat, 40 days ago: asked the hours and sent a photo, filed nothing.
    await _talk(make, "rest", "web-dani-9f8e7d6c5b", "hola", "a q hora abre la alcaldia??",
                photo=url_of(town.files["dani_upload"]))  # fmt: skip
    dani = town.ids["dani"] = await _citizen_id(sessions, "rest", "web-dani-9f8e7d6c5b")
    async with sessions() as session, session.begin():
        session.add(WebchatKey(sender="web-dani-9f8e7d6c5b", key_hash="d" * 64))
        session.add(
            Upload(name=town.files["dani_upload"], key_hash="d" * 64, size=len(PHOTO), used_at=utcnow())
        )
    await age(sessions, dani, timedelta(days=40))

    # Eva, web chat, 40 days ago: said "me too" to Beto's open case. Fede, web chat: filed a case.
    await _talk(make, "rest", "web-eva-1234abcd56", "a mi tambien me afecta ese hueco")
    eva = town.ids["eva"] = await _citizen_id(sessions, "rest", "web-eva-1234abcd56")
    async with sessions() as session, session.begin():
        case = await session.get(Case, beto_case)
        assert case is not None
        await add_supporter(session, case, eva, channel="rest")
    await age(sessions, eva, timedelta(days=40))
    await _talk(make, "rest", "web-fede-abcdef1234", "che, hay basura tirada en la esquina")
    fede = town.ids["fede"] = await _citizen_id(sessions, "rest", "web-fede-abcdef1234")
    await case_for(sessions, settings, fede, filed_ago=timedelta(days=40))
    await age(sessions, fede, timedelta(days=40))

    # Gabi, Buenos Aires, SMS: silent 62 months, and a supervisor holds her erasure.
    await _talk(make, "sms", "+5491155551234", "hola, vengo por lo del arbol caido")
    gabi = town.ids["gabi"] = await _citizen_id(sessions, "sms", "+5491155551234")
    async with sessions() as session, session.begin():
        (await get_citizen(session, gabi)).erasure_hold = "Juicio en curso por el arbol caido"
    await age(sessions, gabi, 62 * MONTH)

    # Ines, WhatsApp: wrote ten days ago. Juan, web chat: five days ago.
    await _talk(make, "whatsapp", "+573009876543", "buenas tardes, una pregunta")
    town.ids["ines"] = await _citizen_id(sessions, "whatsapp", "+573009876543")
    await age(sessions, town.ids["ines"], timedelta(days=10))
    await _talk(make, "rest", "web-juan-55aa66bb77", "hello, is the library open on sundays?")
    town.ids["juan"] = await _citizen_id(sessions, "rest", "web-juan-55aa66bb77")
    await age(sessions, town.ids["juan"], timedelta(days=5))

    # Hugo, Ciudad de México, SMS: silent for 62 months, nothing open: anonymised.
    await _talk(make, "sms", "+525512345678", "oiga, el semaforo de insurgentes no sirve")
    town.ids["hugo"] = await _citizen_id(sessions, "sms", "+525512345678")
    await age(sessions, town.ids["hugo"], 62 * MONTH)

    town.personal = ["+573001234567", "Ana Milena", "hueco enorme", "calle 8 sur", "918273645",
                     "web-dani-9f8e7d6c5b", "alcaldia", "+5491155551234", "Juicio en curso",
                     "+525512345678", "semaforo de insurgentes"]  # fmt: skip
    return town


async def dump(sessions: async_sessionmaker[AsyncSession]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    found = {}
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            found[table.name] = sorted((tuple(map(_plain, r)) for r in rows), key=repr)
    return found


def _plain(value: Any) -> Any:
    """JSON columns as text, so that rows can be compared as sets."""
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def files(media: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in media.iterdir()} if media.exists() else {}


def moment(now: datetime) -> str:
    return now.isoformat()
