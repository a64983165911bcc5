"""Preferential citizens served first in the inbox (issue 19): shorter targets shown, first in the lists,
marked on every page, their record reviewable, their breaches apart; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import cases as case_rows
from storage import conversations, preferential
from storage.models import (
    Author,
    CaseSupporter,
    Citizen,
    Conversation,
    DataRequest,
    Direction,
    FirstResponse,
    Holder,
    Message,
    StaffUser,
    utcnow,
)
from tests.inbox.conftest import Client, Staff
from tests.inbox.test_cases import listed
from tests.inbox.test_dashboard import kpis

Sessions = async_sessionmaker[AsyncSession]
MARK = "Preferencial · Persona mayor"
PRIORITY = preferential.PREFERENTIAL_PRIORITY


@dataclass(frozen=True)
class Person:
    citizen_id: int
    conversation_id: int
    code: str


async def person(
    sessions: Sessions,
    name: str,
    *,
    kind: str | None = None,
    filed: timedelta = timedelta(hours=13),
    department: str = "water_utility",
    waiting: timedelta = timedelta(minutes=5),
    status: str = "open",
) -> Person:
    """A citizen waiting in the queue with one case (water: 30 min and 24 h targets, half for preferential
    citizens); `kind` gives them preferential attention the way the bot's yes does."""
    now = utcnow()
    async with sessions() as session, session.begin():
        citizen = Citizen(display_name=name, language="es")
        session.add(citizen)
        await session.flush()
        if kind is not None:
            await preferential.grant(session, citizen, kind=kind, words="tengo 82 años", channel="whatsapp")
        conversation = Conversation(
            citizen_id=citizen.id, state={}, last_channel="rest", last_address=name,
            holder=Holder.WAITING, waiting_since=now - waiting,
        )  # fmt: skip
        session.add(conversation)
        session.add(
            Message(citizen_id=citizen.id, direction=Direction.IN, author=Author.CITIZEN, channel="rest",
                    address=name, text="necesito ayuda", created_at=now - waiting)
        )  # fmt: skip
        case = await case_rows.add_case(
            session, service_code="water", description=f"sin agua ({name})", department=department,
            channel="rest", status=status, created_at=now - filed, citizen_id=citizen.id,
            priority=PRIORITY if kind else 0,
        )  # fmt: skip
        await session.flush()
        return Person(citizen.id, conversation.id, case.code)


def target(page: str, which: str) -> str:
    found = re.search(rf'data-target="{which}">(.*?)</dd>', page, re.S)
    assert found is not None, which
    return " ".join(re.sub(r"<[^>]+>", "", found[1]).split())


async def test_a_preferential_citizens_case_shows_half_the_targets_and_its_breach(
    supervisor: Staff, sessions: Sessions
) -> None:
    elder = await person(sessions, "rosa", kind="elderly")
    other = await person(sessions, "pedro")
    page = await supervisor.page(f"/inbox/cases/{elder.code}")
    assert target(page, "first_response") == "15 min"
    resolution = target(page, "resolution")
    assert resolution.startswith("12 h 00 min (preferencial: 50 % de 24 h 00 min) · Vence ")
    assert resolution.endswith("Meta incumplida") and MARK in page  # 13 h after it was filed
    page = await supervisor.page(f"/inbox/cases/{other.code}")
    assert target(page, "first_response") == "30 min"
    assert target(page, "resolution").startswith("24 h 00 min · Vence ")
    assert target(page, "resolution").endswith("A tiempo") and "data-pref" not in page


async def test_the_conversation_clock_runs_against_the_shorter_target(
    supervisor: Staff, sessions: Sessions
) -> None:
    elder = await person(sessions, "rosa", kind="elderly", waiting=timedelta(minutes=20))
    other = await person(sessions, "pedro", waiting=timedelta(minutes=20))
    page = await supervisor.page(f"/inbox/conversations/{elder.conversation_id}")
    assert re.search(r'class="clock breached"[^>]*>\s*20 min / 15 min\s*<strong>Vencido', page)
    page = await supervisor.page(f"/inbox/conversations/{other.conversation_id}")
    assert "20 min / 30 min" in page and "data-pref" not in page


async def test_preferential_cases_head_the_case_list_and_the_queue_and_are_marked(
    supervisor: Staff, sessions: Sessions
) -> None:
    older = await person(
        sessions, "rosa", kind="elderly", filed=timedelta(days=3), waiting=timedelta(minutes=1)
    )
    newer = await person(sessions, "pedro", filed=timedelta(hours=1), waiting=timedelta(minutes=40))
    closed = await person(sessions, "luz", kind="elderly", filed=timedelta(days=9), status="resolved")
    page = await supervisor.page("/inbox/cases")
    assert listed(page) == [older.code, newer.code, closed.code]  # a closed case no longer jumps ahead
    assert page.count(MARK) == 2
    for path in (
        "/inbox/cases?department=water_utility",
        "/inbox/cases?q=sin+agua",
        "/inbox/cases?status=open",
        "/inbox/cases?service=water",
    ):
        shown = await supervisor.page(path)
        assert listed(shown)[0] == older.code and MARK in shown, path
    queue = await supervisor.page("/inbox/queue")
    order = re.findall(r'data-conversation="(\d+)"', queue)
    assert order.index(str(older.conversation_id)) < order.index(str(newer.conversation_id))  # 1 < 40 min
    assert queue.count(MARK) == 2


