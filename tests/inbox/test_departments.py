"""Staff limited to departments: another department's cases, conversations and citizens are not there for
them, by list, search, export, dashboard or typed URL (404, as for what does not exist)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import cases as case_rows
from storage.models import (
    AuditEvent,
    Author,
    Case,
    Citizen,
    Conversation,
    Direction,
    Holder,
    Message,
    utcnow,
)
from tests.inbox.conftest import Staff
from tests.inbox.test_queue import queue_order

Add = Callable[..., Awaitable[int]]


@dataclass(frozen=True)
class Person:
    citizen_id: int
    conversation_id: int
    code: str | None  # their open case's code


async def waiting_citizen(
    sessions: async_sessionmaker[AsyncSession], name: str, department: str | None, said: str, waited: int = 5
) -> Person:
    """A citizen waiting for a person, with an open case of `department` (None: no case at all)."""
    async with sessions() as session, session.begin():
        citizen = Citizen(display_name=name)
        session.add(citizen)
        await session.flush()
        conversation = Conversation(
            citizen_id=citizen.id, state={}, last_channel="rest", last_address=name, holder=Holder.WAITING,
            waiting_since=utcnow() - timedelta(minutes=waited),
        )  # fmt: skip
        session.add(conversation)
        session.add(
            Message(citizen_id=citizen.id, direction=Direction.IN, author=Author.CITIZEN, channel="rest",
                    address=name, text=said)
        )  # fmt: skip
        code = None
        if department is not None:
            case = await case_rows.add_case(
                session, citizen_id=citizen.id, service_code="water" if department == "water_utility" else
                "pothole", description=said, department=department, channel="rest", status="open",
            )  # fmt: skip
            await case_rows.add_case_event(session, case, "created", actor="citizen", to_value="open")
            code = case.code
        await session.flush()
        return Person(citizen.id, conversation.id, code)


@pytest.fixture
async def city(sessions: async_sessionmaker[AsyncSession]) -> dict[str, Person]:
    """Three citizens waiting: a pothole (public works), a leak (water, past its 30-minute target), and one
    with no case (general)."""
    return {
        "works": await waiting_citizen(sessions, "Wilson", "public_works", "hueco en la calle 8"),
        "water": await waiting_citizen(sessions, "Valeria", "water_utility", "fuga secreta en la 9", 45),
        "general": await waiting_citizen(sessions, "Gloria", None, "quiero hablar con alguien"),
    }


@pytest.fixture
async def works_agent(add_staff: Add, browser: Callable[[], Staff]) -> Staff:
    await add_staff("wanda", "agent", departments=["public_works"])
    wanda = browser()
    assert (await wanda.log_in("wanda")).status == 303
    return wanda


@pytest.fixture
async def works_supervisor(add_staff: Add, browser: Callable[[], Staff]) -> Staff:
    await add_staff("walter", "supervisor", departments=["public_works", "sanitation"])
    walter = browser()
    assert (await walter.log_in("walter")).status == 303
    return walter


def codes_listed(page: str) -> list[str]:
    return re.findall(r'class="strong" href="/inbox/cases/([^"]+)"', page)


async def test_the_queue_and_case_list_show_only_their_departments_and_the_general_queue(
    city: dict[str, Person], works_agent: Staff, agent: Staff
) -> None:
    works, water, general = city["works"], city["water"], city["general"]
    page = await works_agent.page("/inbox/queue")
    assert queue_order(page) == [works.conversation_id, general.conversation_id]
    assert "Vencido" not in page
    assert "fuga secreta" not in page and "Valeria" not in page
    assert '<span class="count">2</span>' in page  # the tabs count what is seen, not the city
    assert queue_order(await works_agent.page("/inbox/queue?department=water_utility")) == []
    assert "Acueducto" not in page  # the department filter offers only their own
    assert queue_order(await works_agent.page("/inbox/queue?partial=1")) == queue_order(page)
    assert codes_listed(await works_agent.page("/inbox/cases")) == [works.code]
    # Search by the code, the words, or the department: nothing of the other department comes back.
    for query in (f"q={water.code}", "q=fuga+secreta", "department=water_utility", "service=water"):
        assert codes_listed(await works_agent.page(f"/inbox/cases?{query}")) == [], query
    # An account with no departments sees every one, as before.
    assert len(queue_order(await agent.page("/inbox/queue"))) == 3
    assert set(codes_listed(await agent.page("/inbox/cases"))) == {works.code, water.code}


async def test_another_departments_urls_answer_404_like_what_does_not_exist(
    city: dict[str, Person], works_agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    works, water, general = city["works"], city["water"], city["general"]
    for path, nothing in (
        (f"/inbox/cases/{water.code}", "/inbox/cases/ZZZ-999"),
        (f"/inbox/conversations/{water.conversation_id}", "/inbox/conversations/999999"),
        (f"/inbox/conversations/{water.conversation_id}/timeline", "/inbox/conversations/999999/timeline"),
        (f"/inbox/citizens/{water.citizen_id}", "/inbox/citizens/999999"),
    ):
        response, missing = await works_agent.get(path), await works_agent.get(nothing)
        assert response.status == missing.status == 404, path
        # Word for word the page of what does not exist: "not yours" never reads as "exists".
        assert (await response.text()).replace(path, "") == (await missing.text()).replace(nothing, "")
    for path in (
        f"/inbox/cases/{works.code}",
        f"/inbox/conversations/{works.conversation_id}",
        f"/inbox/conversations/{general.conversation_id}",
        f"/inbox/citizens/{general.citizen_id}",
    ):
        assert (await works_agent.get(path)).status == 200, path
    # Acting on them is refused the same way, and nothing changes.
    assert water.code is not None
    for path, form in (
        (f"/inbox/cases/{water.code}/status", {"status": "rejected"}),
        (f"/inbox/cases/{water.code}/department", {"department": "public_works"}),
        (f"/inbox/cases/{water.code}/publish", {"publish": "yes"}),
        (f"/inbox/conversations/{water.conversation_id}/claim", {}),
        (f"/inbox/conversations/{water.conversation_id}/reply", {"text": "hola"}),
        (f"/inbox/conversations/{water.conversation_id}/note", {"text": "nota"}),
        (f"/inbox/conversations/{water.conversation_id}/handback", {}),
        (f"/inbox/conversations/{water.conversation_id}/release", {}),
        (f"/inbox/conversations/{water.conversation_id}/assign", {"staff_id": "1"}),
        (f"/inbox/citizens/{water.citizen_id}/preferential", {"kind": "elderly", "reason": "x"}),
    ):
        assert (await works_agent.post(path, form)).status == 404, path
    async with sessions() as session:
        case = await session.scalar(select(Case).where(Case.code == water.code))
        conversation = await session.get(Conversation, water.conversation_id)
        citizen = await session.get(Citizen, water.citizen_id)
        staff_messages = await session.scalar(select(Message).where(Message.author == Author.STAFF))
        audit = (await session.scalars(select(AuditEvent.action))).all()
    assert case is not None and (case.status, case.department) == ("open", "water_utility")
    assert conversation is not None and conversation.holder == Holder.WAITING
    assert citizen is not None and citizen.preferential is None
    assert staff_messages is None and audit == ["staff.login"]


async def test_a_citizen_with_cases_in_two_departments_shows_only_theirs(
    city: dict[str, Person], works_agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The water citizen also had a pothole fixed: the works agent sees that case and the citizen, but not
    the water case, its events, nor the conversation (the queue puts it in water)."""
    water = city["water"]
    async with sessions() as session, session.begin():
        old = await case_rows.add_case(
            session, citizen_id=water.citizen_id, service_code="pothole", description="hueco viejo",
            department="public_works", channel="rest", status="resolved",
            created_at=utcnow() - timedelta(days=30),
        )  # fmt: skip
    page = await works_agent.page(f"/inbox/citizens/{water.citizen_id}")
    assert old.code in page and water.code is not None and water.code not in page
    assert f"/inbox/conversations/{water.conversation_id}" not in page
    assert (await works_agent.get(f"/inbox/conversations/{water.conversation_id}")).status == 404
    assert (await works_agent.get(f"/inbox/cases/{old.code}")).status == 200


