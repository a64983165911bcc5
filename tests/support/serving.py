"""`ventanilla serve` as a real process, for the tests that use the command exactly as the README does."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.pg_cluster import free_port

VENTANILLA = [sys.executable, "-m", "bot.cli"]
__all__ = ["VENTANILLA", "env_with_config", "free_port", "serving"]


def env_with_config(config: Path) -> dict[str, str]:
    """This environment with `config` as the configuration and no channel or database overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VENTANILLA_", "TWILIO_", "TELEGRAM_"))}
    env["VENTANILLA_CONFIG"] = str(config)
    return env


@contextlib.contextmanager
def serving(env: dict[str, str], startup: float = 90) -> Iterator[str]:
    """`ventanilla serve` on a free loopback port until the block ends; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [*VENTANILLA, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"serve did not start:\n{process.stdout.read() if process.stdout else ''}")
        time.sleep(0.3)
    try:
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
        if process.stdout:
            process.stdout.close()