async def test_every_page_with_a_case_or_conversation_marks_the_preferential_citizen_only(
    supervisor: Staff, sessions: Sessions
) -> None:
    elder = await person(sessions, "rosa", kind="elderly")
    other = await person(sessions, "pedro")
    for who, marked in ((elder, True), (other, False)):
        for path in (
            f"/inbox/cases/{who.code}",
            f"/inbox/conversations/{who.conversation_id}",
            f"/inbox/citizens/{who.citizen_id}",
            f"/inbox/cases?q={who.code}",
        ):
            page = await supervisor.page(path)
            assert ("data-pref" in page) is marked and (MARK in page) is marked, path


async def test_the_data_requests_and_the_dashboards_case_list_mark_them_too(
    supervisor: Staff, sessions: Sessions
) -> None:
    elder = await person(sessions, "rosa", kind="elderly")
    other = await person(sessions, "pedro")
    async with sessions() as session, session.begin():
        for who in (elder, other):
            session.add(
                DataRequest(citizen_id=who.citizen_id, kind="access", channel="rest", due_on=date.today())
            )
            case = await case_rows.case_by_code(session, who.code)
            assert case is not None
            neighbour = Citizen(display_name="vecino")
            session.add(neighbour)
            await session.flush()
            session.add(CaseSupporter(case_id=case.id, citizen_id=neighbour.id, channel="rest"))
    async with sessions() as session, session.begin():  # the elder joins the other's case as a neighbour
        case = await case_rows.case_by_code(session, other.code)
        assert case is not None
        session.add(CaseSupporter(case_id=case.id, citizen_id=elder.citizen_id, channel="rest"))
    page = await supervisor.page(f"/inbox/cases/{other.code}")
    joined = re.search(r'<ul class="supporters">(.*?)</ul>', page, re.S)
    assert joined is not None and joined[1].count(MARK) == 1
    assert MARK not in page.split('<ul class="supporters">')[0]  # the case itself is not preferential
    page = await supervisor.page("/inbox/data-requests")
    rows = dict(re.findall(r'href="/inbox/citizens/(\d+)">[^<]*</a>(.*?)</td>', page, re.S))
    assert MARK in rows[str(elder.citizen_id)] and "data-pref" not in rows[str(other.citizen_id)]
    page = await supervisor.page("/inbox/dashboard")
    cells = dict(re.findall(r'<tr data-row="case:([^"]+)">\s*<th scope="row">(.*?)</th>', page, re.S))
    assert "data-pref" in cells[elder.code] and "data-pref" not in cells[other.code]


async def test_the_profile_shows_who_gave_and_withdrew_it_with_the_words(
    supervisor: Staff, sessions: Sessions
) -> None:
    elder = await person(sessions, "rosa", kind="elderly")
    await supervisor.post(f"/inbox/citizens/{elder.citizen_id}/preferential", {"kind": ""})
    await supervisor.post(
        f"/inbox/citizens/{elder.citizen_id}/preferential",
        {"kind": "disability", "reason": "usa silla de ruedas, lo dijo por teléfono"},
    )
    page = await supervisor.page(f"/inbox/citizens/{elder.citizen_id}")
    history = re.findall(r'data-pref-record="(\w+)">(.*?)</li>', page, re.S)
    said = [(action, " ".join(re.sub(r"<[^>]+>", "", text).split())) for action, text in history]
    assert [action for action, _ in said] == ["granted", "withdrawn", "granted"]  # the latest first
    latest, withdrawn, first = (text for _, text in said)
    assert "Activada · Discapacidad o movilidad reducida · a mano en la bandeja · sara" in latest
    assert "«usa silla de ruedas, lo dijo por teléfono»" in latest
    assert "Retirada · Persona mayor · a mano en la bandeja · sara" in withdrawn
    assert "Activada · Persona mayor · WhatsApp · el ciudadano «tengo 82 años»" in first
    for kind in preferential.KINDS:
        assert f'<option value="{kind}"' in page


async def test_another_departments_agent_sees_no_record(
    add_staff: Callable[..., Awaitable[int]], browser: Callable[[], Staff], sessions: Sessions
) -> None:
    elder = await person(sessions, "rosa", kind="elderly", department="water_utility")
    await add_staff("tomas", "agent", departments=["public_works"])
    tomas = browser()
    await tomas.log_in("tomas")
    for path in (f"/inbox/citizens/{elder.citizen_id}", f"/inbox/cases/{elder.code}"):
        response = await tomas.get(path)
        assert response.status == 404 and "tengo 82 años" not in await response.text()
    assert elder.code not in await tomas.page("/inbox/cases?q=sin+agua")


