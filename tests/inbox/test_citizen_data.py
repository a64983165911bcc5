"""The profile's data operations: holding an erasure (and lifting it), correcting the name, erasing; for
supervisors, audited without the reason or the name, the hold shown to everyone who sees the citizen."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import data_requests
from bot.settings import Settings
from storage.models import AuditEvent, Case, Citizen, DataRequest
from tests.inbox.conftest import Client, Staff
from tests.inbox.test_cases import file_a_case
from tests.inbox.test_citizens import citizen_id
from tests.support.conversation import Citizen as Person

REASON = "Tutela 2026-00417 del Juzgado 3 Civil: conservar hasta el fallo"


async def a_citizen(citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]) -> int:
    await file_a_case(citizen("+573001112233", "sms"))  # public works: the agent's department
    return await citizen_id(sessions, "sms", "+573001112233")


async def audit_of(sessions: async_sessionmaker[AsyncSession], prefix: str) -> list[AuditEvent]:
    async with sessions() as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
        )
        return list(rows.all())


async def test_a_hold_needs_a_reason_and_everyone_sees_it_and_the_held_erasure(
    client: Client,
    supervisor: Staff,
    agent: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    person = await a_citizen(citizen, sessions)
    here = f"/inbox/citizens/{person}"
    async with sessions() as session, session.begin():
        see = (await data_requests.record(session, settings, person, "see", "sms")).id
    assert "Retener borrado" in await supervisor.page(here)
    assert "Retener borrado" not in await agent.page(here)  # agents see the hold, not the buttons
    assert (await agent.post(f"{here}/erasure-hold", {"reason": REASON})).status == 403
    empty = await supervisor.post(f"{here}/erasure-hold", {"reason": "   "})
    assert empty.headers["Location"].endswith("done=reason_needed#data")
    held = await supervisor.post(f"{here}/erasure-hold", {"reason": REASON})
    assert held.headers["Location"].endswith("done=hold_set#data")
    # The citizen then confirms an erasure (bot/erasure_dialogue.py): it waits, held, with the reason.
    async with sessions() as session, session.begin():
        erase = (await data_requests.record(session, settings, person, "erase", "sms", status="held")).id
    async with sessions() as session:
        row = await session.get(Citizen, person)
        requests = {r.id: r for r in (await session.scalars(select(DataRequest))).all()}
    assert row is not None and row.erasure_hold == REASON
    assert row.erasure_hold_by is not None and row.erasure_hold_at is not None
    assert requests[erase].status == "held"
    assert requests[see].status == "open"  # only an erasure is held
    for staff in (agent, supervisor):
        page = await staff.page(here)
        assert "Borrado retenido" in page and REASON in page and "Retenido por sara" in page
    [event] = await audit_of(sessions, "citizen.erasure_hold")
    assert event.target_id == str(person) and event.detail is None
    assert "Tutela" not in json.dumps([event.detail, event.from_value, event.to_value])
    # The supervisor's profile lists the citizen's requests, held and open.
    listed = (await supervisor.page(here)).split('class="plain data-requests-of"')[1].split("</ul>")[0]
    assert f"n.º {erase}" in listed and "Retenida" in listed and f"n.º {see}" in listed
    # The queue shows it held, with its reason.
    assert "Retenida" in (await supervisor.page("/inbox/data-requests")).split(f"request-{erase}")[1]


async def test_lifting_a_hold_without_a_held_erasure_only_clears_it(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = await a_citizen(citizen, sessions)
    here = f"/inbox/citizens/{person}"
    not_held = await supervisor.post(f"{here}/erasure-hold/lift")
    assert not_held.headers["Location"].endswith("done=not_held#data")
    await supervisor.post(f"{here}/erasure-hold", {"reason": REASON})
    lifted = await supervisor.post(f"{here}/erasure-hold/lift")
    assert lifted.headers["Location"].endswith("done=hold_lifted#data")
    async with sessions() as session:
        row = await session.get(Citizen, person)
    assert row is not None and row.erasure_hold is None
    assert row.erasure_hold_by is None and row.erasure_hold_at is None
    assert "Borrado retenido" not in await supervisor.page(here)
    assert [e.action for e in await audit_of(sessions, "citizen.erasure_hold")] == [
        "citizen.erasure_hold",
        "citizen.erasure_hold_lifted",
    ]


async def test_erasing_from_the_profile_is_refused_under_a_hold_and_needs_the_word(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = await a_citizen(citizen, sessions)
    here = f"/inbox/citizens/{person}"
    typo = await supervisor.post(f"{here}/erase", {"confirm": "borrar"})
    assert typo.headers["Location"].endswith("done=type_borrar#data")
    await supervisor.post(f"{here}/erasure-hold", {"reason": REASON})
    refused = await supervisor.post(f"{here}/erase", {"confirm": "BORRAR"})
    assert refused.headers["Location"].endswith("done=erase_held#data")
    page = await supervisor.page(f"{here}?done=erase_held")
    assert "No se borró: hay una retención" in page and REASON in page
    async with sessions() as session:
        row = await session.get(Citizen, person)
        requests = (await session.scalars(select(DataRequest))).all()
    assert row is not None and row.erased_at is None and row.phone_e164 == "+573001112233"
    assert requests == []  # a refusal records nothing


async def test_correcting_the_name_is_a_done_request_audited_without_the_name(
    client: Client,
    supervisor: Staff,
    agent: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = await a_citizen(citizen, sessions)
    here = f"/inbox/citizens/{person}"
    assert (await agent.post(f"{here}/name", {"name": "Mallory"})).status == 403
    done = await supervisor.post(f"{here}/name", {"name": "  María   Pérez Gómez "})
    assert done.headers["Location"].endswith("done=renamed#data")
    async with sessions() as session:
        row = await session.get(Citizen, person)
        [request] = (await session.scalars(select(DataRequest))).all()
    assert row is not None and row.display_name == "María Pérez Gómez"
    assert (request.kind, request.status, request.channel) == ("correct", "done", "inbox")
    assert request.staff_id is not None and request.detail is None
    [event] = await audit_of(sessions, "citizen.rename")
    assert event.detail == {"request": request.id} and event.from_value is None and event.to_value is None
    assert "María Pérez Gómez" in await agent.page(here)
    # CSRF applies here as on every form.
    assert (await supervisor.post(f"{here}/name", {"name": "X"}, csrf=False)).status == 403


async def test_a_hold_set_in_the_inbox_is_told_to_the_citizen_who_asks_to_erase(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = await a_citizen(citizen, sessions)
    await supervisor.post(f"/inbox/citizens/{person}/erasure-hold", {"reason": REASON})
    talker = citizen("+573001112233", "sms")
    await talker.says("borrar mis datos")
    assert REASON in talker.text  # told before confirming
    await talker.says("si")
    await talker.says("BORRAR")
    assert REASON in talker.text and "registrada" in talker.text
    async with sessions() as session:
        row = await session.get(Citizen, person)
        [request] = (await session.scalars(select(DataRequest))).all()
    assert row is not None and row.erased_at is None and row.phone_e164 == "+573001112233"
    assert (request.kind, request.status) == ("erase", "held")


async def test_lifting_the_hold_carries_out_the_held_erasure(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    person = await a_citizen(citizen, sessions)
    here = f"/inbox/citizens/{person}"
    await supervisor.post(f"{here}/erasure-hold", {"reason": REASON})
    async with sessions() as session, session.begin():  # confirmed by the citizen under the hold
        erase = (await data_requests.record(session, settings, person, "erase", "sms", status="held")).id
    lifted = await supervisor.post(f"{here}/erasure-hold/lift")
    assert lifted.status == 303 and "done=hold_lifted_erased" in lifted.headers["Location"]
    placeholder = lifted.headers["Location"].split("?")[0]
    assert placeholder != here
    async with sessions() as session:
        gone = await session.get(Citizen, person)
        request = await session.get(DataRequest, erase)
        kept = (await session.scalars(select(Case))).all()
        numbers = (await session.scalars(select(Citizen.phone_e164))).all()
    assert gone is None or gone.erased_at is not None
    assert "+573001112233" not in numbers
    assert request is not None and (request.status, request.note) == ("done", None)
    assert [str(c.citizen_id) for c in kept] == [placeholder.rsplit("/", 1)[1]]  # the case's facts stay
    page = await supervisor.page(lifted.headers["Location"])
    assert "se borraron los datos" in page and "+573001112233" not in page and REASON not in page


async def test_a_supervisor_erases_a_citizen_from_the_profile(
    client: Client,
    supervisor: Staff,
    agent: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = await a_citizen(citizen, sessions)
    here = f"/inbox/citizens/{person}"
    assert (await agent.post(f"{here}/erase", {"confirm": "BORRAR"})).status == 403
    erased = await supervisor.post(f"{here}/erase", {"confirm": "BORRAR"})
    assert erased.status == 303 and erased.headers["Location"].endswith("done=erased")
    async with sessions() as session:
        [request] = (await session.scalars(select(DataRequest))).all()
        numbers = (await session.scalars(select(Citizen.phone_e164))).all()
        events = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "data_request.erase"))
        ).all()
    assert "+573001112233" not in numbers
    assert (request.kind, request.status, request.channel) == ("erase", "done", "inbox")
    assert request.staff_id is not None and str(request.citizen_id) in erased.headers["Location"]
    [event] = events
    assert event.actor == "sara" and event.detail is not None and event.detail["kind"] == "erase"
    page = await supervisor.page(erased.headers["Location"])
    assert "Datos borrados" in page and "+573001112233" not in page
    assert "Borrar datos</button>" not in page  # nothing left to erase
    again = await supervisor.post(f"{here}/erase", {"confirm": "BORRAR"})
    assert again.status in (303, 404)


async def test_a_supervisor_of_another_department_cannot_touch_the_citizen(
    client: Client,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = await a_citizen(citizen, sessions)  # a public works case
    await add_staff("tomas", "supervisor", "water_utility", ["water_utility"])
    tomas = browser()
    assert (await tomas.log_in("tomas")).status == 303
    here = f"/inbox/citizens/{person}"
    for path, form in (
        ("erasure-hold", {"reason": REASON}),
        ("erasure-hold/lift", {}),
        ("name", {"name": "Mallory"}),
        ("erase", {"confirm": "BORRAR"}),
    ):
        assert (await tomas.post(f"{here}/{path}", form)).status == 404, path
    async with sessions() as session:
        row = await session.get(Citizen, person)
        requests = (await session.scalars(select(DataRequest))).all()
    assert row is not None and row.erasure_hold is None and row.display_name is None
    assert row.erased_at is None and requests == []
