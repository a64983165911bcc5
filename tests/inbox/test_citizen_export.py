"""The export in the inbox (issue 15): staff never see a usable export link, and only supervisors and
admins, within their departments, download a citizen's data from the profile — recorded and audited."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inbox.routes.queue import _preview
from storage.models import AuditEvent, DataRequest, Message
from tests.inbox.conftest import Client, Staff
from tests.inbox.test_cases import file_a_case
from tests.inbox.test_citizens import citizen_id
from tests.support.conversation import Citizen as Person

TOKEN = re.compile(r"/mis-datos/([A-Za-z0-9_-]{20,})")
PHONE = "+573001112233"


async def asks_for_a_link(person: Person) -> str:
    await person.says("descargar mis datos")
    found = TOKEN.search(person.text)
    assert found is not None, person.texts
    return found[1]


async def test_the_timeline_masks_the_link_the_citizen_was_given(
    client: Client, agent: Staff, supervisor: Staff, citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:  # fmt: skip
    person = citizen(PHONE, "sms")
    await file_a_case(person)
    token = await asks_for_a_link(person)
    here = f"/inbox/citizens/{await citizen_id(sessions, 'sms', PHONE)}"
    for staff in (agent, supervisor):
        page = await staff.page(here)
        assert "/mis-datos/••••" in page and token not in page
    async with sessions() as session:
        conversation = await session.scalar(select(Message.conversation_id).where(Message.address == PHONE))
    partial = await agent.page(f"/inbox/conversations/{conversation}/timeline")
    assert token not in partial and "/mis-datos/••••" in partial


def test_the_queue_preview_masks_it_too() -> None:
    message = Message(text="Tus datos: https://ventanilla.example/mis-datos/" + "k" * 43 + "\nSirve una vez")
    assert _preview(message).startswith("Tus datos: https://ventanilla.example/mis-datos/•••• Sirve")


async def test_a_supervisor_downloads_the_zip_recorded_as_the_citizens_request_and_audited(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    code = await file_a_case(citizen(PHONE, "sms"))
    person = await citizen_id(sessions, "sms", PHONE)
    page = await supervisor.page(f"/inbox/citizens/{person}")
    assert "Descargar datos (zip)" in page and f'action="/inbox/citizens/{person}/export"' in page
    answer = await supervisor.post(f"/inbox/citizens/{person}/export")
    assert answer.status == 200 and answer.headers["Content-Type"] == "application/zip"
    assert answer.headers["Cache-Control"] == "no-store"
    assert f"datos-ciudadano-{person}-" in answer.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(await answer.read()))
    data = json.loads(archive.read("datos.json"))
    assert data["ciudadano"]["telefono"] == PHONE and [c["codigo"] for c in data["casos"]] == [code]
    async with sessions() as session:
        asked = (await session.scalars(select(DataRequest))).all()
        audits = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "data.exported"))).all()
    assert [(r.kind, r.status, r.channel, r.citizen_id) for r in asked] == [
        ("export", "done", "inbox", person)
    ]
    assert asked[0].staff_id is not None
    assert [(a.actor, a.target_type, a.target_id) for a in audits] == [("sara", "citizen", str(person))]
    assert PHONE not in json.dumps(audits[0].detail)


async def test_agents_other_departments_and_forged_forms_get_nothing(
    client: Client,
    agent: Staff,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await file_a_case(citizen(PHONE, "sms"))  # a pothole: Public Works
    here = f"/inbox/citizens/{await citizen_id(sessions, 'sms', PHONE)}"
    assert "Descargar datos (zip)" not in await agent.page(here)
    assert (await agent.post(f"{here}/export")).status == 403
    await add_staff("luz", "supervisor", departments=["public_lighting"])
    luz = browser()
    assert (await luz.log_in("luz")).status == 303
    assert (await luz.post(f"{here}/export")).status == 404
    await add_staff("sara", "supervisor")
    sara = browser()
    assert (await sara.log_in("sara")).status == 303
    assert (await sara.post(f"{here}/export", csrf=False)).status in (400, 403)
    assert (await sara.post("/inbox/citizens/424242/export")).status == 404
    async with sessions() as session:
        assert (await session.scalars(select(DataRequest))).all() == []
        assert (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "data.exported"))
        ).all() == []
