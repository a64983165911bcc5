"""Child processes of the bench: each in its own session, logged to a file, awaited, and always stopped."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from paths import REPO


class BenchError(RuntimeError):
    """Something the bench needs did not start or did not answer; the message says what and shows its log."""


class Child:
    """One server process (and whatever it starts: its own process group) with its output in a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], cwd: Path = REPO) -> None:
        self.name, self.command, self.env, self.cwd = name, command, env, cwd
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, stdout_pipe: bool = False) -> Child:
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdout_pipe else self.log, stderr=self.log,
            start_new_session=True,  # a group of its own: stop() reaches the workers it spawns too
        )  # fmt: skip
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 30) -> str:
        self.log.flush()
        self.log.seek(0)
        return "\n".join(self.log.read().decode("utf-8", "replace").splitlines()[-lines:])

    def first_line(self, timeout: float) -> str:
        """The first line the child prints on stdout (started with `stdout_pipe`)."""
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + timeout
        os.set_blocking(self.process.stdout.fileno(), False)
        buffered = b""
        while b"\n" not in buffered:
            if time.monotonic() > deadline or not self.alive:
                raise BenchError(f"{self.name} printed nothing in {timeout:.0f} s:\n{self.tail()}")
            buffered += self.process.stdout.read() or b""
            time.sleep(0.05)
        return buffered.split(b"\n", 1)[0].decode()

    def stop(self) -> None:
        """SIGTERM to the whole group, then SIGKILL after 15 s; safe to call twice."""
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
        if process is not None:
            # whatever is left of the group (a worker the supervisor did not take down) goes now
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
            if process.stdout is not None:
                process.stdout.close()
        self.log.close()


def get_json(url: str, timeout: float = 2.0) -> Any:
    """The JSON an URL answers with 200, or None (refused, an error status, not JSON)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read()) if response.status == 200 else None
    except (OSError, ValueError):
        return None


def wait_until(child: Child, ready: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until `ready()`; BenchError if the child exits or the time runs out."""
    started = time.monotonic()
    while not ready():
        if not child.alive:
            raise BenchError(
                f"{child.name} exited ({child.process and child.process.returncode}):\n{child.tail()}"
            )
        if time.monotonic() - started > timeout:
            raise BenchError(f"{child.name}: {what} not within {timeout:.0f} s:\n{child.tail()}")
        time.sleep(0.2)
    return time.monotonic() - started


def worker_pids(base_url: str, wanted: int, timeout: float, child: Child) -> set[int]:
    """The pids behind /healthz (each call a new connection), once `wanted` of them have answered."""
    seen: set[int] = set()

    def enough() -> bool:
        answer = get_json(f"{base_url}/healthz")
        if isinstance(answer, dict) and "pid" in answer:
            seen.add(int(answer["pid"]))
        return len(seen) >= wanted

    wait_until(child, enough, timeout, f"{wanted} worker(s) answering /healthz")
    return seen


def cpu_seconds(*roots: int) -> float:
    """CPU time (user + system) of each root process and all its descendants, dead ones included.

    A child's time moves into its parent's cutime/cstime when the parent reaps it, so summing all four
    fields over the living tree counts every process once: PostgreSQL backends of closed connections, a
    worker that was replaced, the threads of a process (aiosqlite's, TensorFlow's).
    """
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    spent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # the command name (field 2) is in parentheses and may hold spaces: split after it
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        spent[pid] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    total, seen, todo = 0, set(), [root for root in roots if root in spent]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            total += spent[pid]
            todo.extend(children.get(pid, []))
    return total / tick
