"""One wake-up for the outbox: any commit that queued a row rings the worker, whoever queued it.

Before, the pipeline woke the worker through a callback and the inbox through a second mechanism, and
a new way of writing to citizens had to remember to do either. Now the commit itself rings; a
transaction that rolled back, or one that queued nothing, does not; another app's sessions do not.
"""

from __future__ import annotations

import gc
import weakref

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbound import send_to_citizen
from bot.settings import Settings
from storage import citizens as citizen_rows
from storage import conversations, outbox
from storage.engine import create_engine, session_factory
from storage.models import Author

Sessions = async_sessionmaker[AsyncSession]


async def a_citizen_on_sms(sessions: Sessions) -> int:
    async with sessions() as session, session.begin():
        identity = await citizen_rows.create_citizen_with_identity(
            session, "sms", "+573001112233", language="es", display_name=None
        )
        conversation = await conversations.conversation_for_update(session, identity.citizen_id)
        conversation.last_channel, conversation.last_address = "sms", "+573001112233"
        return identity.citizen_id


async def test_a_commit_that_queued_rings_once_and_a_rollback_does_not(
    sessions: Sessions, settings: Settings
) -> None:
    rings: list[str] = []
    outbox.when_queued(sessions, lambda: rings.append("ring"))
    other_engine = create_engine(settings.database.url)
    outbox.when_queued(session_factory(other_engine), lambda: rings.append("other app"))
    citizen_id = await a_citizen_on_sms(sessions)
    assert rings == []  # nothing queued yet

    async with sessions() as session, session.begin():
        await send_to_citizen(session, citizen_id, "Hola", author=Author.STAFF, language="es")
        await send_to_citizen(session, citizen_id, "¿Sigue el bache?", author=Author.STAFF, language="es")
    assert rings == ["ring"]  # once per commit, and only this app's

    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            await send_to_citizen(session, citizen_id, "no sale", author=Author.STAFF, language="es")
            raise RuntimeError("the action failed after queuing")
    async with sessions() as session, session.begin():
        await citizen_rows.get_citizen(session, citizen_id)  # a later commit that queued nothing
    assert rings == ["ring"]
    await other_engine.dispose()


async def test_a_stopped_wake_up_rings_no_more_and_lets_its_worker_go(sessions: Sessions) -> None:
    """A stopped app's worker must not stay behind in SQLAlchemy's listeners (nor ring)."""

    class Worker:
        rings = 0

        def wake(self) -> None:
            self.rings += 1

    worker = Worker()
    stop = outbox.when_queued(sessions, worker.wake)
    citizen_id = await a_citizen_on_sms(sessions)
    async with sessions() as session, session.begin():
        await send_to_citizen(session, citizen_id, "Hola", author=Author.STAFF, language="es")
    assert worker.rings == 1
    stop()
    async with sessions() as session, session.begin():
        await send_to_citizen(session, citizen_id, "Otra", author=Author.STAFF, language="es")
    assert worker.rings == 1
    gone = weakref.ref(worker)
    del worker, stop  # what stops it holds the wake-up too
    gc.collect()
    assert gone() is None
