"""A recorded call or visit is the citizen's data like a message (issue 18): in their export, blanked by
retention and by erasure; and the dashboard counts cases by the channel they came in on, calls included."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import erasure, export_zip, retention
from bot.followups import send_due
from bot.settings import Settings
from storage import citizen_data
from storage.models import Case, Citizen, FollowUp, Message, utcnow
from storage.stores import open_store
from tests.inbox.conftest import Client, Staff
from tests.inbox.test_cases import file_a_case
from tests.support.conversation import Citizen as Person
from tests.support.retention_town import MONTH, age

SUMMARY = "Llamó Nubia Restrepo, cédula 43.555.111: su hijo tiene asma y el humo de la quema la afecta"
RETIRED = "(texto retirado por el plazo de conservación)"


async def called(agent: Staff, phone: str, **case: str) -> str:
    """The agent records a call from `phone`; the profile's path."""
    response = await agent.post(
        "/inbox/contacts/new", {"phone": phone, "channel": "phone", "at": "", "summary": SUMMARY, **case}
    )
    assert response.status == 303, await response.text()
    return response.headers["Location"].split("?")[0]


async def test_the_citizens_export_holds_the_call_as_one_of_their_messages(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    profile = await called(agent, "3104445566", service="noise", description="Quema de basura cada noche")
    async with sessions() as session:
        data = await citizen_data.of_citizen(session, int(profile.rsplit("/", 1)[1]))
    assert data is not None
    tables = export_zip.tables(data, settings)
    [call] = [m for m in tables["mensajes"] if m["canal"] == "llamada"]
    assert call["texto"] == SUMMARY and call["autor"] == "personal" and call["sentido"] == "recibido"
    [case] = tables["casos"]
    assert (case["canal"], case["descripcion"]) == ("llamada", "Quema de basura cada noche")
    zipped = export_zip.as_csv(tables["mensajes"], list(tables["mensajes"][0]))
    assert "llamada" in zipped.decode("utf-8-sig")


async def test_retention_blanks_an_old_call_like_any_message_and_the_timeline_says_so(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    profile = await called(agent, "3104445566")
    person = int(profile.rsplit("/", 1)[1])
    await age(sessions, person, 25 * MONTH)
    async with open_store(settings) as store:
        _, done = await retention.run(sessions, settings, store, utcnow() + timedelta(minutes=1))
    assert done is not None and done.message_citizens == 1
    page = await agent.page(profile)
    assert "Nubia" not in page and RETIRED in page and "Registrado por ana" in page


async def test_erasure_takes_the_summary_and_the_number_of_the_call(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    profile = await called(agent, "3104445566", service="noise", description="Quema de basura cada noche")
    person = int(profile.rsplit("/", 1)[1])
    async with sessions() as session, session.begin():
        await erasure.erase_citizen(session, settings, person, by="staff")
    async with sessions() as session:
        call = await session.scalar(select(Message).where(Message.channel == "phone"))
        assert call is not None and (call.text, call.address) == ("", "")
        assert call.citizen_id != person
        texts = (await session.scalars(select(Message.text))).all()
    assert not any("Nubia" in t or "43.555.111" in t for t in texts)


async def test_the_dashboard_counts_cases_by_channel_calls_and_visits_included(
    client: Client,
    agent: Staff,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await file_a_case(citizen("+573001112233", "sms"))
    await called(agent, "3104445566", service="noise", description="Quema de basura")
    await called(agent, "3107778899", service="tree", description="Árbol caído")
    response = await agent.post("/inbox/contacts/new", {
        "name": "Rosa", "channel": "in_person", "at": "", "summary": "Visita", "service": "sidewalk",
        "description": "Andén roto",
    })  # fmt: skip
    assert response.status == 303
    page = await supervisor.page("/inbox/dashboard")
    table = page[page.index('id="by-channel"') :]
    table = table[: table.index("</section>")]
    assert "Casos por canal" in table
    assert '<tr data-channel="phone"><td>Llamada</td><td>2</td></tr>' in table
    assert '<tr data-channel="in_person"><td>Presencial</td><td>1</td></tr>' in table
    assert '<tr data-channel="sms"><td>SMS</td><td>1</td></tr>' in table
    assert table.index('"phone"') < table.index('"in_person"')  # most first

    response = await supervisor.get("/inbox/dashboard.csv")
    rows = list(csv.DictReader(io.StringIO((await response.text()).lstrip("\ufeff"))))
    by_channel = {r["key"]: (r["name"], r["cases_filed"]) for r in rows if r["group"] == "channel"}
    assert by_channel == {"phone": ("Llamada", "2"), "in_person": ("Presencial", "1"), "sms": ("SMS", "1")}
    assert (await agent.get("/inbox/dashboard")).status == 403  # supervisors' figures
    assert person_free(page)


def person_free(page: str) -> bool:
    """The dashboard names no one: what the agent wrote down stays on the citizen's profile."""
    return "Nubia" not in page and "Rosa" not in page and "+57310" not in page


async def test_no_new_contact_lands_on_what_an_erasure_left(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    profile = await called(agent, "3104445566", service="noise", description="Quema de basura cada noche")
    async with sessions() as session, session.begin():
        await erasure.erase_citizen(session, settings, int(profile.rsplit("/", 1)[1]), by="staff")
    async with sessions() as session:
        placeholder = await session.scalar(select(Citizen.id).where(Citizen.erased_at.is_not(None)))
    assert placeholder is not None
    page = await agent.page(f"/inbox/citizens/{placeholder}")
    assert f"/inbox/citizens/{placeholder}/contacts" not in page
    form = {"channel": "phone", "summary": "?"}
    response = await agent.post(f"/inbox/citizens/{placeholder}/contacts", form)
    assert response.status == 400 and "se borraron" in await response.text()
    # The same number calling again is a new person: nothing joins the erased record.
    again = await called(agent, "3104445566")
    assert again != f"/inbox/citizens/{placeholder}"
    async with sessions() as session:
        calls = (await session.scalars(select(Message.citizen_id).where(Message.channel == "phone"))).all()
    assert calls.count(placeholder) == 1  # the first call, blanked; the second is the new person's


async def test_a_case_filed_on_a_call_is_asked_was_it_fixed_by_sms_after_staff_resolve_it(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    profile = await called(agent, "3104445566", service="pothole", description="Hueco en la 45")
    async with sessions() as session:
        case = await session.scalar(select(Case))
    assert case is not None
    assert (await agent.post(f"/inbox/cases/{case.code}/status", {"status": "resolved"})).status == 303
    sent = await send_due(sessions, settings, utcnow() + timedelta(days=3, hours=1))
    assert sent.counts["sent"] == 1
    async with sessions() as session:
        followup = await session.scalar(select(FollowUp))
        asked = await session.get(Message, followup.message_id if followup and followup.message_id else 0)
    assert followup is not None and followup.channel == "sms"
    assert asked is not None and asked.address == "+573104445566" and "¿Lo arreglaron?" in asked.text
    assert "¿Lo arreglaron?" in await agent.page(profile)  # on the same timeline as the call
