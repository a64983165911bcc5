"""The throw-away PostgreSQL server the tests start: databases, templates, Spanish text, clean stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support import postgres as pg

SPANISH = "Ñandú ¿qué?"


def _skip_unless_installed() -> None:
    # under CI a missing PostgreSQL must fail, so there start() runs and raises
    if pg.find_bin_dir() is None and os.environ.get("CI", "").lower() not in {"true", "1"}:
        pytest.skip(pg.NO_BINARIES)


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


async def _databases(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return set((await connection.execute(text("SELECT datname FROM pg_database"))).scalars())
    finally:
        await engine.dispose()


@pytest.fixture
def server() -> Iterator[pg.PostgresServer]:
    _skip_unless_installed()
    with pg.PostgresServer() as started:
        yield started


@pytest.mark.postgres
async def test_throwaway_server_end_to_end(server: pg.PostgresServer) -> None:
    port = server.port
    assert server.url("ventanilla_demo") == f"postgresql+asyncpg://postgres@127.0.0.1:{port}/ventanilla_demo"
    server.create_database("ventanilla_demo")  # the blocking form works inside a running event loop too
    engine = create_async_engine(server.url("ventanilla_demo"))
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)"))
            await connection.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": SPANISH})
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT body FROM notes"))).scalar_one() == SPANISH
            assert (await connection.execute(text("SHOW server_encoding"))).scalar_one() == "UTF8"
    finally:
        await engine.dispose()

    await server.acreate_database("ventanilla_clone", template="ventanilla_demo")
    clone = create_async_engine(server.url("ventanilla_clone"))
    try:
        async with clone.connect() as connection:
            assert (await connection.execute(text("SELECT body FROM notes"))).scalars().all() == [SPANISH]
    finally:
        await clone.dispose()
    await server.adrop_database("ventanilla_clone")
    server.drop_database("ventanilla_clone")  # dropping what is gone is fine
    databases = await _databases(server.url("postgres"))
    assert "ventanilla_demo" in databases
    assert "ventanilla_clone" not in databases

    assert server.log_path is not None
    directory = server.log_path.parent
    server.stop()
    assert not _accepts_connections(port)
    assert not directory.exists()
    server.stop()  # a second stop is harmless


@pytest.mark.postgres
def test_a_taken_port_is_retried_with_another(monkeypatch: pytest.MonkeyPatch) -> None:
    _skip_unless_installed()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        offered, real_free_port = iter([taken]), pg.free_port
        monkeypatch.setattr(pg, "free_port", lambda: next(offered, None) or real_free_port())
        with pg.PostgresServer() as server:
            assert server.port != taken
            assert server.log_path is not None
            assert "Address already in use" in server.log_path.read_text()
            assert _accepts_connections(server.port)


@pytest.mark.postgres
def test_a_cluster_left_by_a_killed_run_is_removed(tmp_path: Path) -> None:
    _skip_unless_installed()
    module_root = Path(pg.__file__).parents[pg.__name__.count(".")]
    killed_run = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(module_root)!r})
        from {pg.__name__} import PostgresServer
        server = PostgresServer().start()
        print(server.port, server.log_path.parent, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", killed_run], capture_output=True, text=True, timeout=90)
    assert done.returncode == -signal.SIGKILL, done.stderr
    port_text, directory_text = done.stdout.split()
    # the run printed only once its server was up; a concurrent run may already have cleaned it away
    orphan_port, orphan_directory = int(port_text), Path(directory_text)
    with pg.PostgresServer():
        assert not orphan_directory.exists()
        assert not _accepts_connections(orphan_port)


@pytest.mark.postgres
async def test_an_already_running_server_is_used_not_started(
    server: pg.PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pg.EXTERNAL_URL_ENV, server.url("postgres").replace("+asyncpg", ""))
    assert pg.postgres_available() is None
    external = pg.start_for_tests()
    assert external is not None
    assert external.url("ventanilla_x") == server.url("ventanilla_x")
    await external.acreate_database("ventanilla_x")
    assert "ventanilla_x" in await _databases(server.url("postgres"))
    await external.adrop_database("ventanilla_x")
    external.stop()
    assert _accepts_connections(server.port)


def test_an_unreachable_external_server_is_a_clear_error() -> None:
    url = f"postgresql://ventanilla:s3cret@127.0.0.1:{pg.free_port()}/postgres"
    with pytest.raises(pg.PostgresServerError, match=pg.EXTERNAL_URL_ENV) as caught:
        pg.PostgresServer(external_url=url).start()
    assert "s3cret" not in str(caught.value)


def test_missing_postgresql_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg, "find_bin_dir", lambda: None)
    monkeypatch.delenv(pg.EXTERNAL_URL_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert pg.postgres_available() == pg.NO_BINARIES
    assert pg.start_for_tests() is None
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pg.PostgresServerError, match="CI=true"):
        pg.start_for_tests()