async def test_a_limited_supervisor_exports_counts_and_merges_only_within_their_departments(
    city: dict[str, Person],
    works_supervisor: Staff,
    supervisor: Staff,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    works, water = city["works"], city["water"]
    body = await (await works_supervisor.get("/inbox/cases.csv")).text()
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    assert [row["code"] for row in rows] == [works.code]
    leak = await (await works_supervisor.get("/inbox/cases.csv?department=water_utility")).text()
    assert len(list(csv.DictReader(io.StringIO(leak.removeprefix("\ufeff"))))) == 0
    dashboard = await works_supervisor.page("/inbox/dashboard")
    assert 'data-kpi="new_cases">1<' in dashboard and "Fuga o falta de agua" not in dashboard
    assert 'data-kpi="waiting_breached">0<' in dashboard  # water's 30-minute target is not theirs
    everything = await supervisor.page("/inbox/dashboard")  # a supervisor of every department
    assert 'data-kpi="new_cases">2<' in everything and "Fuga o falta de agua" in everything
    assert 'data-kpi="waiting_breached">1<' in everything
    # The audit trail names every department's cases and citizens: not for them.
    assert (await works_supervisor.get("/inbox/audit")).status == 403
    assert 'href="/inbox/audit"' not in dashboard
    # Merging another department's citizen into one of theirs would carry its cases over: refused.
    merge = await works_supervisor.post(
        f"/inbox/citizens/{works.citizen_id}/merge", {"source_id": str(water.citizen_id), "confirm": "1"}
    )
    assert merge.headers["Location"].endswith("done=no_such_citizen")
    async with sessions() as session:
        assert await session.get(Citizen, water.citizen_id) is not None


async def test_colleagues_offered_and_reassignment_follow_the_departments(
    city: dict[str, Person], works_agent: Staff, add_staff: Add, sessions: async_sessionmaker[AsyncSession]
) -> None:
    works = city["works"]
    walt = await add_staff("walt", "agent", departments=["water_utility"])
    here = f"/inbox/conversations/{works.conversation_id}"
    assert "walt" not in await works_agent.page(here)  # he could not open it
    refused = await works_agent.post(f"{here}/assign", {"staff_id": str(walt)})
    assert refused.headers["Location"].endswith("done=no_such_colleague")
    # Sending the case to water is allowed; afterwards it is water's, and gone from the agent's view.
    moved = await works_agent.post(f"/inbox/cases/{works.code}/department", {"department": "water_utility"})
    assert moved.headers["Location"] == "/inbox/cases?done=reassigned"
    assert (await works_agent.get(f"/inbox/cases/{works.code}")).status == 404
