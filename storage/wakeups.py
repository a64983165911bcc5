"""A worker's wake-up after the commit that gave it work: a flag a transaction sets, read once it commits.

The outbox worker and the voice-note worker both sleep until a transaction queued something for them;
ringing before the commit would wake them to rows they cannot see yet, and a rollback must not ring.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session


def flag(session: AsyncSession, key: str) -> None:
    """Ring `key`'s callback once this session's transaction commits."""
    session.info[key] = True


def after_commit(
    sessions: async_sessionmaker[AsyncSession], key: str, callback: Callable[[], None]
) -> Callable[[], None]:
    """Call `callback` after every commit, through sessions from `sessions`, that set `key`. Sessions of
    other factories (another app in the same process) do not ring it. Returns what stops it: SQLAlchemy
    keeps listeners for as long as the process lives, and with them the worker, its sessions and engine."""
    session_class = sessions.kw.get("sync_session_class")
    assert session_class is not None and session_class is not Session, "use storage.engine.session_factory"

    def committed(session: Session) -> None:
        if session.info.pop(key, False):
            callback()

    def rolled_back(session: Session) -> None:
        session.info.pop(key, None)

    event.listen(session_class, "after_commit", committed)
    event.listen(session_class, "after_rollback", rolled_back)

    def stop() -> None:
        event.remove(session_class, "after_commit", committed)
        event.remove(session_class, "after_rollback", rolled_back)

    return stop
