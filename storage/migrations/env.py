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
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=is_sqlite(str(config.get_main_option("sqlalchemy.url"))),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _foreign_keys_off(dbapi_connection: Any, _record: Any) -> None:
    # Batch mode rebuilds a table as copy, DROP, rename. With foreign keys on, SQLite's DROP TABLE deletes
    # its rows first, and ON DELETE CASCADE then empties every table that points at it (rebuilding
    # `citizens` in 0019 took every preferential record with it). Off for the migration (it can only be
    # switched outside a transaction, so here, as the connection opens), and checked before committing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")


async def _run_async() -> None:
    url = str(config.get_main_option("sqlalchemy.url"))
    engine = create_engine(url)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _foreign_keys_off)  # after create_engine's tuning
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            if is_sqlite(url):
                await connection.run_sync(_check_foreign_keys)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
