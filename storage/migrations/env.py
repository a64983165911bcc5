"""Alembic environment: runs migrations over the async engine the service itself uses."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import event
from sqlalchemy.engine import Connection

from storage.engine import create_engine, is_sqlite
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    sqlite = is_sqlite(str(config.get_main_option("sqlalchemy.url")))
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=sqlite,
        compare_type=True,
        # SQLite can roll DDL back: one transaction for the whole upgrade, so that the check below undoes
        # it all (Alembic's default for SQLite commits as it goes).
        transactional_ddl=True if sqlite else None,
    )
    with context.begin_transaction():
        broken_before = _broken_references(connection) if sqlite else set()
        context.run_migrations()
        if sqlite:
            new = _broken_references(connection) - broken_before
            if new:
                raise RuntimeError(f"the migration left rows pointing at nothing, undone: {sorted(new)[:5]}")


def _foreign_keys_off(dbapi_connection: Any, _record: Any) -> None:
    # Batch mode rebuilds a table as copy, DROP, rename. With foreign keys on, SQLite's DROP TABLE deletes
    # its rows first, and ON DELETE CASCADE then empties every table that points at it (rebuilding
    # `citizens` in 0019 took every preferential record with it). Off for the migration (it can only be
    # switched outside a transaction, so here, as the connection opens); `_run` checks the references
    # inside the migration's transaction.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


def _broken_references(connection: Connection) -> set[tuple[Any, ...]]:
    """Rows pointing at nothing (table, rowid, parent, key); those there before are not the upgrade's."""
    return {tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check").all()}


async def _run_async() -> None:
    url = str(config.get_main_option("sqlalchemy.url"))
    engine = create_engine(url)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _foreign_keys_off)  # after create_engine's tuning
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
