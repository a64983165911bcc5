"""'Descargar mis datos' end to end (issue 15), on SQLite and PostgreSQL: the link in the chat, the page
that does not use it up, the one download, and a zip with all of this citizen's data and nothing of
anyone else's — two neighbours who share a report, one as its reporter and one who joined it."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import re
import zipfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.export_readme import COLUMNS
from bot.messages import Location
from bot.settings import Settings
from storage.models import (
    AuditEvent,
    ChannelIdentity,
    Citizen,
    DataExport,
    DataRequest,
    Message,
    OutboxItem,
    utcnow,
)
from tests.support.conversation import Citizen as Person
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]
LINK = re.compile(r"https?://[^\s/]+(/mis-datos/([A-Za-z0-9_-]+))")
CODE = re.compile(r"[2-9A-Z]{3}-[2-9A-Z]{3}")
HERE = (4.60971, -74.08175)
METRE = 1 / 111_195
A_PHONE, A_NAME = "+573001112233", "Ana Lucía Peñaloza"
A_WORDS = "hay un bache enorme frente al colegio Simón Bolívar, ya se cayó un señor en moto"
B_SENDER, B_NAME = "web-bruno-5f3c9d27e1", "Bruno Ibáñez"
B_WORDS = "hay un bache enorme, mi hijo casi se cae de la bici"
A_PHOTO = "a" * 32 + ".jpg"
B_PHOTO = "b" * 32 + ".jpg"


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=scripted))


def north(metres: float) -> Location:
    return Location(HERE[0] + metres * METRE, HERE[1])


def link_in(person: Person) -> tuple[str, str]:
    """The path and token of the export link in the last replies."""
    found = LINK.search(person.text)
    assert found is not None, person.texts
    return found[1], found[2]


async def name_them(sessions: async_sessionmaker[AsyncSession], address: str, name: str) -> int:
    async with sessions() as session, session.begin():
        identity = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.address == address))
        assert identity is not None
        citizen = await session.get(Citizen, identity.citizen_id)
        assert citizen is not None
        citizen.display_name = name
        return citizen.id


async def two_neighbours(
    citizen: Callable[..., Person], settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> tuple[Person, Person, str]:
    """Ana reports on SMS with a photo; Bruno, 30 m away on the web chat, joins her report with his own."""
    settings.media.dir.mkdir(parents=True, exist_ok=True)
    (settings.media.dir / A_PHOTO).write_bytes(b"\xff\xd8ana's photo")
    (settings.media.dir / B_PHOTO).write_bytes(b"\xff\xd8bruno's photo")
    ana = citizen(A_PHONE, "sms")
    await ana.says(A_WORDS, location=north(0))
    await ana.says("", photo=f"/media/{A_PHOTO}")
    filed = await ana.says("si")
    code = CODE.search(" ".join(r.text for r in filed))
    assert code is not None, ana.texts
    bruno = citizen(B_SENDER)
    await bruno.says(B_WORDS, location=north(30))
    await bruno.says("", photo=f"/media/{B_PHOTO}")
    await bruno.presses("Sí, sumarme")
    assert code[0] in bruno.text and "Te sumé" in bruno.text
    await name_them(sessions, A_PHONE, A_NAME)
    await name_them(sessions, B_SENDER, B_NAME)
    return ana, bruno, code[0]


async def download(client: Client, path: str) -> zipfile.ZipFile:
    response = await client.post(path)
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"] == "application/zip"
    assert re.fullmatch(r'attachment; filename="mis-datos-\d{4}-\d{2}-\d{2}\.zip"',
                        response.headers["Content-Disposition"])  # fmt: skip
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    return zipfile.ZipFile(io.BytesIO(await response.read()))


def everything(archive: zipfile.ZipFile) -> str:
    """Every file of the zip as text, photos included (as Latin-1: bytes kept, nothing lost)."""
    return "\n".join(archive.read(n).decode("utf-8", errors="replace") for n in archive.namelist())


def csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    raw = archive.read(f"{name}.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents right
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert tuple(reader.fieldnames or ()) == COLUMNS[name]
    return list(reader)


async def test_two_neighbours_sharing_a_report_each_get_all_of_theirs_and_nothing_of_the_other(
    client: Client,
    citizen: Callable[..., Person],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ana, bruno, code = await two_neighbours(citizen, settings, sessions)
    await ana.says("descargar mis datos")
    ana_path, _ = link_in(ana)
    assert "una sola vez" in ana.text and "vence el " in ana.text
    await bruno.says("mandame mis datos porfa")
    bruno_path, _ = link_in(bruno)

    mine = await download(client, ana_path)
    data = json.loads(mine.read("datos.json"))
    assert (data["ciudadano"]["nombre"], data["ciudadano"]["telefono"]) == (A_NAME, A_PHONE)
    assert [c["codigo"] for c in data["casos"]] == [code]
    assert data["casos"][0]["descripcion"] == A_WORDS and data["casos"][0]["fotos"] == A_PHOTO
    assert mine.read(f"fotos/{A_PHOTO}") == b"\xff\xd8ana's photo"
    said = [m["texto"] for m in csv_rows(mine, "mensajes") if m["sentido"] == "recibido"]
    assert A_WORDS in said and "descargar mis datos" in said
    # A cell starting with "+" is a formula to a spreadsheet: the leading apostrophe shows it as text.
    assert [i["direccion"] for i in csv_rows(mine, "identidades")] == ["'" + A_PHONE]
    assert csv_rows(mine, "casos")[0]["descripcion"] == A_WORDS  # accents intact through the CSV
    assert [r["tipo"] for r in csv_rows(mine, "solicitudes_datos")] == ["export"]
    assert {"LEEME.txt", "README.txt"} <= set(mine.namelist())
    text = everything(mine)
    for bruno_s in (B_SENDER, B_NAME, B_WORDS, B_PHOTO, "casi se cae"):
        assert bruno_s not in text, bruno_s

    his = await download(client, bruno_path)
    data = json.loads(his.read("datos.json"))
    assert data["ciudadano"]["nombre"] == B_NAME and data["casos"] == []
    assert [(c["caso"], c["distancia_m"]) for c in data["casos_apoyados"]] == [(code, 30)]
    assert his.read(f"fotos/{B_PHOTO}") == b"\xff\xd8bruno's photo"
    text = everything(his)
    assert B_WORDS in text and code in text
    for ana_s in (A_PHONE, A_NAME, A_WORDS, "Simón Bolívar", A_PHOTO, "3001112233"):
        assert ana_s not in text, ana_s


async def test_the_page_does_not_use_the_link_up_the_download_does_once(
    client: Client,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)  # what `serve` logs (a driver's DEBUG echoes every statement)
    ana = citizen(A_PHONE, "sms")
    await ana.says("descargar mis datos")
    path, token = link_in(ana)
    for _ in range(3):  # WhatsApp's preview, Telegram's, then the citizen
        page = await client.get(path)
        assert page.status == 200 and "Descargar" in await page.text()
        assert (
            page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
        )
    assert (await client.head(path)).status == 200
    english = await client.get(path, params={"lang": "en"})
    assert "Download" in await english.text()
    await download(client, path)
    again = await client.post(path)
    assert again.status == 410 and "DESCARGAR MIS DATOS" in await again.text()
    assert (await client.get(path)).status == 410
    async with sessions() as session:
        audits = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "data.exported"))).all()
        stored = (await session.scalars(select(DataExport))).all()
    assert len(audits) == 1 and audits[0].target_type == "citizen"
    assert A_PHONE not in json.dumps([audits[0].from_value, audits[0].to_value, audits[0].detail])
    assert len(stored) == 1 and stored[0].token_hash != token and token not in stored[0].token_hash
    # The service's own logs never hold the token. (aiohttp.access is the test server's access log;
    # `serve` runs without one: bot/cli.py, bot/workers.py.)
    logged = [r.getMessage() for r in caplog.records if r.name != "aiohttp.access"]
    assert logged and not [line for line in logged if token in line]


async def test_an_expired_link_is_gone_and_an_unknown_one_is_never_a_500(
    client: Client, citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = citizen(A_PHONE, "sms")
    await ana.says("descargar mis datos")
    path, _ = link_in(ana)
    async with sessions() as session, session.begin():
        await session.execute(update(DataExport).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert (await client.get(path)).status == 410
    assert (await client.post(path)).status == 410
    for wrong in ("x" * 43, "abc", "..%2F..%2Fetc", "%00", "A" * 500, "ñandú" * 9):
        for method in (client.get, client.post):
            answer = await method(f"/mis-datos/{wrong}")
            assert answer.status in (404, 410), (wrong, answer.status)


async def test_two_downloads_at_once_exactly_one_gets_the_zip(
    client: Client, citizen: Callable[..., Person]
) -> None:
    ana = citizen(A_PHONE, "sms")
    await ana.says("descargar mis datos")
    path, _ = link_in(ana)
    answers = await asyncio.gather(*(client.post(path) for _ in range(4)))
    assert sorted(a.status for a in answers) == [200, 410, 410, 410]


async def test_the_link_goes_only_to_the_channel_that_asked(
    citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = citizen(A_PHONE, "sms")
    await ana.says("hola")
    async with sessions() as session, session.begin():  # Ana's Telegram, linked to the same citizen
        sms = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.address == A_PHONE))
        assert sms is not None
        session.add(ChannelIdentity(citizen_id=sms.citizen_id, channel="telegram", address="987654321"))
    await ana.says("quiero una copia de mis datos")
    _, token = link_in(ana)
    async with sessions() as session:
        carrying = (await session.scalars(select(Message).where(Message.text.contains(token)))).all()
        queued = (
            await session.scalars(
                select(OutboxItem).where(OutboxItem.message_id.in_([m.id for m in carrying]))
            )
        ).all()
        anywhere_else = await session.scalar(select(OutboxItem).where(OutboxItem.channel == "telegram"))
    assert [(m.channel, m.address) for m in carrying] == [("sms", A_PHONE)]
    assert [(q.channel, q.address) for q in queued] == [("sms", A_PHONE)]
    assert anywhere_else is None


async def test_a_new_link_voids_the_last_and_a_sixth_in_a_day_is_refused_politely(
    client: Client, citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = citizen("web-ana-5f3c9d27e1")
    paths = []
    for said in ("descargar mis datos", "bajar mi info", "pasame mis datos", "descrgar mis datos"):
        await ana.says(said)
        paths.append(link_in(ana)[0])
    assert [(await client.get(p)).status for p in paths] == [410, 410, 410, 200]
    await ana.says("dame mis datos")
    link_in(ana)
    await ana.says("descargar mis datos")
    assert LINK.search(ana.text) is None and "ya te enviamos" in ana.text.lower()
    async with sessions() as session:
        asked: list[Any] = (await session.scalars(select(DataRequest.kind))).all()  # type: ignore[assignment]
    assert asked == ["export"] * 5
