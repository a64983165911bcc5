"""A throw-away PostgreSQL server for the tests, or the running one VENTANILLA_TEST_POSTGRES_URL names."""

from __future__ import annotations

import asyncio
import os
import pwd
import secrets
import socket
import tempfile
import time
import weakref
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import URL, make_url

from tests.support.pg_cluster import (
    DIR_PREFIX,
    NO_BINARIES,
    OWNER_FILE,
    SYSTEM_USER,
    PostgresServerError,
    as_system_user,
    base_dir,
    failure,
    find_bin_dir,
    free_port,
    log_tail,
    read_from,
    remove_stale_clusters,
    run,
    settings,
    stop_unless_forked,
)

__all__ = [
    "EXTERNAL_URL_ENV",
    "NO_BINARIES",
    "PostgresServer",
    "PostgresServerError",
    "find_bin_dir",
    "free_port",
    "postgres_available",
    "start_for_tests",
    "unique_database_name",
]

EXTERNAL_URL_ENV = "VENTANILLA_TEST_POSTGRES_URL"
SUPERUSER = "postgres"  # the database role initdb creates, whoever runs it
STARTUP_TIMEOUT = 30.0
PORT_ATTEMPTS = 5

T = TypeVar("T")


def postgres_available() -> str | None:
    """None when the tests can have a PostgreSQL server; otherwise the reason they cannot."""
    if os.environ.get(EXTERNAL_URL_ENV):
        return None
    if find_bin_dir() is None:
        return NO_BINARIES
    if os.geteuid() == 0:
        try:
            as_system_user()
        except PostgresServerError as exc:
            return str(exc)
    return None


def start_for_tests() -> PostgresServer | None:
    """The session's server; None (the caller skips) when PostgreSQL is not installed — unless under CI."""
    if external := os.environ.get(EXTERNAL_URL_ENV):
        return PostgresServer(external_url=external).start()
    if find_bin_dir() is None:
        ci = os.environ.get("CI", "")
        if ci.lower() in {"true", "1"}:
            raise PostgresServerError(
                f"CI={ci} and {NO_BINARIES}: install the postgresql package or set {EXTERNAL_URL_ENV}"
            )
        return None
    return PostgresServer().start()


