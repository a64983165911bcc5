"""`serve --workers 2`: two processes share the port; a worker killed with -9 comes back, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.settings_loading import DEFAULT_CONFIG
from storage.models import Message
from tests.support.serving import free_port
from tests.test_cli import post


def health(base: str) -> int | None:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
            return int(json.loads(response.read())["pid"])
    except (OSError, ValueError, KeyError):
        return None


def worker_pids(base: str, *, at_least: int, timeout: float = 90) -> set[int]:
    """The pids that answer /healthz, asking over fresh connections until `at_least` have answered."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while len(seen) < at_least:
        if time.monotonic() > deadline:
            raise AssertionError(f"only workers {seen} answered")
        pid = health(base)
        if pid is None:
            time.sleep(0.2)
        else:
            seen.add(pid)
    return seen


@pytest.mark.timeout(240)
async def test_two_workers_share_the_port_and_survive_a_kill(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    shutil.copy(DEFAULT_CONFIG, tmp_path / "config.yml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VENTANILLA_", "TWILIO_", "TELEGRAM_"))}
    env |= {
        "VENTANILLA_CONFIG": str(tmp_path / "config.yml"),
        "VENTANILLA_DATABASE_URL": settings.database.url,
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(  # noqa: ASYNC220 - started once, and the test is about a real process
        [sys.executable, "-m", "bot.cli", *command],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        victim = min(worker_pids(base, at_least=2))
        answered = 0
        for n in range(40):
            if n == 10:
                os.kill(victim, signal.SIGKILL)  # mid-flow
            status, _ = post_quietly(base, {"sender": f"web-w{n:04d}-5f3c9d27e1", "message": "hola"})
            answered += status == 200
        # The supervisor brings a new worker up in the dead one's place.
        assert victim not in worker_pids(base, at_least=2) or len(worker_pids(base, at_least=3)) >= 3
        async with sessions() as session:
            stored = await session.scalar(select(func.count()).where(Message.direction == "in"))
        assert answered >= 30 and stored == answered  # every message that got a 200 is in the database
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def post_quietly(base: str, body: dict[str, str]) -> tuple[int, object]:
    try:
        return post(f"{base}/webhooks/rest/webhook", body)
    except (OSError, urllib.error.URLError):
        return 0, None  # the connection died with the worker: no 200, so the provider would retry
