"""Migrations upgrade and downgrade cleanly, and the upgraded schema is exactly what the models say."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage.engine import create_engine
from storage.migrate import current_revision_sync, downgrade, head_revision, upgrade
from storage.models import Base
from tests.support.postgres import PostgresServer, unique_database_name


def _tables_and_diff(url: str) -> tuple[set[str], list[object]]:
    def read(connection: Connection) -> tuple[set[str], list[object]]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return set(inspect(connection).get_table_names()), compare_metadata(context, Base.metadata)

    async def run() -> tuple[set[str], list[object]]:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(read)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _round_trip(url: str) -> None:
    upgrade(url)
    assert current_revision_sync(url) == head_revision()
    tables, diff = _tables_and_diff(url)
    assert {"citizens", "channel_identities", "conversations", "messages", "cases", "case_events",
            "staff_users", "outbox", "audit_events"} <= tables  # fmt: skip
    assert diff == []  # the migrations and the models agree
    downgrade(url, "base")
    assert current_revision_sync(url) is None
    assert _tables_and_diff(url)[0] <= {"alembic_version"}
    upgrade(url)
    assert current_revision_sync(url) == head_revision()


def test_upgrade_downgrade_on_sqlite(tmp_path: Path) -> None:
    _round_trip(f"sqlite+aiosqlite:///{tmp_path}/m.db")


@pytest.mark.postgres
def test_upgrade_downgrade_on_postgres(postgres_server: PostgresServer | None) -> None:
    if postgres_server is None:
        pytest.skip("PostgreSQL is not installed here (CI installs it)")
    name = unique_database_name("migrations")
    postgres_server.create_database(name)
    try:
        _round_trip(postgres_server.url(name))
    finally:
        postgres_server.drop_database(name)
