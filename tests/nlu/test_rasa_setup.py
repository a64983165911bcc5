"""The Rasa project writer and the virtualenv builder, without installing Rasa."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from nlu.base import Entity
from nlu.rasa import venv as rasa_venv
from nlu.rasa.project import CASE_CODE_REGEX, RasaPipeline, annotate, nlu_yaml, write_project
from nlu.training_data import Example, load_file, strip_annotations


def test_annotations_round_trip_through_our_reader() -> None:
    text = "mi código es h3d8wn, vivo en la calle 45 [casa]"
    example = Example(
        text,
        "case_status",
        (
            Entity("case_code", "H3D-8WN", 13, 19),
            Entity("address", "calle 45", 32, 40),
            Entity("address", "casa", 42, 46),  # inside brackets: left as plain text
        ),
    )
    line = annotate(example)
    code = '[h3d8wn]{"entity": "case_code", "value": "H3D-8WN"}'
    assert line == f"mi código es {code}, vivo en la [calle 45](address) [casa]"
    plain, entities = strip_annotations(line)
    assert plain == text
    assert [(e.entity, e.value) for e in entities] == [("case_code", "H3D-8WN"), ("address", "calle 45")]


def test_project_files(tmp_path: Path) -> None:
    examples = [
        Example("hola", "greet"),
        Example("hola", "greet"),  # duplicates are written once
        Example("¿cómo va K7M-4QP?", "case_status", (Entity("case_code", "K7M-4QP", 10, 17),)),
    ]
    project = write_project(tmp_path / "p", examples, RasaPipeline(epochs=7))
    config = yaml.safe_load((project.path / "config.yml").read_text())
    names = [c["name"] for c in config["pipeline"]]
    assert names == [
        "WhitespaceTokenizer",
        "RegexFeaturizer",
        "LexicalSyntacticFeaturizer",
        "CountVectorsFeaturizer",
        "CountVectorsFeaturizer",
        "DIETClassifier",
        "EntitySynonymMapper",
        "RegexEntityExtractor",
    ]
    assert "FallbackClassifier" not in names
    assert config["pipeline"][4] == {
        "name": "CountVectorsFeaturizer",
        "analyzer": "char_wb",
        "min_ngram": 1,
        "max_ngram": 4,
    }
    assert config["pipeline"][5]["epochs"] == 7
    written = load_file(project.path / "data" / "nlu.yml")
    assert [(e.text, e.intent) for e in written] == [("hola", "greet"), ("¿cómo va K7M-4QP?", "case_status")]
    assert written[1].entities[0].entity == "case_code"
    data = yaml.safe_load((project.path / "data" / "nlu.yml").read_text())
    assert data["nlu"][-1]["regex"] == "case_code"
    domain = yaml.safe_load((project.path / "domain.yml").read_text())
    assert domain["intents"] == ["case_status", "greet"] and "case_code" in domain["entities"]
    # The key follows everything that decides the model.
    assert write_project(tmp_path / "q", examples, RasaPipeline(epochs=7)).key == project.key
    assert write_project(tmp_path / "r", examples, RasaPipeline(epochs=8)).key != project.key
    assert write_project(tmp_path / "s", examples[:1], RasaPipeline(epochs=7)).key != project.key


@pytest.mark.parametrize(("text", "found"), [("caso k7m-4qp", True), ("K7M4QP", True), ("calle 45", False)])
def test_case_code_regex(text: str, found: bool) -> None:
    assert bool(re.search(CASE_CODE_REGEX, text, re.IGNORECASE)) is found


def test_whole_data_converts(tmp_path: Path) -> None:
    from nlu.builtin import nlu_data_dir
    from nlu.training_data import load_examples

    examples = load_examples(nlu_data_dir())
    text = nlu_yaml(examples)
    (tmp_path / "nlu.yml").write_text(text, encoding="utf-8")
    again = load_file(tmp_path / "nlu.yml")
    assert {(e.text, e.intent) for e in again} == {(e.text, e.intent) for e in examples}


@pytest.fixture
def no_python(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv(rasa_venv.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(rasa_venv.PYTHON_ENV, str(tmp_path / "missing-python3.10"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    yield


def test_missing_python_is_named(no_python: None) -> None:
    with pytest.raises(rasa_venv.RasaSetupError) as caught:
        rasa_venv.find_python()
    message = str(caught.value)
    assert "needs Python 3.10" in message
    for tried in ("$VENTANILLA_RASA_PYTHON", "python3.10 on PATH: not found", "pyenv", "py -3.10"):
        assert tried in message
    assert "pyenv install 3.10.13" in message


def fake_interpreter(path: Path, version: str) -> Path:
    """A shell script that answers the version probe like a Python would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_wrong_python_version_is_said(
    no_python: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(rasa_venv.PYTHON_ENV, str(fake_interpreter(tmp_path / "py311", "3.11")))
    with pytest.raises(rasa_venv.RasaSetupError, match=r"py311\): Python 3.11"):
        rasa_venv.find_python()
    pyenv = fake_interpreter(tmp_path / "no-pyenv" / "versions" / "3.10.13" / "bin" / "python3.10", "3.10")
    assert rasa_venv.find_python() == [str(pyenv)]


def test_cached_venv_is_keyed_by_requirements_and_reused(no_python: None, tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("rasa==3.6.21\n")
    path = rasa_venv.venv_path(requirements)
    assert path.parent == tmp_path / "cache" and path.name.startswith("rasa-venv-")
    requirements.write_text("rasa==3.6.20\n")
    assert rasa_venv.venv_path(requirements) != path
    # A complete folder whose interpreter runs is reused without looking for Python 3.10 at all.
    fake_interpreter(rasa_venv.venv_path(requirements) / "bin" / "python", "ok")
    assert rasa_venv.existing_venv(requirements) is None  # not marked complete: a build that died
    (rasa_venv.venv_path(requirements) / rasa_venv.COMPLETE).write_text("")
    messages: list[str] = []
    venv = rasa_venv.ensure_venv(messages.append, requirements)
    assert venv.path == rasa_venv.venv_path(requirements)
    assert venv.rasa_command("run")[1:] == ["-m", "rasa", "run"]
    assert "using the virtualenv" in messages[0]


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(rasa_venv.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert rasa_venv.cache_dir() == tmp_path / "ventanilla"
    assert os.path.isabs(rasa_venv.cache_dir())


@pytest.fixture
def failing_venv(tmp_path: Path) -> rasa_venv.RasaVenv:
    """A virtualenv whose python prints a complaint and exits 1, whatever it is asked."""
    path = tmp_path / "venv"
    fake_interpreter(path / "bin" / "python", "'No module named rasa'; exit 1")
    return rasa_venv.RasaVenv(path)


def test_failed_training_shows_the_end_of_its_log(failing_venv: rasa_venv.RasaVenv, tmp_path: Path) -> None:
    from nlu.rasa.train import RasaTrainingError, train_on

    with pytest.raises(RasaTrainingError, match=r"exit code 1(.|\n)*No module named rasa"):
        train_on(failing_venv, [Example("hola", "greet")], tmp_path / "work", quiet=True)


def test_server_that_exits_is_reported(failing_venv: rasa_venv.RasaVenv, tmp_path: Path) -> None:
    from nlu.rasa.server import RasaServer, RasaServerError

    server = RasaServer(failing_venv, tmp_path / "model.tar.gz", log=tmp_path / "logs" / "serve.log")
    assert server.url.startswith("http://127.0.0.1:")
    with pytest.raises(RasaServerError, match=r"exited \(1\)(.|\n)*No module named rasa"):
        server.start(timeout=30)
    server.stop()  # nothing left to stop: fine
    assert not server.running


FAKE_PYTHON_310 = """#!/bin/sh
# Plays the part of python3.10 in a build: creates "virtualenvs", "installs" with pip's output.
case "$1 $2" in
  "-m venv") /bin/mkdir -p "$3/bin" && /bin/cp "$0" "$3/bin/python" ;;
  "-m pip") for n in 1 2 3 4; do echo "Collecting package$n"; done; echo "Installing collected packages" ;;
  *) echo 3.10 ;;
esac
"""


def test_a_first_build_closes_what_it_opens(
    no_python: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh machine builds the virtualenv inside the test run, where warnings are errors: every pipe
    to pip must be closed (an unclosed one was a ResourceWarning that failed the first `make test`)."""
    python = tmp_path / "python3.10"
    python.write_text(FAKE_PYTHON_310)
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(rasa_venv.PYTHON_ENV, str(python))
    monkeypatch.setattr(rasa_venv, "PROGRESS_EVERY", 2)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("rasa==3.6.21\nfour==1\n")
    messages: list[str] = []
    venv = rasa_venv.ensure_venv(messages.append, requirements)
    assert (venv.path / rasa_venv.COMPLETE).exists()
    assert "rasa: pip collected 2/2 packages" in messages
    assert "rasa: pip is installing the packages" in messages
    log = venv.path.with_name(venv.path.name + ".log").read_text()
    assert "Collecting package4" in log
