"""`ventanilla nlu … --backend rasa`, `nlu rasa-serve` and the factory, without a real Rasa."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from bot.settings_loading import load_settings
from nlu.builtin import BuiltinClassifier
from nlu.factory import build_classifier, close_classifier, rasa_work_dir
from nlu.rasa import commands as rasa_commands
from nlu.rasa import venv as rasa_venv
from nlu.rasa.fallback import FallbackClassifier
from tests.bot.test_settings import shipped_with
from tests.nlu.test_commands import run, settings


@pytest.fixture
def no_rasa(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No cached virtualenv and no Python 3.10 anywhere."""
    monkeypatch.setenv(rasa_venv.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(rasa_venv.PYTHON_ENV, str(tmp_path / "nowhere" / "python3.10"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    return tmp_path / "cache"


@pytest.fixture
def fake_venv(no_rasa: Path) -> rasa_venv.RasaVenv:
    """A "complete" cached virtualenv whose python only says yes: enough for commands that exec it."""
    path = rasa_venv.venv_path()
    (path / "bin").mkdir(parents=True)
    python = path / "bin" / "python"
    python.write_text("#!/bin/sh\nexit 0\n")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    (path / rasa_venv.COMPLETE).write_text("")
    return rasa_venv.RasaVenv(path)


async def test_factory_wraps_rasa_in_the_fallback(
    classifier: BuiltinClassifier, model_dir: Path, tmp_path: Path
) -> None:
    """With Rasa's timeout and cool-down from config.yml, as a city would set them."""
    nlu = {
        "backend": "rasa",
        "model_dir": str(model_dir),
        "rasa_url": "http://127.0.0.1:9",
        "rasa_timeout_seconds": 0.25,
        "rasa_cooldown_seconds": 3,
    }
    built = build_classifier(load_settings(shipped_with(tmp_path, nlu=nlu), environ={}))
    assert isinstance(built, FallbackClassifier)
    assert (built.rasa.url, built.rasa.timeout, built.breaker.cooldown) == ("http://127.0.0.1:9", 0.25, 3)
    parse = await built.parse("hay un hueco en la calle 45")  # nobody on port 9: the built-in answers
    assert parse.intent == "report_pothole"
    await close_classifier(built)
    await close_classifier(classifier)  # one without close() is fine too


def test_rasa_work_dir(tmp_path: Path) -> None:
    assert rasa_work_dir(settings(tmp_path / "var" / "nlu").nlu) == tmp_path / "var" / "rasa"
    elsewhere = load_settings(shipped_with(tmp_path, nlu={"rasa_dir": "elsewhere"}), environ={})
    assert rasa_work_dir(elsewhere.nlu) == tmp_path / "elsewhere"


def test_train_without_python_310_says_what_is_missing(
    no_rasa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["nlu", "train", "--backend", "rasa", "--work-dir", str(tmp_path / "w")], settings(tmp_path))
    assert code == 2
    err = capsys.readouterr().err
    assert "Rasa is not available" in err and "needs Python 3.10" in err and "VENTANILLA_RASA_PYTHON" in err


def test_serve_without_a_model_says_to_train(
    no_rasa: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["nlu", "rasa-serve", "--work-dir", str(tmp_path / "w")], settings(tmp_path)) == 1
    assert "run `ventanilla nlu train --backend rasa` first" in capsys.readouterr().err


def test_serve_runs_rasa_on_loopback_in_the_foreground(
    fake_venv: rasa_venv.RasaVenv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "nlu-x.tar.gz"
    model.write_bytes(b"")
    ran: list[Any] = []

    def exec_foreground(*args: Any) -> int:
        ran.append(args)
        return 0

    monkeypatch.setattr(rasa_commands, "exec_foreground", exec_foreground)
    config = settings(tmp_path, rasa_url="http://127.0.0.1:5055")
    assert run(["nlu", "rasa-serve", "--model", str(model), "--work-dir", str(tmp_path)], config) == 0
    [(command, cwd, env)] = ran
    assert command[:3] == [str(fake_venv.python), "-m", "rasa"]
    assert command[3:] == ["run", "--enable-api", "-m", str(model), "--port", "5055", "-i", "127.0.0.1"]
    assert cwd == tmp_path and env["RASA_TELEMETRY_ENABLED"] == "false"
    run(["nlu", "rasa-serve", "--model", str(model), "--port", "6000", "--work-dir", str(tmp_path)], config)
    assert ran[1][0][8] == "6000"


def test_predict_with_rasa_down_still_answers(
    classifier: BuiltinClassifier,
    model_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("hay un árbol caído\ngracias\n"))
    assert run(["nlu", "predict", "--backend", "rasa"], settings(model_dir)) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["intent"] for line in lines] == ["report_tree", "thanks"]


def test_evaluate_file_against_a_dead_rasa_fails_cleanly(
    classifier: BuiltinClassifier, model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "t.yml"
    data.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hola\n', encoding="utf-8")
    argv = ["nlu", "evaluate", "--data", str(data), "--backend", "rasa", "--rasa-url", "http://127.0.0.1:9"]
    assert run(argv, settings(model_dir)) == 1
    assert "Rasa: unreachable" in capsys.readouterr().err


def test_evaluate_both_needs_rasa(
    no_rasa: Path, classifier: BuiltinClassifier, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = settings(model_dir, rasa_dir=str(model_dir / "rasa"))
    assert run(["nlu", "evaluate", "--backend", "both", "--folds", "0"], config) == 2
    assert "needs Python 3.10" in capsys.readouterr().err


def test_the_settings_defaults_are_the_clients_own() -> None:
    """config.yml's defaults and the classes' own agree, so leaving a key out changes nothing."""
    from bot.settings_runtime import Nlu, Twilio
    from connectors.twilio.config import DEFAULT_TIMEOUT as TWILIO_TIMEOUT
    from nlu.rasa.client import DEFAULT_TIMEOUT
    from nlu.rasa.fallback import DEFAULT_COOLDOWN

    assert (Nlu().rasa_timeout_seconds, Nlu().rasa_cooldown_seconds) == (DEFAULT_TIMEOUT, DEFAULT_COOLDOWN)
    assert Twilio().timeout_seconds == TWILIO_TIMEOUT
