"""Cases: list and search, status changes that tell the citizen with the code, reassignment, audit."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import cases as case_rows
from storage.models import AuditEvent, Case, CaseEvent, Message
from tests.inbox.conftest import Client, Staff, arrives, telegram_says
from tests.support.conversation import Citizen
from tests.support.fake_telegram import FakeTelegram


async def file_a_case(person: Citizen, text: str = "hay un bache enorme frente al colegio") -> str:
    await person.says(text)
    await person.says("omitir")
    await person.says("omitir")
    filed = await person.says("si")
    code = re.search(r"[2-9A-Z]{3}-[2-9A-Z]{3}", filed[0].text)
    assert code is not None, filed
    return code[0]


async def test_a_status_change_tells_the_citizen_with_the_code_in_their_language(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    code = await file_a_case(citizen("web-es-5f3c9d27e1"))
    page = await agent.page(f"/inbox/cases/{code}")
    assert "Bache o hueco en la vía" in page and "Recibido" in page and "Cerrado" not in page
    response = await agent.post(
        f"/inbox/cases/{code}/status",
        {"status": "in_progress", "note": "Cuadrilla asignada para el martes", "tell_note": "1"},
    )
    assert response.headers["Location"] == f"/inbox/cases/{code}?done=status_changed"
    english = citizen("web-en-5f3c9d27e1")
    await english.says("hi")
    english_code = await file_a_case(english, "there is a huge pothole on 5th street")
    await agent.post(f"/inbox/cases/{english_code}/status", {"status": "resolved", "note": "internal only"})
    async with sessions() as session:
        notices = (await session.scalars(select(Message).where(Message.author == "system"))).all()
        case = await session.scalar(select(Case).where(Case.code == code))
        events = (await session.scalars(select(CaseEvent).where(CaseEvent.kind == "status"))).all()
        audit = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "case.status"))).all()
    spanish, english_notice = notices
    assert spanish.address == "web-es-5f3c9d27e1" and spanish.delivery_status == "pending"
    assert spanish.text == (
        f"Tu caso {code} (Bache o hueco en la vía) cambió: en atención.\n"
        "Nota: Cuadrilla asignada para el martes"
    )
    assert english_notice.text == f"Your case {english_code} (Pothole) was updated: resolved."
    assert case is not None and case.status == "in_progress" and case.closed_at is None
    assert [(e.from_value, e.to_value, e.actor) for e in events] == [
        ("open", "in_progress", "staff"),
        ("open", "resolved", "staff"),
    ]
    assert [(a.actor, a.target_id, a.from_value, a.to_value) for a in audit] == [
        ("ana", code, "open", "in_progress"),
        ("ana", english_code, "open", "resolved"),
    ]
    page = await agent.page(f"/inbox/cases/{code}")
    assert "Abierto → En atención" in page and "Cuadrilla asignada para el martes" in page


async def test_a_status_change_reaches_telegram(
    telegram_client: Client,
    telegram: FakeTelegram,
    add_staff: Callable[..., Awaitable[int]],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    for text in ("hay un bache enorme en mi cuadra", "omitir", "omitir", "si"):
        await telegram_says(telegram_client, text)
    filed = (await arrives(telegram, 4))[-1]
    async with sessions() as session:
        code = await session.scalar(select(Case.code))
    assert code is not None and code in filed
    await add_staff("ana")
    ana = Staff(telegram_client.make_url("/"))
    try:
        await ana.log_in("ana")
        await ana.post(f"/inbox/cases/{code}/status", {"status": "resolved"})
        told = await arrives(telegram, 5)
    finally:
        await ana.close()
    assert told[-1] == f"Tu caso {code} (Bache o hueco en la vía) cambió: resuelto."


async def test_a_transition_that_does_not_exist_changes_nothing(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    code = await file_a_case(citizen("web-1-5f3c9d27e1"))
    for status in ("closed", "open", "nonsense", ""):
        response = await agent.post(f"/inbox/cases/{code}/status", {"status": status})
        assert response.headers["Location"].endswith("done=bad_transition"), status
    await agent.post(f"/inbox/cases/{code}/status", {"status": "rejected"})
    await agent.post(f"/inbox/cases/{code}/status", {"status": "open"})  # reopened after a mistake
    async with sessions() as session:
        case = await session.scalar(select(Case))
        assert case is not None and case.status == "open"
    assert (await agent.post("/inbox/cases/ZZZ-999/status", {"status": "resolved"})).status == 404


async def test_reassign_to_another_department(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    code = await file_a_case(citizen("web-1-5f3c9d27e1"))
    response = await agent.post(
        f"/inbox/cases/{code}/department", {"department": "mobility", "note": "es vía"}
    )
    assert response.headers["Location"].endswith("done=reassigned")
    bad = await agent.post(f"/inbox/cases/{code}/department", {"department": "mobility"})
    assert bad.headers["Location"].endswith("done=bad_department")
    async with sessions() as session:
        case = await session.scalar(select(Case))
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "case.department"))
    assert case is not None and case.department == "mobility"
    assert audit is not None and (audit.from_value, audit.to_value) == ("public_works", "mobility")
    assert "Obras Públicas → Movilidad" in await agent.page(f"/inbox/cases/{code}")


async def seed(sessions: async_sessionmaker[AsyncSession], *cases: dict[str, Any]) -> list[str]:
    codes = []
    async with sessions() as session, session.begin():
        for fields in cases:
            values = {"service_code": "pothole", "description": "un hueco", "department": "public_works",
                      "channel": "rest", "status": "open", **fields}  # fmt: skip
            codes.append((await case_rows.add_case(session, **values)).code)
    return codes


def listed(page: str) -> list[str]:
    return re.findall(r'class="strong" href="/inbox/cases/([^"]+)"', page)


async def test_case_search_filters_and_pages(
    agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    day = datetime(2026, 3, 10, 15, tzinfo=UTC)
    lamp, water, old = await seed(
        sessions,
        {"service_code": "streetlight", "department": "public_lighting", "description": "Poste 50% caído",
         "created_at": day},
        {"service_code": "water", "department": "water_utility", "status": "resolved",
         "description": "fuga de agua", "address": "Calle 10 # 4-20", "created_at": day + timedelta(days=1)},
        {"description": "hueco viejo", "created_at": day - timedelta(days=30)},
    )  # fmt: skip
    page = await agent.page("/inbox/cases")
    assert listed(page) == [water, lamp, old]
    assert listed(await agent.page(f"/inbox/cases?q={lamp.lower().replace('-', '')}")) == [lamp]
    assert listed(await agent.page("/inbox/cases?q=FUGA")) == [water]
    assert listed(await agent.page("/inbox/cases?q=calle+10")) == [water]
    assert listed(await agent.page("/inbox/cases?q=50%25")) == [lamp]  # % is a character, not a wildcard
    assert listed(await agent.page("/inbox/cases?q=5_%25")) == []
    assert listed(await agent.page("/inbox/cases?service=streetlight")) == [lamp]
    assert listed(await agent.page("/inbox/cases?status=resolved")) == [water]
    assert listed(await agent.page("/inbox/cases?status=active")) == [lamp, old]
    assert listed(await agent.page("/inbox/cases?department=public_works")) == [old]
    assert listed(await agent.page("/inbox/cases?from=2026-03-10&to=2026-03-10")) == [lamp]
    assert listed(await agent.page("/inbox/cases?from=2026-03-01")) == [water, lamp]
    assert listed(await agent.page("/inbox/cases?from=garbage&service=nope")) == [water, lamp, old]

    await seed(sessions, *({"created_at": day - timedelta(days=60, minutes=i)} for i in range(50)))
    first = await agent.page("/inbox/cases")
    second = await agent.page("/inbox/cases?page=2")
    assert len(listed(first)) == 50 and len(listed(second)) == 3
    assert "Página 1 de 2" in first and 'href="/inbox/cases?page=2"' in first
    assert set(listed(first)).isdisjoint(listed(second))


async def test_staff_decide_whether_a_description_is_published_audited(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    code = await file_a_case(citizen("web-1"), "hay un bache enorme frente al colegio, llamen al 3001234567")
    page = await agent.page(f"/inbox/cases/{code}")
    assert "El ciudadano no respondió." in page and "No se publica." in page
    assert "llamen al […]" in page  # what the public would read, masked, for staff to judge
    # Without the CSRF token nothing changes.
    assert (await agent.post(f"/inbox/cases/{code}/publish", {"publish": "yes"}, csrf=False)).status == 403
    response = await agent.post(f"/inbox/cases/{code}/publish", {"publish": "yes"})
    assert response.headers["Location"].endswith("done=publish_set")
    again = await agent.post(f"/inbox/cases/{code}/publish", {"publish": "yes"})
    assert again.headers["Location"].endswith("done=already_there")
    assert (await agent.post(f"/inbox/cases/{code}/publish", {"publish": "maybe"})).status == 303
    public = await client.get(f"/open311/v2/requests/{code}.json")
    [request] = await public.json()
    assert request["description"] == "hay un bache enorme […], llamen al […]"  # the landmark too
    await agent.post(f"/inbox/cases/{code}/publish", {"publish": "no"})
    [request] = await (await client.get(f"/open311/v2/requests/{code}.json")).json()
    assert request["description"] is None
    async with sessions() as session:
        case = await session.scalar(select(Case))
        audit = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "case.publish").order_by(AuditEvent.id)
            )
        ).all()
    assert case is not None and case.description_public is False
    assert [(a.actor, a.from_value, a.to_value) for a in audit] == [
        ("ana", "citizen", "yes"),
        ("ana", "yes", "no"),
    ]
    assert "Publicación de la descripción: Publicar → No publicar" in await agent.page(f"/inbox/cases/{code}")


async def test_a_cases_history_names_the_channel_it_came_in_by(
    agent: Staff, citizen: Callable[..., Citizen]
) -> None:
    """Staff read "Canal: Web", not the connector's internal name "via rest"."""
    code = await file_a_case(citizen("web-via-5f3c9d27e1"))
    page = await agent.page(f"/inbox/cases/{code}")
    assert "Canal: Web" in page
    assert "via rest" not in page