async def test_the_dashboard_shows_preferential_breaches_apart_each_against_its_own_target(
    supervisor: Staff, sessions: Sessions
) -> None:
    # Waiting now (water: 30 min, 15 for preferential): the elder at 20 min is late, the other is not.
    elder = await person(
        sessions, "rosa", kind="elderly", waiting=timedelta(minutes=20), filed=timedelta(hours=1)
    )
    other = await person(sessions, "pedro", waiting=timedelta(minutes=20), filed=timedelta(hours=1))
    # Open past the resolution target (24 h, 12 for preferential): 13 h is late only for the elder; 30 h
    # is late for anyone.
    await person(sessions, "luz", kind="elderly", waiting=timedelta(0), filed=timedelta(hours=13))
    await person(sessions, "juan", waiting=timedelta(0), filed=timedelta(hours=13))
    await person(sessions, "eva", waiting=timedelta(0), filed=timedelta(hours=30))
    now = utcnow()

    def ago(**span: float) -> datetime:
        return now - timedelta(**span)

    async with sessions() as session, session.begin():
        # Answered in the period: 20 min is late for the elder only; 40 min is late for anyone.
        for minutes, who in ((20, elder), (20, other), (40, other)):
            session.add(
                FirstResponse(citizen_id=who.citizen_id, department="water_utility",
                              waiting_since=ago(days=1, minutes=minutes), responded_at=ago(days=1),
                              preferential=who is elder)
            )  # fmt: skip
        # Resolved in the period after 18 h: late for a preferential case (12 h), on time for another (24 h).
        for kind in ("elderly", None):
            created = ago(days=2)
            case = await case_rows.add_case(
                session, service_code="water", description="x", department="water_utility", channel="rest",
                status="resolved", created_at=created, priority=PRIORITY if kind else 0,
            )  # fmt: skip
            await case_rows.add_case_event(
                session, case, "status", actor="staff", from_value="open", to_value="resolved",
                at=created + timedelta(hours=18),
            )  # fmt: skip
    figures = kpis(await supervisor.page("/inbox/dashboard"))
    assert {k: v for k, v in figures.items() if k.startswith("pref_")} == {
        "pref_waiting_breached": "1",
        "pref_late_first_responses": "1",
        "pref_overdue_cases": "1",
        "pref_late_resolutions": "1",
    }
    assert figures["waiting_breached"] == "1"  # the other at 20 min is within 30
    assert figures["late_first_responses"] == "2"  # the elder's 20 min and anyone's 40
    assert figures["overdue_cases"] == "2"  # luz (13 h of 12) and eva (30 h of 24); juan is on time
    assert figures["late_resolutions"] == "1"


async def test_an_answer_keeps_the_target_it_had_when_attention_is_withdrawn_later(
    supervisor: Staff, sessions: Sessions
) -> None:
    """20 minutes to answer an elder was late (15 min for water); withdrawing her attention afterwards
    does not make it on time."""
    elder = await person(sessions, "rosa", kind="elderly", waiting=timedelta(0), filed=timedelta(hours=1))
    now = utcnow()
    async with sessions() as session, session.begin():
        staff_id = await session.scalar(select(StaffUser.id).where(StaffUser.username == supervisor.username))
        assert staff_id is not None
        await conversations.add_first_response(
            session, citizen_id=elder.citizen_id, department="water_utility", staff_id=staff_id,
            waiting_since=now - timedelta(minutes=20), responded_at=now,
        )  # fmt: skip
        citizen = await session.get(Citizen, elder.citizen_id)
        assert citizen is not None
        await preferential.withdraw(session, citizen, channel="inbox", words="ya no lo necesita")
    figures = kpis(await supervisor.page("/inbox/dashboard"))
    assert figures["pref_late_first_responses"] == "1" and figures["late_first_responses"] == "1"


async def test_open311_shows_a_preferential_case_like_any_other(client: Client, sessions: Sessions) -> None:
    """The public never learns who is preferential: same fields, the department's usual expected time,
    listed newest first as ever (the inbox's order does not leak through)."""
    elder = await person(sessions, "rosa", kind="elderly", filed=timedelta(hours=30))
    other = await person(sessions, "pedro", filed=timedelta(hours=2))
    response = await client.get("/open311/v2/requests.json")
    assert response.status == 200
    listing = await response.json()
    assert [r["service_request_id"] for r in listing] == [other.code, elder.code]
    spans = {
        datetime.fromisoformat(r["expected_datetime"]) - datetime.fromisoformat(r["requested_datetime"])
        for r in listing
    }
    assert spans == {timedelta(hours=24)}  # water's target for everyone, not the elder's 12 h
    assert sorted(listing[0]) == sorted(listing[1])
    assert "prefer" not in (await response.text()).lower()
