"""Shared fixtures for the NLU tests: one classifier trained on the shipped data per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from nlu.builtin import BuiltinClassifier, nlu_data_dir
from tests.nlu.fake_rasa import FakeRasa, ServerFactory


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nlu-model")


@pytest.fixture(scope="session")
def classifier(model_dir: Path) -> BuiltinClassifier:
    """The built-in classifier on nlu/data, cached in a temporary folder (never var/)."""
    return BuiltinClassifier.load_or_train(nlu_data_dir(), model_dir, phone_region="CO")


@pytest.fixture
def fake() -> FakeRasa:
    """A stand-in Rasa server's behaviour, which a test sets (slow, down, garbage…)."""
    return FakeRasa()


@pytest.fixture
async def server(aiohttp_server: ServerFactory, fake: FakeRasa) -> TestServer:
    """The fake Rasa listening on 127.0.0.1."""
    return await aiohttp_server(fake.app())


TINY_DATA = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hola
    - buenos días
    - hello
    - hi there
- intent: report_pothole
  examples: |
    - hay un hueco en la [calle 45](address)
    - bache enorme en la vía
    - pothole on [Main St](address)
    - there is a big hole in the road
- intent: out_of_scope
  examples: |
    - pon una alarma
    - what is the weather
"""


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """A three-intent training folder that trains in a fraction of a second."""
    data = tmp_path / "data"
    (data / "es").mkdir(parents=True)
    (data / "es" / "nlu.yml").write_text(TINY_DATA, encoding="utf-8")
    return data
