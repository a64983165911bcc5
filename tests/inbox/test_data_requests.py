"""The supervisors' data-requests queue: most urgent first, overdue spelled out, agents kept out, department
scope, CSRF, closing audited without the citizen's words or staff's note."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import data_requests
from bot.settings import Settings
from storage.models import AuditEvent, Case, DataRequest, utcnow
from tests.inbox.conftest import Client, Staff
from tests.inbox.test_cases import file_a_case
from tests.inbox.test_citizens import citizen_id
from tests.support.conversation import Citizen as Person


async def asks_correction(person: Person, sessions: async_sessionmaker[AsyncSession], words: str) -> int:
    """The citizen asks in the chat; the id of the request recorded."""
    await person.says(words)
    async with sessions() as session:
        found = await session.scalar(select(DataRequest.id).order_by(DataRequest.id.desc()).limit(1))
    assert found is not None
    return found


async def asked_days_ago(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, citizen: int, kind: str, days: int
) -> int:
    """A request recorded `days` calendar days ago (its deadline counted from then)."""
    async with sessions() as session, session.begin():
        request = await data_requests.record(
            session, settings, citizen, kind, "sms", now=utcnow() - timedelta(days=days)
        )
        return request.id


def rows_in_order(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="request-(\d+)"', page)]


async def test_the_queue_puts_the_most_urgent_first_and_says_what_is_overdue(
    client: Client,
    supervisor: Staff,
    agent: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    maria = citizen("web-maria-5f3c9d27e1")
    fresh = await asks_correction(maria, sessions, "mi nombre esta mal es Maria Perez")
    person = await citizen_id(sessions, "rest", "web-maria-5f3c9d27e1")
    late = await asked_days_ago(sessions, settings, person, "erase", 40)
    soon = await asked_days_ago(sessions, settings, person, "see", 12)
    page = await supervisor.page("/inbox/data-requests")
    assert rows_in_order(page) == [late, soon, fresh]  # by due date
    assert f'<tr id="request-{late}" class="overdue">' in page
    assert f'<tr id="request-{fresh}">' in page
    late_row = page.split(f'id="request-{late}"')[1].split("</tr>")[0]
    assert "Vencida hace" in late_row and "⚠" in late_row  # a text label, not only a colour
    assert "Borrar sus datos" in late_row and "SMS" in late_row
    fresh_row = page.split(f'id="request-{fresh}"')[1].split("</tr>")[0]
    assert "mi nombre esta mal es Maria Perez" in fresh_row and "Corregir un dato" in fresh_row
    assert "Quedan" in fresh_row and "Vencida" not in fresh_row
    assert f'href="/inbox/citizens/{person}"' in fresh_row
    # An erasure is done by erasing: its row offers only a cancel.
    assert 'value="done"' not in late_row and 'value="cancel"' in late_row
    # The navigation counts what is due within two business days, overdue included.
    nav = page.split("</nav>")[0]
    assert re.search(r'href="/inbox/data-requests"[^>]*>Solicitudes de datos <span class="count due"', nav)
    # Agents neither see it nor reach it.
    assert (await agent.get("/inbox/data-requests")).status == 403
    assert "/inbox/data-requests" not in await agent.page("/inbox/queue")
    assert (await agent.post(f"/inbox/data-requests/{fresh}/close", {"action": "cancel"})).status == 403


async def test_closing_is_audited_without_the_citizens_words_or_the_note(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    request_id = await asks_correction(
        citizen("web-maria-5f3c9d27e1"), sessions, "mi nombre esta mal es Maria Perez"
    )
    note = "Nombre corregido a Maria Perez Gomez"
    done = await supervisor.post(f"/inbox/data-requests/{request_id}/close", {"action": "done", "note": note})
    assert done.status == 303 and done.headers["Location"].endswith("done=request_done")
    async with sessions() as session:
        request = await session.get(DataRequest, request_id)
        found = await session.scalars(select(AuditEvent).where(AuditEvent.target_type == "data_request"))
        events = found.all()
    assert request is not None and (request.status, request.note) == ("done", note)
    assert request.done_at is not None and request.staff_id is not None
    [event] = events
    assert (event.action, event.target_id, event.from_value, event.to_value) == (
        "data_request.done", str(request_id), "open", "done"
    )  # fmt: skip
    assert event.detail == {"kind": "correct"}
    written = json.dumps([event.detail, event.from_value, event.to_value, event.action])
    assert "Maria" not in written and "Perez" not in written
    # It has left the open list for the closed one, with its note.
    assert f"request-{request_id}" not in await supervisor.page("/inbox/data-requests")
    closed = await supervisor.page("/inbox/data-requests?closed=1")
    assert f"request-{request_id}" in closed and note in closed
    again = await supervisor.post(f"/inbox/data-requests/{request_id}/close", {"action": "cancel"})
    assert again.headers["Location"].endswith("done=request_closed_already")


async def test_a_cancel_and_an_erasure_that_cannot_be_marked_done_by_hand(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    await citizen("web-leo-5f3c9d27e1").says("hola")
    person = await citizen_id(sessions, "rest", "web-leo-5f3c9d27e1")
    erase = await asked_days_ago(sessions, settings, person, "erase", 0)
    refused = await supervisor.post(f"/inbox/data-requests/{erase}/close", {"action": "done"})
    assert refused.headers["Location"].endswith("done=erase_not_by_hand")
    cancelled = await supervisor.post(f"/inbox/data-requests/{erase}/close", {"action": "cancel"})
    assert cancelled.headers["Location"].endswith("done=request_cancelled")
    async with sessions() as session:
        request = await session.get(DataRequest, erase)
    assert request is not None and request.status == "cancelled"


async def test_closing_needs_the_csrf_token(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    request_id = await asks_correction(citizen("web-eva-5f3c9d27e1"), sessions, "mi apellido esta mal")
    forged = await supervisor.post(
        f"/inbox/data-requests/{request_id}/close", {"action": "done", "note": "x"}, csrf=False
    )
    assert forged.status == 403
    async with sessions() as session:
        request = await session.get(DataRequest, request_id)
    assert request is not None and request.status == "open"


async def test_a_supervisor_limited_to_a_department_sees_only_the_citizens_they_see(
    client: Client,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """As storage/scope.py has it: a citizen is seen through one of their cases in the department, or
    when their conversation is in the general queue (no open case)."""
    water = citizen("web-agua-5f3c9d27e1")
    await file_a_case(water)
    async with sessions() as session, session.begin():
        await session.execute(update(Case).values(department="water_utility"))
    pothole = citizen("web-bache-5f3c9d27e1")
    await file_a_case(pothole)  # public works
    other = await asks_correction(water, sessions, "mi nombre esta mal es Ana Ruiz")
    theirs = await asks_correction(pothole, sessions, "mi nombre esta mal es Luis Toro")
    nobody = await asks_correction(citizen("web-sin-5f3c9d27e1"), sessions, "mi nombre esta mal es Sol Paz")
    await add_staff("pilar", "supervisor", "public_works", ["public_works"])
    pilar = browser()
    assert (await pilar.log_in("pilar")).status == 303
    page = await pilar.page("/inbox/data-requests")
    assert set(rows_in_order(page)) == {theirs, nobody}
    assert "Ana Ruiz" not in page
    refused = await pilar.post(f"/inbox/data-requests/{other}/close", {"action": "done", "note": "x"})
    assert refused.status == 404
    await add_staff("olga", "supervisor")
    olga = browser()
    assert (await olga.log_in("olga")).status == 303
    assert set(rows_in_order(await olga.page("/inbox/data-requests"))) == {other, theirs, nobody}


async def test_what_the_citizen_wrote_is_shown_escaped(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    words = 'mi nombre esta mal es <script>alert("x")</script><img src=x onerror=alert(1)>'
    await asks_correction(citizen("web-xss-5f3c9d27e1"), sessions, words)
    page = await supervisor.page("/inbox/data-requests")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
