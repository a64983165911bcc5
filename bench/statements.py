"""The two statements every message runs, built on each call and built once, side by side.

Run: .venv/bin/python bench/statements.py [--queries N] [--rounds R]
Every inbound message reads its identity, citizen, conversation and recent count in one query
(`storage.citizens.identity_with_conversation_query`), and every message a pushed channel sends is marked
sent with two UPDATEs (`storage.outbox.mark_sent_statements`). SQLAlchemy compiles a statement once and
caches it, but building the statement object and its cache key happens on every call unless the object
is kept: this measures what keeping it saves, in CPU time of the calling thread (the event loop's, where
a worker spends its time), on SQLite and on a throw-away PostgreSQL, the two ways alternating by round.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import citizens, conversations, outbox  # noqa: E402
from storage.engine import AsyncSession, async_sessionmaker, create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Direction, Message, OutboxItem, utcnow  # noqa: E402
from tests.support.postgres import PostgresServer, postgres_available  # noqa: E402

Way = Callable[[AsyncSession], Awaitable[object]]
ADDRESS = "web-0f3a9c2d7b1e4a58"


async def seed(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """One citizen on the web chat with a conversation, and one queued reply: what both statements find."""
    async with sessions() as session, session.begin():
        identity = await citizens.create_citizen_with_identity(
            session, "rest", ADDRESS, language="es", display_name=None
        )
        conversation = await conversations.conversation_for_update(session, identity.citizen_id)
        message = Message(
            citizen_id=identity.citizen_id, conversation_id=conversation.id, direction=Direction.OUT,
            author="bot", channel="sms", address="+573001234567", text="hola",
        )  # fmt: skip
        session.add(message)
        await session.flush()
        item = outbox.row_for(message)
        session.add(item)
        await session.flush()
        return item.id, message.id


def ways(item_id: int, message_id: int) -> dict[str, Way]:
    since = utcnow() - timedelta(minutes=1)
    parameters = {"channel": "rest", "address": ADDRESS, "since": since}
    sent = {"item_id": item_id, "message_id": message_id, "now": utcnow(), "sid": "SM1", "status": "sent"}
    kept_read = citizens.identity_with_conversation_query()
    kept_row, kept_message = outbox.mark_sent_statements()

    async def read_built(session: AsyncSession) -> object:
        return (await session.execute(citizens.identity_with_conversation_query(), parameters)).first()

    async def read_kept(session: AsyncSession) -> object:
        return (await session.execute(kept_read, parameters)).first()

    async def mark_built(session: AsyncSession) -> object:
        row, message = outbox.mark_sent_statements()
        await session.execute(row, {k: sent[k] for k in ("item_id", "now", "sid")})
        return await session.execute(message, {k: sent[k] for k in ("message_id", "sid", "status")})

    async def mark_kept(session: AsyncSession) -> object:
        await session.execute(kept_row, {k: sent[k] for k in ("item_id", "now", "sid")})
        return await session.execute(kept_message, {k: sent[k] for k in ("message_id", "sid", "status")})

    return {
        "identity read, built each call": read_built,
        "identity read, built once": read_kept,
        "mark sent, built each call": mark_built,
        "mark sent, built once": mark_kept,
    }


async def measure(url: str, queries: int, rounds: int) -> dict[str, float]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        item_id, message_id = await seed(sessions)
        assert await outbox_row(sessions, item_id)
        timings: dict[str, list[float]] = {}
        chosen = ways(item_id, message_id)
        for number in range(rounds + 1):  # the first round only warms up
            order = list(chosen.items())
            for name, way in order[::-1] if number % 2 else order:
                async with sessions() as session, session.begin():
                    started = time.thread_time()
                    for _ in range(queries):
                        await way(session)
                    spent = (time.thread_time() - started) / queries * 1e6
                if number:
                    timings.setdefault(name, []).append(spent)
        return {name: statistics.median(values) for name, values in timings.items()}
    finally:
        await engine.dispose()


async def outbox_row(sessions: async_sessionmaker[AsyncSession], item_id: int) -> bool:
    async with sessions() as session:
        return await session.get(OutboxItem, item_id) is not None


def report(backend: str, figures: dict[str, float]) -> None:
    print(f"\n{backend}: median µs of event-loop CPU per call")
    for name, value in figures.items():
        print(f"  {name:<32} {value:8.0f}")
    for what in ("identity read", "mark sent"):
        built, kept = figures[f"{what}, built each call"], figures[f"{what}, built once"]
        print(
            f"  {what}: built once costs {kept / built:.2f} of built each call ({built - kept:.0f} µs saved)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300, help="calls per round and way (default 300)")
    parser.add_argument("--rounds", type=int, default=6, help="measured rounds (default 6)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ventanilla-statements-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        report("SQLite", asyncio.run(measure(url, args.queries, args.rounds)))
    if (reason := postgres_available()) is not None:
        print(f"\nPostgreSQL skipped: {reason}")
        return 0
    with PostgresServer() as server:
        server.create_database("bench_statements")
        url = server.url("bench_statements")
        upgrade(url)
        report("PostgreSQL", asyncio.run(measure(url, args.queries, args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
