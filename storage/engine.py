"""Engine and session set-up for SQLite (the laptop) and PostgreSQL (production).

The rest of the product speaks to the database only through `storage/`: it takes the session and engine
types and the database's errors from here, never from SQLAlchemy (tests/test_module_boundaries.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session

__all__ = [
    "AsyncEngine",
    "AsyncSession",
    "DBAPIError",
    "IntegrityError",
    "PoolTimeout",
    "SQLAlchemyError",
    "async_sessionmaker",
    "create_engine",
    "is_sqlite",
    "ping",
    "session_factory",
]


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the single writer; busy_timeout makes a writer wait instead of failing.
    # The driver's own implicit BEGIN is turned off so that `_begin_immediate` decides how to begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten, not left in free pages: an erased citizen is not in the file (issue 15).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails with SQLITE_BUSY when another writer got in
    # between; taking the write lock up front makes concurrent turns queue up instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine; for SQLite the database's folder is created and the connection tuned."""
    parsed = make_url(url)
    if is_sqlite(url):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # One connection: SQLite has one writer anyway, and the pool's queue serves turns in arrival
        # order, where several connections would race in SQLite's sleep-and-retry loop (bench: the
        # slowest turn fell from 9.8 s to 0.6 s at 16 concurrent citizens, throughput unchanged).
        engine = create_async_engine(url, echo=echo, pool_size=1, max_overflow=0, pool_timeout=60)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    # No pre-ping: it costs a round trip per transaction, about a tenth of a turn's database time under
    # load. A connection the server closed fails its first statement instead; SQLAlchemy then drops the
    # whole pool, and the pipeline runs that turn again once (bot/pipeline.py); other routes answer 503.
    return create_async_engine(url, echo=echo, pool_size=10, max_overflow=10)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions of a class of their own, so that what listens to their commits (the outbox's wake-up,
    `storage.outbox.when_queued`) hears this factory's sessions only."""
    own = type("VentanillaSession", (Session,), {})
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=own)


async def ping(engine: AsyncEngine) -> None:
    """One round trip to the database; raises `SQLAlchemyError` or `OSError` when it does not answer."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
