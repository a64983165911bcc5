"""Run a Rasa server on loopback: `rasa run --enable-api` with one model, started, awaited and stopped."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO

from nlu.rasa.train import log_tail, rasa_env
from nlu.rasa.venv import RasaVenv

LOOPBACK = "127.0.0.1"
READY_TIMEOUT = 180.0  # measured ~12 s on 2 cores; a loaded CI machine can be much slower
STOP_TIMEOUT = 20.0


class RasaServerError(RuntimeError):
    """The Rasa server did not come up; the message holds the end of its log."""


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on right now (the usual small race is acceptable for tests and tools)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def serve_command(venv: RasaVenv, model: Path, port: int) -> list[str]:
    """`rasa run` with the HTTP API on, one model, listening on loopback only."""
    return venv.rasa_command(
        "run", "--enable-api", "-m", str(model.resolve()), "--port", str(port), "-i", LOOPBACK
    )


def model_loaded(url: str, timeout: float = 2.0) -> bool:
    """Whether the server at `url` answers `GET /status` with a model loaded."""
    try:
        with urllib.request.urlopen(f"{url}/status", timeout=timeout) as response:
            status = json.loads(response.read())
    except (OSError, ValueError):  # refused, reset, timed out, or not JSON yet
        return False
    return isinstance(status, dict) and bool(status.get("model_file"))


class RasaServer:
    """One `rasa run` child process; a context manager that stops it, also on errors."""

    def __init__(self, venv: RasaVenv, model: Path, *, port: int | None = None, log: Path) -> None:
        self.venv, self.model, self.log = venv, model, log
        self.port = port or free_port()
        self._process: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, *, wait: bool = True, timeout: float = READY_TIMEOUT) -> RasaServer:
        """Start the server (its output appended to `log`) and, with `wait`, return once it parses."""
        if self.running:
            return self
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_handle = self.log.open("ab")
        self._process = subprocess.Popen(
            serve_command(self.venv, self.model, self.port),
            cwd=self.log.parent,
            env=rasa_env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a Ctrl-C in the terminal is ours to forward
        )
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> float:
        """Seconds until the model was loaded; RasaServerError if it exits or takes longer."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self._process is None or self._process.poll() is not None:
                code = None if self._process is None else self._process.returncode
                self._close_log()
                raise RasaServerError(
                    f"rasa run exited ({code}); the end of {self.log}:\n{log_tail(self.log)}"
                )
            if model_loaded(self.url):
                return time.monotonic() - started
            time.sleep(0.25)
        self.stop()
        raise RasaServerError(f"rasa run did not load its model in {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        """Terminate politely, then kill; safe to call twice."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_log()

    def kill(self) -> None:
        """SIGKILL, as when the machine or the container dies: no goodbye to open connections."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None
        self._close_log()

    def _close_log(self) -> None:
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def __enter__(self) -> RasaServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
