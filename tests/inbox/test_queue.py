"""The queue: who waits for a person, in what order, and claiming, assigning, releasing, handing back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import AuditEvent, Citizen, Conversation, Holder, Message, utcnow
from tests.inbox.conftest import Client, Staff, conversation_of, web_chat


def queue_order(page: str) -> list[int]:
    """The conversation ids in the order the queue lists them."""
    import re

    return [int(found) for found in re.findall(r'data-conversation="(\d+)"', page)]


async def test_a_citizen_who_asks_for_a_person_is_in_the_queue(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert "Nadie espera" in await agent.page("/inbox/queue")
    await web_chat(client, "web-ana-5f3c9d27e1", "hola")
    answer = await web_chat(client, "web-ana-5f3c9d27e1", "quiero hablar con una persona por favor")
    assert "Te paso con una persona" in answer[-1]["text"]
    conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    page = await agent.page("/inbox/queue")
    assert queue_order(page) == [conversation.id]
    assert "quiero hablar con una persona por favor" in page and "Pidió una persona" in page
    assert "Web" in page and "En espera" in page


async def test_claim_then_the_bot_stays_silent_then_hand_back(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await web_chat(client, "web-ana-5f3c9d27e1", "humano")
    conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    response = await agent.post(f"/inbox/conversations/{conversation.id}/claim")
    assert response.status == 303 and "done=claimed" in response.headers["Location"]
    claimed = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert claimed.holder == Holder.STAFF and claimed.assigned_staff_id is not None
    assert (
        await web_chat(client, "web-ana-5f3c9d27e1", "hola, ¿hay alguien?") == []
    )  # a person holds it: no bot
    page = await agent.page(f"/inbox/conversations/{conversation.id}")
    assert "hola, ¿hay alguien?" in page and "Devolver al asistente" in page

    response = await agent.post(f"/inbox/conversations/{conversation.id}/handback", {"next": "/inbox/queue"})
    assert response.headers["Location"] == "/inbox/queue?done=handed_back"
    back = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert back.holder == Holder.BOT and back.assigned_staff_id is None and back.state == {}
    async with sessions() as session:
        notice = await session.scalar(select(Message).where(Message.author == "system"))
        actions = (await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()
    assert notice is not None and notice.delivery_status == "pending" and "Sigo yo" in notice.text
    assert actions[-2:] == ["conversation.claim", "conversation.hand_back"]
    assert await web_chat(client, "web-ana-5f3c9d27e1", "hola")  # the bot answers again


async def test_assign_to_a_colleague_and_release(
    client: Client,
    agent: Staff,
    supervisor: Staff,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    bea_id = await add_staff("bea", "agent", "sanitation")
    await web_chat(client, "web-ana-5f3c9d27e1", "humano")
    conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    here = f"/inbox/conversations/{conversation.id}"
    await agent.post(f"{here}/assign", {"staff_id": str(bea_id)})
    assigned = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert assigned.holder == Holder.STAFF and assigned.assigned_staff_id == bea_id
    # Ana no longer holds it: she may not release or take it from Bea, a supervisor may.
    response = await agent.post(f"{here}/release")
    assert response.headers["Location"].endswith("done=held_by_colleague")
    assert (
        (await agent.post(f"{here}/reply", {"text": "hola"}))
        .headers["Location"]
        .endswith("held_by_colleague")
    )
    bea = browser()
    await bea.log_in("bea")
    assert queue_order(await bea.page("/inbox/queue?status=mine")) == [conversation.id]
    assert queue_order(await agent.page("/inbox/queue?status=mine")) == []
    response = await supervisor.post(f"{here}/release")
    assert response.headers["Location"].endswith("done=released")
    released = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert released.holder == Holder.WAITING and released.assigned_staff_id is None
    assert released.waiting_since == conversation.waiting_since  # it keeps its place
    async with sessions() as session:
        audit = (
            await session.scalars(select(AuditEvent).where(AuditEvent.target_type == "conversation"))
        ).all()
    assert [(a.action, a.actor, a.from_value, a.to_value) for a in audit] == [
        ("conversation.assign", "ana", "waiting", "staff:bea"),
        ("conversation.release", "sara", "staff:bea", "waiting"),
    ]


async def test_preferential_citizens_come_first_then_the_longest_waiting(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    for sender in ("web-1-5f3c9d27e1", "web-2-5f3c9d27e1", "web-3-5f3c9d27e1"):
        await web_chat(client, sender, "humano")
    ids = [
        (await conversation_of(sessions, s)).id
        for s in ("web-1-5f3c9d27e1", "web-2-5f3c9d27e1", "web-3-5f3c9d27e1")
    ]
    assert queue_order(await agent.page("/inbox/queue")) == ids
    third = await conversation_of(sessions, "web-3-5f3c9d27e1")
    async with sessions() as session, session.begin():
        await session.execute(
            update(Citizen).where(Citizen.id == third.citizen_id).values(preferential="elderly")
        )
    page = await agent.page("/inbox/queue")
    assert queue_order(page) == [ids[2], ids[0], ids[1]]
    assert "Persona mayor" in page


async def test_filters_and_the_sla_clock(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # One citizen files a garbage case (sanitation, 60 min target) and then asks for a person.
    await web_chat(client, "web-1-5f3c9d27e1", "no pasaron la basura en la calle 5 con 3")
    await web_chat(client, "web-1-5f3c9d27e1", "omitir")
    await web_chat(client, "web-1-5f3c9d27e1", "omitir")
    assert "Registrado" in (await web_chat(client, "web-1-5f3c9d27e1", "si"))[0]["text"]
    await web_chat(client, "web-1-5f3c9d27e1", "humano")
    await web_chat(client, "web-2-5f3c9d27e1", "humano")
    first, second = (
        await conversation_of(sessions, "web-1-5f3c9d27e1"),
        await conversation_of(sessions, "web-2-5f3c9d27e1"),
    )
    assert queue_order(await agent.page("/inbox/queue?department=sanitation")) == [first.id]
    assert queue_order(await agent.page("/inbox/queue?department=-")) == [second.id]
    assert queue_order(await agent.page("/inbox/queue?channel=telegram")) == []
    assert queue_order(await agent.page("/inbox/queue?channel=rest&status=waiting")) == [first.id, second.id]
    assert "Vencido" not in await agent.page("/inbox/queue")
    async with sessions() as session, session.begin():
        await session.execute(
            update(Conversation)
            .where(Conversation.id == first.id)
            .values(waiting_since=utcnow() - timedelta(minutes=61))
        )
    page = await agent.page("/inbox/queue")
    assert page.count("Vencido") == 1 and "1 h 01 min / 1 h 00 min" in page
    await agent.post(f"/inbox/conversations/{second.id}/claim")
    assert queue_order(await agent.page("/inbox/queue?status=assigned")) == [second.id]
    assert queue_order(await agent.page("/inbox/queue?status=waiting")) == [first.id]
    assert queue_order(await agent.page("/inbox/queue?partial=1&status=mine")) == [second.id]


async def test_unknown_conversation_is_404(agent: Staff) -> None:
    assert (await agent.get("/inbox/conversations/999999")).status == 404
    assert (await agent.post("/inbox/conversations/999999/claim")).status == 404