def unique_database_name(prefix: str = "ventanilla_test") -> str:
    """A database name no concurrent test run picks, for servers several runs share."""
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory on 127.0.0.1 at a free port, deleted by stop()."""

    def __init__(
        self,
        *,
        external_url: str | None = None,
        bin_dir: Path | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self._external = make_url(external_url).set(drivername="postgresql+asyncpg") if external_url else None
        self._bin_dir = bin_dir
        self._timeout = startup_timeout
        self._root: Path | None = None
        self._port: int | None = None
        self._started_with: tuple[Path, list[str]] | None = None  # bin_dir and the runuser prefix
        self._teardown: Callable[[], object] | None = None
        self.startup_seconds: float | None = None

    @property
    def running(self) -> bool:
        return self._external is not None or self._port is not None

    @property
    def port(self) -> int:
        if self._external is not None:
            return self._external.port or 5432
        if self._port is None:
            raise PostgresServerError("the test PostgreSQL server is not running")
        return self._port

    @property
    def log_path(self) -> Path | None:
        return None if self._root is None else self._root / "server.log"

    def url(self, dbname: str) -> str:
        """The SQLAlchemy URL of database dbname on this server."""
        return self._base_url().set(database=dbname).render_as_string(hide_password=False)

    def start(self) -> Self:
        if self._external is not None:
            _run_coroutine(self._check_reachable())
            return self
        if self._root is not None:
            raise PostgresServerError("the test PostgreSQL server is already started")
        began = time.monotonic()
        bin_dir = self._bin_dir or find_bin_dir()
        if bin_dir is None:
            raise PostgresServerError(NO_BINARIES)
        as_user = as_system_user() if os.geteuid() == 0 else []
        base = base_dir(shared_with_system_user=bool(as_user))
        remove_stale_clusters(bin_dir, as_user)
        self._root = root = Path(tempfile.mkdtemp(prefix=DIR_PREFIX, dir=base))
        self._started_with = (bin_dir, as_user)
        (root / OWNER_FILE).write_text(f"{os.getpid()}\n")
        # the finalizer also runs at interpreter exit, so a forgotten stop() leaves no server behind
        self._teardown = weakref.finalize(self, stop_unless_forked, os.getpid(), root, bin_dir, as_user)
        try:
            if as_user:
                account = pwd.getpwnam(SYSTEM_USER)
                os.chown(root, account.pw_uid, account.pw_gid)
            data = root / "data"
            initdb: list[str | Path] = [bin_dir / "initdb", "-D", data, "-U", SUPERUSER, "-A", "trust"]
            run(as_user, [*initdb, "-E", "UTF8", "--locale=C", "-N"], cwd=root, timeout=120, what="initdb")
            with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write(settings(socket_dir=root))
            self._port = self._start_on_free_port(bin_dir, as_user, data, root / "server.log")
            self._wait_until_accepting(bin_dir, root / "server.log")
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is worth keeping) and delete its directory."""
        if self._teardown is not None:
            self._teardown()
        self._teardown = self._root = self._port = self._started_with = None

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the postmaster but keep its data and port, so that start_server() brings it back.

        `mode` is pg_ctl's: "fast" disconnects the clients and shuts down cleanly; "immediate" is a crash
        as far as the clients can tell (the server recovers from its WAL on the next start).
        """
        bin_dir, as_user, data = self._own_cluster()
        stop: list[str | Path] = [bin_dir / "pg_ctl", "stop", "-D", data, "-m", mode, "-w", "-t", "30"]
        run(as_user, stop, cwd=data.parent, timeout=45, what="pg_ctl stop")

    def start_server(self) -> None:
        """Start the stopped postmaster again on the same port, and wait until it accepts connections."""
        bin_dir, as_user, data = self._own_cluster()
        log = data.parent / "server.log"
        start: list[str | Path] = [bin_dir / "pg_ctl", "start", "-D", data, "-l", log, "-w"]
        start += ["-t", f"{self._timeout:.0f}", "-o", f"-p {self.port}"]
        run(as_user, start, cwd=data.parent, timeout=self._timeout + 15, what="pg_ctl start", log=log)
        self._wait_until_accepting(bin_dir, log)

    def restart(self, *, down_for: float = 0.0, mode: str = "fast") -> None:
        """stop_server(mode), `down_for` seconds with no server, then start_server()."""
        self.stop_server(mode)
        time.sleep(down_for)
        self.start_server()

    def _own_cluster(self) -> tuple[Path, list[str], Path]:
        if self._external is not None:
            raise PostgresServerError(f"{EXTERNAL_URL_ENV} names a server these tests do not control")
        if self._root is None or self._started_with is None or self._port is None:
            raise PostgresServerError("the test PostgreSQL server is not running")
        bin_dir, as_user = self._started_with
        return bin_dir, as_user, self._root / "data"

    def __enter__(self) -> Self:
        return self if self.running else self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def create_database(self, name: str, template: str | None = None) -> None:
        _run_coroutine(self.acreate_database(name, template))

    def drop_database(self, name: str) -> None:
        _run_coroutine(self.adrop_database(name))

    async def acreate_database(self, name: str, template: str | None = None) -> None:
        """An empty database (UTF8, C collation), or a copy of template: the fast way to a migrated one."""
        if template is None:
            options = "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
        else:
            options = f"TEMPLATE {_ident(template)}"
        connection = await self._admin_connection()
        try:
            patience = time.monotonic() + 5
            while True:
                try:
                    await connection.execute(f"CREATE DATABASE {_ident(name)} {options}")
                    return
                except asyncpg.ObjectInUseError:
                    # a template must have no other sessions; a just-disposed engine may still be closing
                    if time.monotonic() > patience:
                        raise
                    await asyncio.sleep(0.05)
        finally:
            await connection.close()

    async def adrop_database(self, name: str) -> None:
        """Drop the database if it exists, ending its sessions (PostgreSQL 13 or later)."""
        connection = await self._admin_connection()
        try:
            await connection.execute(f"DROP DATABASE IF EXISTS {_ident(name)} WITH (FORCE)")
        finally:
            await connection.close()

    def _base_url(self) -> URL:
        if self._external is not None:
            return self._external
        return URL.create("postgresql+asyncpg", username=SUPERUSER, host="127.0.0.1", port=self.port)

    async def _admin_connection(self) -> Any:
        url = self._base_url()
        dsn = url.set(drivername="postgresql", database=url.database or "postgres")
        ssl = None if self._external is not None else False
        return await asyncpg.connect(dsn.render_as_string(hide_password=False), ssl=ssl, timeout=10)

    async def _check_reachable(self) -> None:
        try:
            connection = await self._admin_connection()
        except Exception as exc:
            shown = self._base_url().render_as_string(hide_password=True)
            raise PostgresServerError(f"{EXTERNAL_URL_ENV}={shown} is not reachable: {exc!r}") from exc
        await connection.close()

    def _start_on_free_port(self, bin_dir: Path, as_user: Sequence[str], data: Path, log: Path) -> int:
        wait = f"{self._timeout:.0f}"
        for attempt in range(1, PORT_ATTEMPTS + 1):
            port, seen = free_port(), log.stat().st_size if log.exists() else 0
            start: list[str | Path] = [bin_dir / "pg_ctl", "start", "-D", data, "-l", log]
            start += ["-w", "-t", wait, "-o", f"-p {port}"]
            timeout = self._timeout + 15
            done = run(as_user, start, cwd=data.parent, timeout=timeout, what="pg_ctl start", check=False)
            if done.returncode == 0:
                return port
            # another process may take the port between free_port() and the server's bind
            if "Address already in use" not in read_from(log, seen) or attempt == PORT_ATTEMPTS:
                raise PostgresServerError(failure("pg_ctl start", done, log))
        raise AssertionError("unreachable")

    def _wait_until_accepting(self, bin_dir: Path, log: Path) -> None:
        # pg_ctl -w has seen the server ready; this proves it answers on 127.0.0.1 too
        deadline = time.monotonic() + self._timeout
        isready: list[str | Path] = [bin_dir / "pg_isready", "-q", "-h", "127.0.0.1", "-t", "2"]
        isready += ["-p", str(self.port)]
        while True:
            if (bin_dir / "pg_isready").exists():
                done = run([], isready, cwd=log.parent, timeout=10, what="pg_isready", check=False)
                accepting = done.returncode == 0
            else:
                accepting = _tcp_open(self.port)
            if accepting:
                return
            if time.monotonic() > deadline:
                raise PostgresServerError(
                    f"PostgreSQL on 127.0.0.1:{self.port} did not accept connections within "
                    f"{self._timeout:.0f} s{log_tail(log)}"
                )
            time.sleep(0.1)


def _tcp_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _ident(name: str) -> str:
    if not name or len(name.encode()) > 63 or "\x00" in name:
        raise ValueError(f"not a usable PostgreSQL database name: {name!r}")
    return '"' + name.replace('"', '""') + '"'


def _run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    # a private loop in a worker thread works whether or not the caller is already inside an event loop
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="postgres-admin") as pool:
        return pool.submit(asyncio.run, coroutine).result()
