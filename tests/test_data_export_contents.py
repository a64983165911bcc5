"""What the export holds and leaves out (issue 15): staff's internal notes and notes never told to the
citizen stay out, notes they were told go in; a cell a spreadsheet would run is shown, not run; a photo
gone from the store, or past the zip's cap, is said in LEEME.txt; the media store failing is a 503 that
leaves the link usable."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import case_status, export_zip
from bot.erasure import erase_citizen
from bot.settings import Settings
from inbox import handoff
from inbox.auth import StaffMember
from storage import preferential
from storage import staff as staff_rows
from storage.models import AuditEvent, Case, Citizen, Conversation
from tests.support.conversation import Citizen as Person
from tests.test_data_export import A_PHONE, A_PHOTO, Client, client, download, link_in

__all__ = ["client"]  # a fixture, used by name
TOLD = "La cuadrilla pasa el martes en la mañana"
UNTOLD = "Ojo: el ciudadano llamó tres veces, es insistente"
INTERNAL = "Nota interna: parece que vive en el 4B, no publicar"


async def files_with_a_photo(person: Person, settings: Settings, photo: str = A_PHOTO) -> None:
    settings.media.dir.mkdir(parents=True, exist_ok=True)
    (settings.media.dir / photo).write_bytes(b"\xff\xd8" + b"x" * 64)
    await person.says("hay un bache enorme en la carrera 7 con calle 72")
    await person.says("", photo=f"/media/{photo}")
    await person.says("si")


async def test_internal_and_untold_notes_stay_out_told_ones_go_in(
    client: Client,
    citizen: Callable[..., Person],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ana = citizen(A_PHONE, "sms")
    await files_with_a_photo(ana, settings)
    async with sessions() as session, session.begin():
        row = await staff_rows.add_staff(
            session, username="ana", password_hash="x", role="agent", department=None
        )
        staff = case_status.Staff(row.id, row.username)
        member = StaffMember(row.id, "ana", "agent", None, None, "csrf")
        case = await session.scalar(select(Case))
        conversation = await session.scalar(select(Conversation))
        assert case is not None and conversation is not None
        await handoff.note(session, conversation, member, INTERNAL)
        await case_status.change_status(session, settings, case, "acknowledged", staff=staff, note=UNTOLD)
        await case_status.change_status(
            session, settings, case, "in_progress", staff=staff, note=TOLD, tell_note=True
        )
        await case_status.reassign(session, settings, case, "public_lighting", staff=staff, note=UNTOLD)
    await ana.says('=HYPERLINK("http://example.com";"gana un premio") descargar mis datos')
    archive = await download(client, link_in(ana)[0])
    text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    assert TOLD in text and UNTOLD not in text and INTERNAL not in text
    history = json.loads(archive.read("datos.json"))["historial_casos"]
    assert [(h["de"], h["a"], h["nota"]) for h in history][1:] == [
        ("abierto, en espera de revisión", "recibido por el área responsable", None),
        ("recibido por el área responsable", "en atención", TOLD),
    ]
    rows = list(csv.DictReader(io.StringIO(archive.read("mensajes.csv").decode("utf-8-sig"))))
    formula = [r["texto"] for r in rows if "HYPERLINK" in r["texto"]]
    assert formula and all(f.startswith("'=") for f in formula)


async def test_a_photo_gone_or_past_the_cap_is_said_not_sent(
    client: Client,
    citizen: Callable[..., Person],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ana = citizen(A_PHONE, "sms")
    await files_with_a_photo(ana, settings)
    other = "c" * 32 + ".jpg"
    await files_with_a_photo(ana, settings, photo=other)
    (settings.media.dir / A_PHOTO).unlink()  # gone from the store (retention, a lost disk)
    monkeypatch.setattr(export_zip, "PHOTOS_CAP_BYTES", 10)  # the cap, made small enough to reach
    await ana.says("descargar mis datos")
    archive = await download(client, link_in(ana)[0])
    assert not [n for n in archive.namelist() if n.startswith("fotos/")]
    leeme, readme = archive.read("LEEME.txt").decode(), archive.read("README.txt").decode()
    assert f"ya no estaban guardadas (no se incluyen): {A_PHOTO}" in leeme
    assert "no caben en la descarga" in leeme and other in leeme.split("no caben")[1]
    assert f"Photos no longer kept (not included): {A_PHOTO}" in readme
    assert json.loads(archive.read("datos.json"))["fotos"]["omitidas_por_tamano"] == [other]


async def exported(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return len(
            (await session.scalars(select(AuditEvent).where(AuditEvent.action == "data.exported"))).all()
        )


async def test_the_media_store_failing_is_a_503_and_the_link_still_works_after(
    client: Client,
    citizen: Callable[..., Person],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ana = citizen(A_PHONE, "sms")
    await files_with_a_photo(ana, settings)
    photo = settings.media.dir / A_PHOTO
    photo.unlink()
    photo.mkdir()  # reading it fails as a broken disk or an unreachable bucket does: an OSError
    await ana.says("descargar mis datos")
    path = link_in(ana)[0]
    failed = await client.post(path)
    assert failed.status == 503 and failed.headers["Retry-After"]
    assert await exported(sessions) == 0  # nothing was given, so nothing is recorded as given
    photo.rmdir()
    photo.write_bytes(b"\xff\xd8back")
    archive: zipfile.ZipFile = await download(client, path)
    assert archive.read(f"fotos/{A_PHOTO}") == b"\xff\xd8back"
    assert await exported(sessions) == 1


async def test_after_an_erasure_the_link_gives_nothing(
    client: Client,
    citizen: Callable[..., Person],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ana = citizen(A_PHONE, "sms")
    await files_with_a_photo(ana, settings)
    await ana.says("descargar mis datos")
    path = link_in(ana)[0]
    async with sessions() as session, session.begin():
        person = await session.scalar(select(Case.citizen_id))
        assert person is not None
        await erase_citizen(session, settings, person, by="staff")
    assert (await client.get(path)).status == 404
    gone = await client.post(path)
    assert gone.status == 404 and "DESCARGAR MIS DATOS" in await gone.text()
    assert await exported(sessions) == 0


async def test_preferential_attention_is_in_the_export_with_its_words_and_no_staff_name(
    client: Client,
    citizen: Callable[..., Person],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Issue 19: the citizen sees when it was given and withdrawn and with which words; who on staff did
    it stays the city's."""
    ana = citizen(A_PHONE, "sms")
    await ana.says("hola")
    async with sessions() as session, session.begin():
        row = await staff_rows.add_staff(
            session, username="ramiro.supervisor", password_hash="x", role="supervisor", department=None
        )
        person = await session.get(Citizen, await session.scalar(select(Conversation.citizen_id)))
        assert person is not None
        await preferential.grant(
            session, person, kind="elderly", words="Llamó: tiene 84 años", channel="inbox", staff_id=row.id
        )
        await preferential.withdraw(session, person, channel="sms", words="ya no la necesito")
    await ana.says("descargar mis datos")
    archive = await download(client, link_in(ana)[0])
    rows = list(csv.DictReader(io.StringIO(archive.read("atencion_preferencial.csv").decode("utf-8-sig"))))
    assert [(r["accion"], r["tipo"], r["palabras"], r["quien"], r["canal"]) for r in rows] == [
        ("otorgada", "persona_mayor", "Llamó: tiene 84 años", "personal", ""),
        ("retirada", "persona_mayor", "ya no la necesito", "tu", "sms"),
    ]
    text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    assert "ramiro" not in text
    assert "atencion_preferencial.csv" in archive.read("LEEME.txt").decode()
