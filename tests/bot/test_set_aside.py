"""A turn that fails with a bug keeps the message, queues the conversation for a person and says so."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import REGISTRY
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.texts import text
from storage.models import Conversation, Message
from tests.support.conversation import Citizen
from tests.support.scripted import ScriptedClassifier

Sessions = async_sessionmaker[AsyncSession]


def set_aside_count(channel: str) -> float:
    return REGISTRY.get_sample_value("ventanilla_set_aside_total", {"channel": channel}) or 0.0


async def test_a_failing_turn_is_kept_queued_for_a_person_and_the_citizen_is_told(
    citizen: Callable[..., Citizen], scripted: ScriptedClassifier, sessions: Sessions
) -> None:
    scripted.fails_on.append("💥")
    ana = citizen("web-ana-5f3c9d27e1")
    await ana.says("hola")
    before = set_aside_count("rest")
    replies = await ana.says("se rompió todo 💥 en la calle 10", message_id="boom-1")
    assert [r.text for r in replies] == [text("set_aside", "es")]
    assert set_aside_count("rest") == before + 1
    async with sessions() as session:
        stored = await session.scalar(select(Message).where(Message.provider_message_id == "boom-1"))
        conversation = await session.scalar(select(Conversation))
    assert (
        stored is not None and stored.text == "se rompió todo 💥 en la calle 10" and stored.intent == "error"
    )
    assert conversation is not None
    assert (conversation.holder, conversation.handoff_reason) == ("waiting", "error")
    assert conversation.waiting_since is not None

    # The provider (or the page) sends it again: the same answer, nothing stored twice, no new failure.
    again = await ana.says("se rompió todo 💥 en la calle 10", message_id="boom-1")
    assert [r.text for r in again] == [text("set_aside", "es")]
    assert ana.last_outcome is not None and ana.last_outcome.duplicate
    assert set_aside_count("rest") == before + 1
    # Waiting for a person, the bot stays silent, and what the citizen adds is kept for that person.
    assert await ana.says("¿hola?") == []
    async with sessions() as session:
        inbound = await session.scalar(
            select(func.count()).select_from(Message).where(Message.direction == "in")
        )
    assert inbound == 3


async def test_the_citizen_is_told_in_their_language(
    citizen: Callable[..., Citizen], scripted: ScriptedClassifier
) -> None:
    scripted.fails_on.append("💥")
    bob = citizen("web-bob-5f3c9d27e1")
    await bob.says("hello, there is a pothole on my street")
    assert [r.text for r in await bob.says("💥")] == [text("set_aside", "en")]


async def test_a_failure_while_a_person_holds_the_conversation_only_keeps_the_message(
    citizen: Callable[..., Citizen], scripted: ScriptedClassifier, sessions: Sessions
) -> None:
    scripted.says(r"\bpersona\b", "human")
    scripted.fails_on.append("💥")
    ana = citizen("web-ana-5f3c9d27e1")
    await ana.says("quiero hablar con una persona")
    async with sessions() as session, session.begin():
        conversation = await session.scalar(select(Conversation))
        assert conversation is not None and conversation.holder == "waiting"
        reason = conversation.handoff_reason
    assert await ana.says("💥") == []
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
        last = await session.scalar(select(Message).order_by(Message.id.desc()).limit(1))
    assert conversation is not None and conversation.handoff_reason == reason  # not re-queued as an error
    assert last is not None and last.text == "💥" and last.direction == "in"
