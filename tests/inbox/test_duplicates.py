"""Staff mark a case as a duplicate of another; supporters on the case page and in the case list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import AuditEvent, Case, CaseSupporter, ChannelIdentity, Message
from tests.bot.test_joining import file_at, north
from tests.inbox.conftest import Client, Staff
from tests.support.conversation import Citizen


async def _code_of(sessions: async_sessionmaker[AsyncSession], address: str) -> str:
    async with sessions() as session:
        code = await session.scalar(
            select(Case.code)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == Case.citizen_id)
            .where(ChannelIdentity.address == address)
        )
    assert code is not None
    return code


async def join_at(person: Citizen, metres: float) -> None:
    await person.says("hay un bache enorme", location=north(metres))
    await person.says("omitir")
    assert "¿Es el mismo?" in person.text, person.text
    await person.presses("Sí, sumarme")


async def test_marking_a_duplicate_tells_everyone_on_both_with_the_surviving_code(
    client: Client,
    agent: Staff,
    citizen: Callable[..., Citizen],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    survivor = await file_at(citizen("web-ana-5f3c9d27e1"), north(0))
    await join_at(citizen("web-beto-5f3c9d27e1"), 20)
    duplicate = await file_at(citizen("+573001112233", "sms"), north(120))
    await join_at(citizen("4242", "telegram"), 140)
    cases = await agent.page("/inbox/cases")
    assert '<td class="supporters-count" data-label="Vecinos sumados">1</td>' in cases
    await citizen("web-ana-5f3c9d27e1").says("quiero hablar con una persona")
    queue = await agent.page("/inbox/queue")
    assert "Vecinos sumados a su caso: 1" in queue
    response = await agent.post(
        f"/inbox/cases/{duplicate}/duplicate",
        {"survivor": survivor.lower().replace("-", ""), "note": "misma"},
    )
    assert response.headers["Location"] == f"/inbox/cases/{duplicate}?done=marked_duplicate"
    async with sessions() as session:
        first = await session.scalar(select(Case).where(Case.code == survivor))
        second = await session.scalar(select(Case).where(Case.code == duplicate))
        assert first is not None and second is not None
        supporters = (
            await session.scalars(select(CaseSupporter).where(CaseSupporter.case_id == first.id))
        ).all()
        told = (await session.scalars(select(Message).where(Message.author == "system"))).all()
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "case.duplicate_of"))
    assert (
        second.status == "duplicate" and second.duplicate_of_id == first.id and second.closed_at is not None
    )
    assert {s.channel for s in supporters} == {"rest", "sms", "telegram"}
    by_address = {m.address: m.text for m in told}
    assert set(by_address) == {"web-ana-5f3c9d27e1", "web-beto-5f3c9d27e1", "+573001112233", "4242"}
    assert all(survivor in text for text in by_address.values())
    assert "quedaron unidos" in by_address["+573001112233"] and duplicate in by_address["4242"]
    assert "se unió al reporte" in by_address["web-ana-5f3c9d27e1"]
    assert audit is not None and audit.to_value == survivor and audit.actor == "ana"
    page = await agent.page(f"/inbox/cases/{survivor}")
    assert 'data-supporters="3"' in page and page.count("Ciudadano/a #") >= 4
    assert "+573001112233" not in page  # supporters are shown as the inbox shows citizens: a number
    gone = await agent.page(f"/inbox/cases/{duplicate}")
    assert (
        f'href="/inbox/cases/{survivor}"' in gone
        and 'action="/inbox/cases/' + duplicate + '/duplicate"' not in gone
    )
    await agent.post(f"/inbox/cases/{duplicate}/status", {"status": "open"})  # a mistake, undone
    async with sessions() as session:
        reopened = await session.scalar(select(Case).where(Case.code == duplicate))
    assert reopened is not None and reopened.status == "open" and reopened.duplicate_of_id is None


async def test_a_duplicate_needs_another_visible_case(
    client: Client,
    agent: Staff,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    citizen: Callable[..., Citizen],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    code = await file_at(citizen("web-ana-5f3c9d27e1"), north(0))
    other = await file_at(citizen("web-beto-5f3c9d27e1"), north(500))
    for survivor in ("", code, "ZZZ-999"):
        response = await agent.post(f"/inbox/cases/{code}/duplicate", {"survivor": survivor})
        assert response.headers["Location"] == f"/inbox/cases/{code}?done=bad_duplicate"
    await add_staff("luz", "agent", "sanitation", ["sanitation"])
    luz = browser()
    await luz.log_in("luz")
    response = await luz.post(f"/inbox/cases/{code}/duplicate", {"survivor": other})
    assert response.status == 404  # outside her departments, as for a code that does not exist
    async with sessions() as session:
        assert {c.status for c in (await session.scalars(select(Case))).all()} == {"open"}
