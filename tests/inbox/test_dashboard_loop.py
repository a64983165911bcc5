"""The dashboard's closing-the-loop figures on a seeded database (SQLite and PostgreSQL), on the page and
in the CSV, and in a department's scope."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import cases as case_rows
from storage.models import CaseSupporter, Citizen, Conversation, ConversationRating, FollowUp, utcnow
from tests.inbox.conftest import Staff

DEPARTMENT = {"pw": ("public_works", "pothole"), "san": ("sanitation", "garbage"),
              "water": ("water_utility", "water")}  # fmt: skip
Ask = tuple[str, str, str | None, int | None, float | None]  # kind, status, answer, rating, sent days ago


async def seed_loop(
    sessions: async_sessionmaker[AsyncSession], add_staff: Callable[..., Awaitable[int]]
) -> None:
    """Seven follow-ups asked in the period, one before it, one never sent; statuses moved; two agents
    rated; six supporters on three of the eight cases filed in the period."""
    now = utcnow()

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    ana, bruno = await add_staff("ana"), await add_staff("bruno")
    async with sessions() as session, session.begin():
        people = [Citizen(display_name=f"vecino {n}") for n in range(7)]
        session.add_all(people)
        await session.flush()
        codes: dict[str, int] = {}
        # name: department, final status, created days ago, statuses moved (status, days ago), the
        # follow-up, supporters.
        done = "answered"
        plan: dict[str, tuple[str, str, float, list[tuple[str, float]], Ask, int]] = {
            "A": ("pw", "closed", 5, [("resolved", 4), ("closed", 2)], ("fixed", done, "yes", 5, 3), 3),
            "B": ("pw", "reopened", 5, [("resolved", 4), ("reopened", 2)], ("fixed", done, "no", None, 3), 0),
            "C": ("san", "closed", 5, [("resolved", 4), ("closed", 2)], ("fixed", done, "yes", 4, 3), 1),
            "C2": ("san", "resolved", 5, [("resolved", 4)], ("fixed", done, "yes", 3, 3), 0),
            "D": ("san", "resolved", 5, [("resolved", 4)], ("fixed", "expired", None, None, 3), 0),
            "E": ("water", "rejected", 5, [("rejected", 4)], ("satisfaction", done, None, 2, 3), 0),
            "F": ("water", "resolved", 5, [("resolved", 1)], ("fixed", "sent", None, None, 0.5), 2),
            "G": ("pw", "closed", 45, [("resolved", 40)], ("fixed", done, "yes", 1, 39), 0),
            "H": ("san", "resolved", 5, [("resolved", 0.2)], ("fixed", "scheduled", None, None, None), 0),
        }  # fmt: skip
        for name, (where, status, created, moves, followup, supporters) in plan.items():
            department, service = DEPARTMENT[where]
            case = await case_rows.add_case(
                session, service_code=service, description=name, department=department,
                channel="rest", status=status, created_at=ago(created), citizen_id=people[0].id,
            )  # fmt: skip
            codes[name] = case.id
            before, event = "open", None
            for to, days in moves:
                event = await case_rows.add_case_event(
                    session, case, "status", actor="staff", from_value=before, to_value=to, at=ago(days)
                )
                before = to
            assert event is not None
            kind, state, answer, rating, sent = followup
            session.add(
                FollowUp(
                    case_id=case.id, citizen_id=people[0].id, closing_event_id=event.id, kind=kind,
                    status=state, due_at=ago(sent or 0), sent_at=ago(sent) if sent is not None else None,
                    answer=answer, rating=rating, answered_at=ago(1) if state == "answered" else None,
                )
            )  # fmt: skip
            for n in range(supporters):
                session.add(CaseSupporter(case_id=case.id, citizen_id=people[n + 1].id, channel="rest"))
        conversation = Conversation(citizen_id=people[0].id, state={})
        session.add(conversation)
        await session.flush()
        given: list[tuple[int, str | None, int | None, float]] = [
            (ana, "public_works", 5, 2), (ana, "public_works", 4, 3), (ana, "public_works", None, 1),
            (bruno, "sanitation", 1, 2), (bruno, None, 3, 4), (bruno, None, 5, 40),
        ]  # fmt: skip
        for staff_id, area, rating, days in given:
            session.add(
                ConversationRating(
                    conversation_id=conversation.id, citizen_id=people[0].id, staff_id=staff_id,
                    department=area, rating=rating, asked_at=ago(days),
                    answered_at=None if rating is None else ago(days),
                )
            )  # fmt: skip


def kpis(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-loop="(\w+)">([^<]*)<', page))


def row(page: str, key: str) -> dict[str, str]:
    found = re.search(rf'<tr data-row="{re.escape(key)}">(.*?)</tr>', page, re.S)
    assert found is not None, key
    return dict(re.findall(r'data-cell="(\w+)">([^<]*)<', found[1]))


def high_share(page: str, kpi: str) -> str:
    found = re.search(rf'data-loop="{kpi}">([^<]*)<', page)
    assert found is not None
    return found[1]


async def test_closing_the_loop_on_the_page(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession], add_staff: Callable[..., Awaitable[int]]
) -> None:
    await seed_loop(sessions, add_staff)
    page = await supervisor.page("/inbox/dashboard")
    figures = kpis(page)
    assert {k: figures[k] for k in ("response_rate", "fixed_share", "reopen_rate", "median_rating")} == {
        "response_rate": "71 %",  # 5 answered of 7 sent (G before the period, H never sent)
        "fixed_share": "75 %",  # 3 "yes" of 4 answered "was it fixed?"
        "reopen_rate": "14 %",  # B, of A B C C2 D F H resolved in the period
        "median_rating": "3,5",  # 5 4 3 2
    }
    assert high_share(page, "high_share") == "50 % con 4 o 5, de 4"
    assert {k: figures[k] for k in ("closed", "fixed", "supporters_per_case", "conversation_median")} == {
        "closed": "7",  # moved to resolved or closed: A B C C2 D F H
        "fixed": "3",  # confirmed by the citizen: A C C2
        "supporters_per_case": "0,8",  # 6 supporters on 8 cases filed in the period
        "conversation_median": "3,5",  # 5 4 1 3 (bruno's 5 is before the period)
    }
    assert "6 en 8 casos nuevos" in page
    assert row(page, "service:pothole") == {
        "sent": "2", "response_rate": "100 %", "fixed_share": "50 %", "reopen_rate": "50 %", "closed": "2",
        "fixed": "1", "median_rating": "5", "high_share": "100 %",
    }  # fmt: skip
    assert row(page, "service:garbage") == {
        "sent": "3", "response_rate": "67 %", "fixed_share": "100 %", "reopen_rate": "0 %", "closed": "4",
        "fixed": "2", "median_rating": "3,5", "high_share": "50 %",
    }  # fmt: skip
    assert row(page, "department:water_utility") == {
        "sent": "2", "response_rate": "50 %", "fixed_share": "—", "reopen_rate": "0 %", "closed": "1",
        "fixed": "0", "median_rating": "2", "high_share": "0 %",
    }  # fmt: skip
    assert row(page, "agent:ana") == {
        "asked": "3",
        "rated": "2",
        "median_rating": "4,5",
        "high_share": "100 %",
    }
    assert row(page, "agent:bruno") == {"asked": "2", "rated": "2", "median_rating": "2", "high_share": "0 %"}
    supported = re.findall(r'<tr data-row="case:([^"]+)">.*?data-cell="supporters">(\d+)<', page, re.S)
    assert [n for _, n in supported] == ["3", "2", "1"]


async def test_closing_the_loop_in_the_csv(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession], add_staff: Callable[..., Awaitable[int]]
) -> None:
    await seed_loop(sessions, add_staff)
    response = await supervisor.get("/inbox/dashboard.csv")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="satisfaccion-')
    body = (await response.read()).decode("utf-8")
    assert body.startswith("\ufeffgroup,key,name,followups_sent,")
    rows = {(r["group"], r["key"]): r for r in csv.DictReader(io.StringIO(body.removeprefix("\ufeff")))}
    whole = rows[("all", "")]
    assert (whole["followups_sent"], whole["followups_answered"]) == ("7", "5")
    assert (whole["response_rate"], whole["fixed_share"]) == ("0.7143", "0.75")
    assert (whole["resolved"], whole["reopened"], whole["reopen_rate"]) == ("7", "1", "0.1429")
    assert (whole["closed"], whole["fixed"], whole["median_rating"], whole["share_rating_4_5"]) == (
        "7", "3", "3.5", "0.5",
    )  # fmt: skip
    assert (whole["cases_filed"], whole["supporters"], whole["supporters_per_case"]) == ("8", "6", "0.75")
    garbage = rows[("service", "garbage")]
    assert (garbage["response_rate"], garbage["fixed_share"], garbage["name"]) == (
        "0.6667", "1", "Basura no recogida",
    )  # fmt: skip
    assert rows[("department", "water_utility")]["fixed_share"] == ""  # nothing to divide
    assert (rows[("agent", "ana")]["ratings_asked"], rows[("agent", "ana")]["median_rating"]) == ("3", "4.5")
    assert rows[("conversations", "")]["ratings"] == "4"
    assert sorted(r["supporters"] for (group, _), r in rows.items() if group == "case") == ["1", "2", "3"]


async def test_a_department_sees_its_own_figures(
    sessions: async_sessionmaker[AsyncSession],
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
) -> None:
    await seed_loop(sessions, add_staff)
    await add_staff("pia", "supervisor", departments=["public_works"])
    pia = browser()
    await pia.log_in("pia")
    page = await pia.page("/inbox/dashboard")
    figures = kpis(page)
    assert (figures["response_rate"], figures["fixed_share"], figures["reopen_rate"]) == (
        "100 %",
        "50 %",
        "50 %",
    )
    assert 'data-row="service:garbage"' not in page and 'data-row="department:sanitation"' not in page
    # Her department's conversations and the general queue's: ana's two, bruno's general one.
    assert row(page, "agent:bruno") == {"asked": "1", "rated": "1", "median_rating": "3", "high_share": "0 %"}
    body = await (await pia.get("/inbox/dashboard.csv")).text()
    groups = {(r["group"], r["key"]) for r in csv.DictReader(io.StringIO(body.removeprefix("\ufeff")))}
    assert ("service", "garbage") not in groups and ("service", "pothole") in groups


async def test_the_loop_without_data(supervisor: Staff) -> None:
    page = await supervisor.page("/inbox/dashboard")
    figures = kpis(page)
    assert figures["response_rate"] == "—" and figures["median_rating"] == "—" and figures["closed"] == "0"
    assert "Ningún seguimiento en el periodo." in page and "Nadie ha calificado" in page
