"""A real Rasa server for the integration tests: its virtualenv, a model of a slice of our data, a server.

The virtualenv (≈2 min and 2.7 GB the first time) and the slice model (≈40 s) are cached outside the
clone, keyed by their inputs, so later runs on the same machine start the server straight away. Outside
CI a machine that cannot build the virtualenv skips these tests, saying why; in CI (CI=true) that fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.settings_loading import load_settings
from nlu.builtin import nlu_data_dir
from nlu.rasa.project import RasaPipeline
from nlu.rasa.server import RasaServer
from nlu.rasa.train import RasaModel, train_on
from nlu.rasa.venv import RasaSetupError, RasaVenv, cache_dir, ensure_venv, locked
from nlu.training_data import load_examples

# Enough for a complaint, its confirmation and a status question, in both languages; few epochs.
SLICE_INTENTS = frozenset(
    {
        "greet",
        "affirm",
        "deny",
        "thanks",
        "case_status",
        "report_pothole",
        "report_streetlight",
        "out_of_scope",
    }
)
SLICE_PIPELINE = RasaPipeline(epochs=10)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "rasa: runs against a real Rasa server (builds its virtualenv once)")


@pytest.fixture(scope="session")
def rasa_venv() -> RasaVenv:
    try:
        return ensure_venv(lambda line: print(line, flush=True))
    except RasaSetupError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Rasa's virtualenv cannot be built on this machine: {exc}")


@pytest.fixture(scope="session")
def slice_model(rasa_venv: RasaVenv) -> RasaModel:
    """Rasa trained on our own Spanish and English examples of a few intents (cached by its inputs)."""
    data = nlu_data_dir()
    examples = [e for e in load_examples(data / "es", data / "en") if e.intent in SLICE_INTENTS]
    work_dir = cache_dir() / "rasa-test-slice"
    with locked(work_dir.with_name(work_dir.name + ".lock")):  # two test runs on one machine
        return train_on(rasa_venv, examples, work_dir, pipeline=SLICE_PIPELINE, quiet=True, prune=True)


@pytest.fixture(scope="module")
def rasa_process(
    rasa_venv: RasaVenv, slice_model: RasaModel, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RasaServer]:
    """`rasa run --enable-api` with the slice model on a free loopback port, shared by a module's tests."""
    log = tmp_path_factory.mktemp("rasa") / "server.log"
    with RasaServer(rasa_venv, slice_model.path, log=log) as server:
        yield server


@pytest.fixture
def rasa_server(rasa_process: RasaServer) -> RasaServer:
    """The module's server, started again when an earlier test left it killed."""
    return rasa_process.start()


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only: these tests are about the NLU backend, and a Rasa server costs seconds to start."""
    path = tmp_path / "ventanilla.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
def builtin_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rasa-builtin-model")


@pytest.fixture
def settings(database_url: str, tmp_path: Path, rasa_server: RasaServer, builtin_model_dir: Path) -> Settings:
    """config.yml with `nlu.backend: rasa` pointing at the test's server."""
    overrides = {
        "database.url": database_url,
        "media.dir": str(tmp_path / "media"),
        "nlu.model_dir": str(builtin_model_dir),
        "nlu.backend": "rasa",
        "nlu.rasa_url": rasa_server.url,
    }
    return load_settings(None, {}, **overrides)
