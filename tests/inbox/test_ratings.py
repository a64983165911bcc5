"""Satisfaction after a person: the rating question when an agent hands the conversation back, answered
in several ways, on the web chat (its poll), Telegram (inline keyboard) and SMS (numbers); per department."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import ratings
from bot.app import create_app
from bot.settings import Settings
from storage import cases as case_rows
from storage.citizens import get_citizen, merge_citizens
from storage.models import Conversation, ConversationRating, Message
from tests.inbox.conftest import (
    CHAT_ID,
    SECRET,
    Client,
    Staff,
    arrives,
    conversation_of,
    telegram_says,
    web_chat,
)
from tests.support.conversation import Citizen
from tests.support.fake_telegram import FakeTelegram
from tests.support.scripted import ScriptedClassifier

_ids = itertools.count(1)
TITLES = ["Muy mal", "Mal", "Regular", "Bien", "Excelente"]


async def open_case(sessions: async_sessionmaker[AsyncSession], citizen_id: int, department: str) -> None:
    """The conversation's department is that of the citizen's latest open case."""
    async with sessions() as session, session.begin():
        service = "garbage" if department == "sanitation" else "pothole"
        await case_rows.add_case(
            session, citizen_id=citizen_id, service_code=service, description="x", department=department,
            channel="rest", status="open",
        )  # fmt: skip


async def served_and_handed_back(
    client: Client,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    sender: str,
    *,
    department: str | None = "public_works",
    reply: bool = True,
) -> Conversation:
    await web_chat(client, sender, "humano")
    conversation = await conversation_of(sessions, sender)
    if department is not None:
        await open_case(sessions, conversation.citizen_id, department)
    here = f"/inbox/conversations/{conversation.id}"
    if reply:
        assert (await staff.post(f"{here}/reply", {"text": "Listo, ya quedó registrado."})).status == 303
    else:
        await staff.post(f"{here}/claim")
    response = await staff.post(f"{here}/handback")
    assert response.headers["Location"].endswith("done=handed_back")
    return conversation


async def answer_and_hand_back(staff: Staff, sessions: async_sessionmaker[AsyncSession], reply: str) -> str:
    """The only citizen's conversation: answered, then handed back; its page's path."""
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None
    here = f"/inbox/conversations/{conversation.id}"
    await staff.post(f"{here}/reply", {"text": reply})
    await staff.post(f"{here}/handback")
    return here


async def polled(client: Client, sender: str) -> list[dict[str, Any]]:
    body = await (await client.get("/webhooks/rest/messages", params={"sender": sender})).json()
    messages: list[dict[str, Any]] = body["messages"]
    return messages


async def ratings_of(sessions: async_sessionmaker[AsyncSession]) -> list[ConversationRating]:
    async with sessions() as session:
        return list((await session.scalars(select(ConversationRating).order_by(ConversationRating.id))).all())


async def test_web_chat_asked_after_the_hand_back_and_answered_in_words(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = "web-rate-5f3c9d27e1"
    conversation = await served_and_handed_back(client, agent, sessions, sender)
    last = (await polled(client, sender))[-1]
    assert "Sigo yo" in last["text"] and "Califica de 1 (muy mal) a 5 (excelente)" in last["text"]
    assert [b["title"] for b in last["buttons"]] == TITLES
    assert [b["payload"] for b in last["buttons"]] == list(ratings.PAYLOADS)
    [asked] = await ratings_of(sessions)
    assert asked.rating is None and asked.department == "public_works" and asked.staff_id is not None
    assert asked.conversation_id == conversation.id and asked.citizen_id == conversation.citizen_id

    answer = await web_chat(client, sender, "le doy un 4, muy amable")
    assert answer[-1]["text"] == "¡Gracias por calificarnos!"
    [rated] = await ratings_of(sessions)
    assert rated.rating == 4 and rated.answered_at is not None
    await web_chat(client, sender, "5")  # asked once: a later number is not a rating
    assert [r.rating for r in await ratings_of(sessions)] == [4]


async def test_a_button_a_low_rating_and_the_way_back_to_a_person(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = "web-low-5f3c9d27e1"
    await served_and_handed_back(client, agent, sessions, sender, department=None)
    answer = await web_chat(client, sender, "/rate_1")
    assert "escribe «humano»" in answer[-1]["text"]
    [rated] = await ratings_of(sessions)
    assert rated.rating == 1 and rated.department is None  # the general queue


async def test_anything_else_leaves_it_unanswered_and_the_bot_carries_on(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = "web-moves-5f3c9d27e1"
    await served_and_handed_back(client, agent, sessions, sender)
    answer = await web_chat(client, sender, "hay otro bache en la calle 5 con 8")
    assert "Bache" in answer[0]["text"]  # the report, as if nothing had been asked
    await web_chat(client, sender, "4")  # now an answer to the report's question, not a rating
    assert [r.rating for r in await ratings_of(sessions)] == [None]


async def test_nothing_to_rate_when_nobody_answered(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sender = "web-unanswered-5f3c9d27e1"
    await served_and_handed_back(client, agent, sessions, sender, reply=False)
    last = (await polled(client, sender))[-1]
    assert "Sigo yo" in last["text"] and "buttons" not in last
    assert await ratings_of(sessions) == []


async def test_the_department_decides(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
    add_staff: Callable[..., Awaitable[int]],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    sanitation = settings.departments["sanitation"].model_copy(update={"rate_conversations": False})
    quiet = settings.model_copy(update={"departments": {**settings.departments, "sanitation": sanitation}})
    client = await aiohttp_client(create_app(quiet, classifier=scripted))
    await add_staff("sol", "supervisor")
    sol = Staff(client.make_url("/"))
    try:
        await sol.log_in("sol")
        await served_and_handed_back(client, sol, sessions, "web-aseo-5f3c9d27e1", department="sanitation")
        assert "buttons" not in (await polled(client, "web-aseo-5f3c9d27e1"))[-1]
        await served_and_handed_back(client, sol, sessions, "web-obras-5f3c9d27e1", department="public_works")
        assert "buttons" in (await polled(client, "web-obras-5f3c9d27e1"))[-1]
    finally:
        await sol.close()
    assert [r.department for r in await ratings_of(sessions)] == ["public_works"]


async def taps(client: Client, payload: str) -> None:
    """The citizen taps an inline button: Telegram sends its callback data."""
    user = {"id": CHAT_ID, "is_bot": False, "first_name": "Ana"}
    message = {
        "message_id": next(_ids),
        "from": {"id": 1, "is_bot": True, "first_name": "Bot"},
        "chat": {**user, "type": "private"},
        "date": 1763800100,
        "text": "¿Cómo te atendimos?",
    }
    update = {"update_id": 710000000 + next(_ids),
              "callback_query": {"id": f"cb{next(_ids)}", "from": user, "chat_instance": "1",
                                 "message": message, "data": payload}}  # fmt: skip
    response = await client.post(
        "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status == 200, await response.text()


async def test_telegram_gets_an_inline_keyboard_and_the_rating_in_free_text_or_a_tap(
    telegram_client: Client,
    telegram: FakeTelegram,
    add_staff: Callable[..., Awaitable[int]],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await telegram_says(telegram_client, "humano")
    await arrives(telegram, 1)
    await add_staff("ana")
    ana = Staff(telegram_client.make_url("/"))
    try:
        await ana.log_in("ana")
        here = await answer_and_hand_back(ana, sessions, "Hola, ya lo revisé.")
        question = (await arrives(telegram, 3))[-1]
        assert "Califica de 1" in question
        keyboard = telegram.sent()[-1]["reply_markup"]["inline_keyboard"]
        assert [row[0]["callback_data"] for row in keyboard] == list(ratings.PAYLOADS)
        await telegram_says(telegram_client, "cinco")
        assert (await arrives(telegram, 4))[-1] == "¡Gracias por calificarnos!"
        # Another time: the citizen asks again, is answered, and taps a button of the inline keyboard.
        await telegram_says(telegram_client, "humano")
        await ana.post(f"{here}/reply", {"text": "Aquí estoy de nuevo."})
        await ana.post(f"{here}/handback")
        assert "Califica de 1" in (await arrives(telegram, 7))[-1]
        await taps(telegram_client, "/rate_3")
        assert (await arrives(telegram, 8))[-1] == "¡Gracias por calificarnos!"
    finally:
        await ana.close()
    first, second = await ratings_of(sessions)
    assert (first.rating, second.rating) == (5, 3) and first.staff_id == second.staff_id is not None


async def test_sms_numbers_answer_the_buttons(
    citizen: Callable[..., Citizen],
    client: Client,
    agent: Staff,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    maria = citizen("+573001119988", "sms")
    await maria.says("humano")
    await answer_and_hand_back(agent, sessions, "Ya quedó.")
    async with sessions() as session:
        question = await session.scalar(select(Message).order_by(Message.id.desc()).limit(1))
    assert question is not None and question.buttons is not None and len(question.buttons) == 5
    await maria.says("2")  # the second choice, as the SMS lists them: "2. Mal"
    assert "escribe «humano»" in maria.text
    assert [r.rating for r in await ratings_of(sessions)] == [2]


async def test_a_merge_keeps_the_ratings_of_both_conversations(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Two records of one person: folding one into the other must not lose what was rated."""
    await served_and_handed_back(client, agent, sessions, "web-first-5f3c9d27e1")
    await web_chat(client, "web-first-5f3c9d27e1", "5")
    source = await conversation_of(sessions, "web-first-5f3c9d27e1")
    await web_chat(client, "web-second-5f3c9d27e1", "hola")
    target = await conversation_of(sessions, "web-second-5f3c9d27e1")
    async with sessions() as session, session.begin():
        await merge_citizens(
            session,
            await get_citizen(session, source.citizen_id),
            await get_citizen(session, target.citizen_id),
        )
    [kept] = await ratings_of(sessions)
    assert (kept.rating, kept.conversation_id, kept.citizen_id) == (5, target.id, target.citizen_id)
