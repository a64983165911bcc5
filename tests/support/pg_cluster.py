"""The process side of the test PostgreSQL cluster: binaries, directories, commands, leftovers."""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

SYSTEM_USER = "postgres"  # the account that runs the server when the tests run as root
DIR_PREFIX = "ventanilla-pg-"
OWNER_FILE = "owner.pid"
NO_BINARIES = (
    "no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or in /usr/lib/postgresql/*/bin"
)
_TMPFS_FLOOR = 1 << 30


class PostgresServerError(RuntimeError):
    """The test PostgreSQL server could not be found, started or reached."""


def find_bin_dir() -> Path | None:
    """Where initdb, pg_ctl and postgres are: PATH's if real binaries, else the newest Debian one."""
    on_path = [shutil.which(name) for name in ("initdb", "pg_ctl")]
    dirs = {Path(found).resolve().parent for found in on_path if found is not None}
    if len(dirs) == 1 and None not in on_path and _has_server_binaries(found_dir := dirs.pop()):
        return found_dir
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    return next((bin_dir for bin_dir in installed if _has_server_binaries(bin_dir)), None)


def _has_server_binaries(bin_dir: Path) -> bool:
    # Debian's /usr/bin/psql and friends are links to pg_wrapper, a Perl script choosing among clusters
    def real(path: Path) -> bool:
        try:
            with path.open("rb") as head:
                return os.access(path, os.X_OK) and head.read(2) != b"#!"
        except OSError:
            return False

    return all(real(bin_dir / name) for name in ("initdb", "pg_ctl", "postgres"))


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in bin_dir.parent.name.split("."))
    except ValueError:
        return (-1,)


def as_system_user() -> list[str]:
    """The command prefix running a program as `postgres`: initdb and postgres refuse to run as root."""
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        raise PostgresServerError(
            f"the tests run as root, which PostgreSQL refuses, and there is no {SYSTEM_USER!r} system user "
            "to run it as (the Debian postgresql package creates one); run the tests as another user "
            "or set VENTANILLA_TEST_POSTGRES_URL"
        ) from None
    candidates = (shutil.which("runuser"), "/usr/sbin/runuser", "/sbin/runuser")
    runuser = next((c for c in candidates if c is not None and os.access(c, os.X_OK)), None)
    if runuser is None:
        raise PostgresServerError("the tests run as root and runuser (util-linux) is missing")
    return [runuser, "-u", SYSTEM_USER, "--"]


def _candidate_bases() -> list[Path]:
    # an explicit TMPDIR wins; else tmpfs, where initdb and CREATE DATABASE … TEMPLATE run several times
    # faster than on a disk even with fsync off (Docker's 64 MB /dev/shm is too small, hence the floor)
    bases = [Path(os.environ["TMPDIR"])] if os.environ.get("TMPDIR") else []
    with contextlib.suppress(OSError):
        shm = os.statvfs("/dev/shm")
        if shm.f_bavail * shm.f_frsize >= _TMPFS_FLOOR:
            bases.append(Path("/dev/shm"))
    bases += [Path(tempfile.gettempdir()), Path("/tmp")]
    return list(dict.fromkeys(base.resolve() for base in bases))


def base_dir(*, shared_with_system_user: bool) -> Path:
    """Where to make the cluster's directory."""
    # a unix socket path is at most ~107 bytes, and as root the postgres user must reach the directory
    for base in _candidate_bases():
        usable = base.is_dir() and os.access(base, os.W_OK | os.X_OK) and len(str(base)) <= 64
        if usable and (not shared_with_system_user or _traversable_by_others(base)):
            return base
    raise PostgresServerError(
        f"TMPDIR={tempfile.gettempdir()} is too long for a unix socket or closed to the {SYSTEM_USER} user, "
        "and so is /tmp"
    )


def _traversable_by_others(path: Path) -> bool:
    try:
        return all(p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents))
    except OSError:
        return False


def remove_stale_clusters(bin_dir: Path, as_user: Sequence[str]) -> None:
    """Stop and delete clusters of test runs that died without stop() (SIGKILL, a cancelled CI job)."""
    for root in (root for base in _candidate_bases() for root in base.glob(DIR_PREFIX + "*")):
        try:
            owner = int((root / OWNER_FILE).read_text())
            ours = os.geteuid() == 0 or root.stat().st_uid == os.geteuid()
        except (OSError, ValueError):
            continue  # being created right now, or another user's
        if ours and not _alive(owner):
            stop_and_delete(root, bin_dir, as_user)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_unless_forked(creator: int, root: Path, bin_dir: Path, as_user: Sequence[str]) -> None:
    # a forked child leaving through atexit must not take its parent's server down with it
    if os.getpid() == creator:
        stop_and_delete(root, bin_dir, as_user)


def stop_and_delete(root: Path, bin_dir: Path, as_user: Sequence[str]) -> None:
    data = root / "data"
    if (data / "postmaster.pid").exists():
        stop: list[str | Path] = [bin_dir / "pg_ctl", "stop", "-D", data, "-m", "immediate", "-w", "-t", "30"]
        # should even this fail, the postmaster shuts itself down within a minute of its directory going
        with contextlib.suppress(PostgresServerError):
            run(as_user, stop, cwd=root, timeout=45, what="pg_ctl stop", check=False)
    shutil.rmtree(root, ignore_errors=True)


def settings(*, socket_dir: Path) -> str:
    """Lines for postgresql.conf: loopback only, and durability traded for speed."""
    quoted = str(socket_dir).replace("'", "''")
    return (
        "\n# ventanilla test cluster\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{quoted}'\n"
        "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n"
    )


def run(
    as_user: Sequence[str],
    argv: Sequence[str | Path],
    *,
    cwd: Path,
    timeout: float,
    what: str,
    check: bool = True,
    log: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    command = [*as_user, *map(str, argv)]
    # PGDATA, PGPORT… from the developer's shell must not steer this cluster; messages stay in English
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(LC_ALL="C", LANG="C")
    try:
        # a session of its own: a Ctrl-C meant for pytest must not reach the postmaster first
        done = subprocess.run(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            errors="replace", timeout=timeout, start_new_session=True, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise PostgresServerError(f"{what} timed out after {timeout:.0f} s: {shlex.join(command)}") from exc
    except OSError as exc:
        raise PostgresServerError(f"{what} could not run: {shlex.join(command)}: {exc}") from exc
    if check and done.returncode != 0:
        raise PostgresServerError(failure(what, done, log))
    return done


def failure(what: str, done: subprocess.CompletedProcess[str], log: Path | None) -> str:
    command = shlex.join(str(arg) for arg in done.args)
    output = (done.stdout + done.stderr).strip()
    return f"{what} failed (exit {done.returncode}): {command}\n{output}{log_tail(log)}"


def log_tail(log: Path | None, lines: int = 40) -> str:
    tail = read_from(log, 0).splitlines()[-lines:] if log is not None else []
    return f"\n--- last lines of {log} ---\n" + "\n".join(tail) if tail else ""


def read_from(log: Path, offset: int) -> str:
    try:
        with log.open("rb") as stream:
            stream.seek(offset)
            return stream.read().decode(errors="replace")
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
