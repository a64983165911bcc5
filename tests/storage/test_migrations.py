"""Migrations upgrade and downgrade cleanly, and the upgraded schema is exactly what the models say."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
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


def _city_at_0018(tmp_path: Path) -> tuple[str, sa.Engine]:
    """A city's database before 0019: a preferential citizen who wrote on WhatsApp (identity, conversation,
    message, preferential record), and one who asked for plain replies on the web chat."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'city.db'}"
    upgrade(url, "0018")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'city.db'}")
    with engine.begin() as db:
        db.execute(sa.text(
            "INSERT INTO citizens (id, language, preferential, created_at, plain_language) VALUES "
            "(1, 'es', 'elderly', CURRENT_TIMESTAMP, 0), (2, 'es', NULL, CURRENT_TIMESTAMP, 1)"
        ))  # fmt: skip
        db.execute(sa.text(
            "INSERT INTO channel_identities (citizen_id, channel, address, opted_out, created_at) VALUES "
            "(1, 'whatsapp', '+573001112233', 0, CURRENT_TIMESTAMP), "
            "(2, 'rest', 'web-b', 0, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        db.execute(sa.text(
            "INSERT INTO conversations (id, citizen_id, holder, state, created_at, updated_at) VALUES "
            "(1, 1, 'bot', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        db.execute(sa.text(
            "INSERT INTO messages (citizen_id, conversation_id, direction, author, channel, address, text, "
            "created_at) VALUES (1, 1, 'in', 'citizen', 'whatsapp', '+573001112233', 'hay un bache', "
            "CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        db.execute(sa.text(
            "INSERT INTO preferential_records (citizen_id, action, kind, words, channel, created_at) VALUES "
            "(1, 'granted', 'elderly', 'tengo 82 años', 'whatsapp', CURRENT_TIMESTAMP)"
        ))  # fmt: skip
    return url, engine


def _counts(engine: sa.Engine) -> list[int]:
    tables = ("citizens", "channel_identities", "conversations", "messages", "preferential_records")
    with engine.begin() as db:
        return [db.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() for table in tables]


def test_rebuilding_citizens_keeps_everything_that_points_at_them(tmp_path: Path) -> None:
    """0019 rebuilds `citizens` on SQLite. With foreign keys on, its DROP TABLE cascaded and emptied a city's
    identities, conversations, messages and preferential records; an upgrade must keep every row."""
    url, engine = _city_at_0018(tmp_path)
    before = _counts(engine)
    assert before == [2, 2, 1, 1, 1]
    upgrade(url)
    assert _counts(engine) == before
    with engine.begin() as db:
        plain: dict[int, bool | None] = dict(
            db.execute(sa.text("SELECT id, plain_language FROM citizens")).all()
        )
    assert plain == {1: None, 2: True}  # "not chosen" is no longer stored as a no
    downgrade(url, "0018")
    assert _counts(engine) == before
    engine.dispose()


def test_an_upgrade_that_leaves_rows_pointing_at_nothing_is_undone(tmp_path: Path) -> None:
    """The check after the migrations: here a trigger, as a faulty migration would, deletes a conversation
    while foreign keys are off, orphaning its messages. Nothing of the upgrade stays."""
    url, engine = _city_at_0018(tmp_path)
    with engine.begin() as db:
        db.execute(sa.text(
            "CREATE TRIGGER faulty AFTER UPDATE ON alembic_version BEGIN DELETE FROM conversations; END"
        ))  # fmt: skip
    with pytest.raises(RuntimeError, match="pointing at nothing"):
        upgrade(url)
    assert current_revision_sync(url) == "0018"
    assert _counts(engine) == [2, 2, 1, 1, 1]
    engine.dispose()


def test_rows_pointing_at_nothing_from_before_do_not_block_an_upgrade(tmp_path: Path) -> None:
    url, engine = _city_at_0018(tmp_path)
    with engine.begin() as db:
        db.execute(sa.text("PRAGMA foreign_keys=OFF"))
        db.execute(sa.text(
            "INSERT INTO channel_identities (citizen_id, channel, address, opted_out, created_at) VALUES "
            "(999, 'sms', '+573009998877', 0, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
    upgrade(url)
    assert current_revision_sync(url) == head_revision()
    engine.dispose()


def test_a_city_upgraded_from_before_the_table_rebuilds_keeps_its_rows(tmp_path: Path) -> None:
    """0010 and 0011 rebuild `cases` and `citizens` on SQLite (a foreign key added), as 0019 does. A city at
    0009 with a citizen, their conversation and a case keeps every row and every link through to the head."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0009")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as db:
        for sql in (
            "INSERT INTO citizens (id, language, created_at) VALUES (1, 'es', CURRENT_TIMESTAMP)",
            "INSERT INTO channel_identities (citizen_id, channel, address, opted_out, created_at) VALUES "
            "(1, 'whatsapp', '+573001112233', 0, CURRENT_TIMESTAMP)",
            "INSERT INTO conversations (id, citizen_id, holder, state, created_at, updated_at) VALUES "
            "(1, 1, 'bot', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            "INSERT INTO messages (citizen_id, conversation_id, direction, author, channel, address, text, "
            "created_at) VALUES (1, 1, 'in', 'citizen', 'whatsapp', '+573001112233', 'hay un bache', "
            "CURRENT_TIMESTAMP)",
            "INSERT INTO cases (id, code, citizen_id, service_code, description, status, priority, "
            "department, channel, language, created_at, updated_at) VALUES (1, 'K7M-4QP', 1, 'pothole', "
            "'hay un bache', 'open', 0, 'obras', 'whatsapp', 'es', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            "INSERT INTO case_events (case_id, kind, actor, created_at) VALUES "
            "(1, 'created', 'citizen', CURRENT_TIMESTAMP)",
        ):
            db.execute(sa.text(sql))
    tables = ("citizens", "channel_identities", "conversations", "messages", "cases", "case_events")

    def counts() -> list[int]:
        with engine.begin() as db:
            return [db.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() for table in tables]

    assert counts() == [1, 1, 1, 1, 1, 1]
    upgrade(url)
    assert counts() == [1, 1, 1, 1, 1, 1]
    with engine.begin() as db:
        assert db.execute(sa.text("SELECT citizen_id FROM cases")).scalar_one() == 1  # not SET NULL
    engine.dispose()
