"""The supervisors' dashboard on seeded data, and the CSV export of cases."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from storage import cases as case_rows
from storage.models import (
    AuditEvent,
    Author,
    Case,
    Citizen,
    Conversation,
    Direction,
    FirstResponse,
    Holder,
    Message,
    utcnow,
)
from tests.inbox.conftest import Staff
from tests.inbox.test_cases import seed


def kpis(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-kpi="(\w+)">([^<]*)<', page))


async def seed_figures(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = utcnow()

    def ago(**span: float) -> datetime:
        return now - timedelta(**span)

    async with sessions() as session, session.begin():
        # Cases: two resolved (10 h and 50 h), one overdue in sanitation (48 h target), one recent, one old.
        for created, hours, department, service in (
            (ago(days=5), 10, "public_works", "pothole"),
            (ago(days=6), 50, "sanitation", "garbage"),
        ):
            case = await case_rows.add_case(
                session, service_code=service, description="x", department=department, channel="rest",
                status="resolved", created_at=created,
            )  # fmt: skip
            await case_rows.add_case_event(
                session, case, "created", actor="citizen", to_value="open", at=created
            )
            await case_rows.add_case_event(
                session, case, "status", actor="staff", from_value="open", to_value="resolved",
                at=created + timedelta(hours=hours),
            )  # fmt: skip
        for created, department, service in (
            (ago(days=3), "sanitation", "garbage"),
            (ago(hours=2), "public_works", "pothole"),
            (ago(days=40), "public_works", "pothole"),
        ):
            await case_rows.add_case(
                session, service_code=service, description="x", department=department, channel="rest",
                status="open", created_at=created,
            )  # fmt: skip
        # Citizens who wrote lately: one served by the bot alone, one answered by staff, one waiting now.
        people = []
        for name in ("solo", "served", "waiting"):
            citizen = Citizen(display_name=name)
            session.add(citizen)
            await session.flush()
            people.append(citizen.id)
            conversation = Conversation(
                citizen_id=citizen.id, state={}, last_channel="rest", last_address=name
            )
            if name == "waiting":
                conversation.holder, conversation.waiting_since = Holder.WAITING, ago(hours=3)
            session.add(conversation)
            said = {"channel": "rest", "address": name, "text": "hola", "created_at": ago(days=1)}
            session.add(Message(citizen_id=citizen.id, direction=Direction.IN, author=Author.CITIZEN, **said))
        answer = {"channel": "rest", "address": "served", "text": "hola, soy Ana", "created_at": ago(days=1)}
        session.add(Message(citizen_id=people[1], direction=Direction.OUT, author=Author.STAFF, **answer))
        # First responses: 10 and 20 minutes in public works (120 min target), 90 in sanitation (60).
        for minutes, department in ((10, "public_works"), (20, "public_works"), (90, "sanitation")):
            waited = {"waiting_since": ago(days=2, minutes=minutes), "responded_at": ago(days=2)}
            session.add(FirstResponse(citizen_id=people[1], department=department, **waited))
        session.add(
            FirstResponse(
                citizen_id=people[1],
                department=None,
                waiting_since=ago(days=45, hours=9),
                responded_at=ago(days=45),
            )
        )  # fmt: skip, before the period


async def test_dashboard_figures_on_seeded_data(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await seed_figures(sessions)
    page = await supervisor.page("/inbox/dashboard")
    assert kpis(page) == {
        "new_cases": "4",
        "median_first_response": "20 min",
        "median_resolution": "30 h 00 min",
        "bot_only": "33 %",
        "waiting_breached": "1",
        "late_first_responses": "1",
        "overdue_cases": "2",  # sanitation 3 days old (48 h), public works 40 days old (120 h)
        "late_resolutions": "1",
        **{f"pref_{key}": "0" for key in ("waiting_breached", "late_first_responses", "overdue_cases")},
        "pref_late_resolutions": "0",  # nobody here has preferential attention (issue 19)
    }
    assert "5 en total" in page
    day = (utcnow() - timedelta(hours=2)).astimezone(settings.city.zone).date().isoformat()
    assert f"<title>{day}: 1</title>" in page  # the case filed two hours ago, on the city's calendar
    assert re.search(r"<title>Bache o hueco en la vía · Resuelto: 1</title>", page)
    assert re.search(r"<title>Basura no recogida · Abierto: 1</title>", page)


async def test_dashboard_without_data(supervisor: Staff) -> None:
    figures = kpis(await supervisor.page("/inbox/dashboard"))
    assert figures["new_cases"] == "0" and figures["median_first_response"] == "—"
    assert figures["bot_only"] == "—"


async def test_csv_export_has_a_header_and_defuses_formulas(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seed(
        sessions,
        {"description": '=HYPERLINK("http://evil.example","clic")', "address": "+57 calle", "latitude": 4.6,
         "longitude": -74.08},
        {"service_code": "water", "department": "water_utility", "description": "@SUM(A1:A9)",
         "address": "-1", "status": "resolved"},
        {"description": "fuga; con \"comillas\"\ny salto de línea"},
    )  # fmt: skip
    response = await supervisor.get("/inbox/cases.csv")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="casos-')
    body = (await response.read()).decode("utf-8")
    assert body.startswith("\ufeffcode,created_at,")
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(rows) == 3
    by_description = {row["description"]: row for row in rows}
    evil = by_description['\'=HYPERLINK("http://evil.example","clic")']
    assert evil["address"] == "'+57 calle" and evil["longitude"] == "-74.08" and evil["service"]
    assert by_description["'@SUM(A1:A9)"]["address"] == "'-1"
    assert 'fuga; con "comillas"\ny salto de línea' in by_description
    only_water = await (await supervisor.get("/inbox/cases.csv?service=water")).text()
    assert len(list(csv.DictReader(io.StringIO(only_water.removeprefix("\ufeff"))))) == 1
    async with sessions() as session:
        exports = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "cases.export"))).all()
    assert [(e.actor, e.detail) for e in exports] == [("sara", None), ("sara", {"service": "water"})]


async def test_case_page_and_list_exist_for_seeded_cases(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    [code] = await seed(sessions, {"description": "algo"})
    async with sessions() as session:
        assert isinstance(await case_rows.case_by_code(session, code), Case)
    assert code in await supervisor.page(f"/inbox/cases/{code}")
