"""`ventanilla nlu train|predict|evaluate`, driven through argparse as the CLI will."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.settings_loading import load_settings
from nlu.builtin import BuiltinClassifier
from nlu.commands import add_nlu_commands
from nlu.factory import BackendUnavailable, build_classifier

ROOT = Path(__file__).resolve().parents[2]


def settings(model_dir: Path, backend: str = "builtin", **nlu: str) -> Settings:
    """The shipped config.yml with the model in `model_dir` and Rasa (if asked) where nobody answers."""
    overrides = {
        "nlu.model_dir": str(model_dir),
        "nlu.backend": backend,
        "nlu.rasa_url": "http://127.0.0.1:9",
    }
    overrides.update({f"nlu.{key}": value for key, value in nlu.items()})
    return load_settings(None, {}, **overrides)


def run(argv: list[str], config: Settings) -> int:
    parser = argparse.ArgumentParser(prog="ventanilla")
    add_nlu_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args, config)
    return code


def test_train_then_cached(
    classifier: BuiltinClassifier, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["nlu", "train"], settings(model_dir)) == 0
    assert "loaded from cache" in capsys.readouterr().out


def test_predict_writes_one_json_line_per_input_line(
    classifier: BuiltinClassifier,
    model_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("¿cómo va mi caso k7m4qp?\n\nhay un árbol caído\n"))
    assert run(["nlu", "predict"], settings(model_dir)) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["text"] for line in lines] == ["¿cómo va mi caso k7m4qp?", "", "hay un árbol caído"]
    first = lines[0]
    assert first["intent"] == "case_status"
    assert set(first) >= {"text", "intent", "confidence", "ranking", "entities"}
    assert first["ranking"][0] == {"intent": "case_status", "confidence": first["confidence"]}
    assert first["entities"] == [{"entity": "case_code", "value": "K7M-4QP", "start": 17, "end": 23}]
    assert lines[2]["intent"] == "report_tree"


def test_predict_keeps_accents_readable(
    classifier: BuiltinClassifier,
    model_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("señal caída\n"))
    run(["nlu", "predict"], settings(model_dir))
    assert "señal caída" in capsys.readouterr().out


def test_evaluate_json(
    classifier: BuiltinClassifier, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ROOT / "nlu" / "eval" / "test_es.yml"
    assert run(["nlu", "evaluate", "--data", str(data), "--json"], settings(model_dir)) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"accuracy", "macro_f1", "per_intent", "confusions"} <= set(report)
    assert set(report["per_intent"]["greet"]) == {"precision", "recall", "f1", "support"}


def test_evaluate_text_report(
    classifier: BuiltinClassifier, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ROOT / "nlu" / "eval" / "test_en.yml"
    assert run(["nlu", "evaluate", "--data", str(data)], settings(model_dir)) == 0
    out = capsys.readouterr().out
    assert "accuracy" in out
    assert "report_pothole" in out


def test_evaluate_missing_file_fails_cleanly(
    classifier: BuiltinClassifier, model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["nlu", "evaluate", "--data", str(tmp_path / "nope.yml")], settings(model_dir)) == 1
    assert "nope.yml" in capsys.readouterr().err


def test_factory(classifier: BuiltinClassifier, model_dir: Path) -> None:
    built = build_classifier(settings(model_dir))
    assert isinstance(built, BuiltinClassifier)
    assert built.from_cache
    with pytest.raises(BackendUnavailable, match="unknown NLU backend 'spacy'"):
        build_classifier(settings(model_dir), "spacy")


def test_python_m_nlu_reads_the_real_settings(
    classifier: BuiltinClassifier,
    model_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`python -m nlu` loads config.yml (validated) as `ventanilla nlu` does; its options override it."""
    from nlu.__main__ import main
    from tests.bot.test_settings import shipped_with

    config = str(shipped_with(tmp_path, nlu={"model_dir": str(model_dir)}))
    assert main(["--config", config, "train"]) == 0
    out = capsys.readouterr().out
    assert "loaded from cache" in out and f"cached in {model_dir}" in out
    monkeypatch.chdir(model_dir.parent)  # --model-dir is relative to where the command runs
    assert main(["--config", config, "--model-dir", model_dir.name, "nlu", "train"]) == 0
    assert f"cached in {model_dir}" in capsys.readouterr().out
    assert main(["--config", config, "--phone-region", "COL", "train"]) == 2
    assert "city.phone_region" in capsys.readouterr().err
    typo = str(shipped_with(tmp_path, nlu={"backnd": "rasa"}))
    assert main(["--config", typo, "train"]) == 2
    assert "unknown key 'nlu.backnd'" in capsys.readouterr().err
