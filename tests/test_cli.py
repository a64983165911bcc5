"""The `ventanilla` command as the README uses it: db upgrade, serve, chat — real processes."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings_loading import DEFAULT_CONFIG
from tests.support.serving import VENTANILLA, env_with_config, free_port, serving


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of config.yml in a fresh folder: its database, media and model cache live there."""
    folder = tmp_path_factory.mktemp("cli")
    shutil.copy(DEFAULT_CONFIG, folder / "config.yml")
    return folder


def env_for(workdir: Path) -> dict[str, str]:
    return env_with_config(workdir / "config.yml")


def run(workdir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VENTANILLA, *args], input=stdin, capture_output=True, text=True, env=env_for(workdir), timeout=120
    )


def post(url: str, body: object) -> tuple[int, object]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_serve_refuses_an_unmigrated_database(workdir: Path) -> None:
    done = run(workdir, "serve", "--port", str(free_port()))
    assert done.returncode == 2
    assert "ventanilla db upgrade" in done.stderr


@pytest.fixture(scope="module")
def server(workdir: Path) -> Iterator[str]:
    assert run(workdir, "db", "upgrade").returncode == 0
    with serving(env_for(workdir)) as base:
        yield base


def test_serve_answers_the_chat_page_and_the_webhook(server: str) -> None:
    with urllib.request.urlopen(f"{server}/", timeout=10) as response:
        page = response.read().decode()
    assert response.headers["Content-Type"].startswith("text/html") and "/static/chat.js" in page
    status, replies = post(
        f"{server}/webhooks/rest/webhook", {"sender": "web-cli-5f3c9d27e1", "message": "hola"}
    )
    assert status == 200 and isinstance(replies, list) and "Aviso de privacidad" in replies[0]["text"]
    # Its link follows the port the service was given, not config.yml's default :8080.
    assert f":{server.rsplit(':', 1)[1]}/privacidad" in replies[0]["text"]
    assert "¡Hola!" in replies[1]["text"]  # a first contact: the notice, then the greeting
    status, error = post(f"{server}/webhooks/rest/webhook", {"sender": "web cli", "message": "hola"})
    assert status == 400 and isinstance(error, dict) and error["error"] == "bad_sender"


def test_the_readme_addresses_answer(server: str) -> None:
    """Every http://localhost:8080 address the README gives, on a service started as `make run` starts it."""
    readme = (DEFAULT_CONFIG.parent / "README.md").read_text(encoding="utf-8")
    paths = {path.rstrip(".,:;") for path in re.findall(r"http://localhost:8080(/[^\s)]*)", readme)}
    assert {"/", "/inbox/", "/open311/v2/discovery.json"} <= paths
    for path in sorted(paths):
        with urllib.request.urlopen(f"{server}{path}", timeout=10) as response:  # the inbox: its login page
            assert response.status == 200, path


def test_chat_in_the_terminal_numbers_the_choices(server: str, workdir: Path) -> None:
    done = run(
        workdir, "chat", "--as", "vecina", stdin="quiero poner una queja\n1\nun hueco enorme y profundo\n"
    )
    assert done.returncode == 0, done.stderr
    assert "1. Bache o hueco en la vía" in done.stdout and "12. Andén o acera dañada" in done.stdout
    assert "¿Dónde es?" in done.stdout  # "1" chose the pothole, the description was taken


def test_housekeeping_by_hand_says_what_it_removed(server: str, workdir: Path) -> None:
    done = run(workdir, "housekeeping")
    assert done.returncode == 0, done.stderr
    assert "removed 0 unused photos and 0 one-message web chats" in done.stdout


def test_retention_by_hand_previews_then_runs(server: str, workdir: Path) -> None:
    preview = run(workdir, "retention", "run", "--dry-run", "--now", "2031-01-01T03:00:00-05:00")
    assert preview.returncode == 0, preview.stderr
    assert "retention as of 2031-01-01 08:00 UTC: dry run, nothing is changed" in preview.stdout
    done = run(workdir, "retention", "run")
    assert done.returncode == 0, done.stderr
    assert ": done" in done.stdout and "held by a supervisor (skipped): 0" in done.stdout
    assert run(workdir, "retention", "run", "--now", "yesterday").returncode == 2  # not ISO 8601


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port another program is listening on."""
    with socket.create_server(("127.0.0.1", 0)) as other:
        yield int(other.getsockname()[1])


@pytest.mark.parametrize("how", ["--port", "VENTANILLA_PORT"])
def test_a_busy_port_is_one_line_naming_it_and_the_way_out(
    server: str, workdir: Path, busy_port: int, how: str
) -> None:
    """Not aiohttp's 30-line traceback after the classifier has loaded: which port, and how to choose."""
    env = env_for(workdir)
    argv = [*VENTANILLA, "serve", "--host", "127.0.0.1"]
    if how == "--port":
        argv += ["--port", str(busy_port)]
    else:
        env["VENTANILLA_PORT"] = str(busy_port)
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    # Besides the migration check's log lines, one line: nothing started, nothing to unwind.
    said = [line for line in done.stderr.splitlines() if " INFO alembic." not in line]
    assert said == [
        f"ventanilla: port {busy_port} on 127.0.0.1 is already in use (another program, or ventanilla serve "
        f"running); choose another with --port {busy_port + 1} (make run PORT={busy_port + 1}) "
        f"or VENTANILLA_PORT={busy_port + 1}"
    ]
