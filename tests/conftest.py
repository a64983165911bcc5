"""Shared fixtures: a migrated database on SQLite and on a real PostgreSQL server, settings, pipelines."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.knowledge import KnowledgeBase
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.settings_loading import load_settings
from nlu.base import Classifier
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from tests.support.apps import forget_finished_apps
from tests.support.conversation import Citizen
from tests.support.disk import share_file
from tests.support.postgres import PostgresServer, start_for_tests, unique_database_name
from tests.support.s3 import LocalS3
from tests.support.scripted import ScriptedClassifier, dialogue_rules

# Unique, so runs sharing one server (VENTANILLA_TEST_POSTGRES_URL) do not trip over each other.
TEMPLATE_DB = unique_database_name("ventanilla_template")
# python-telegram-bot 22 warns on every flood-control answer unless told to use timedelta already.
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture(autouse=True)
def finished_apps_forgotten() -> Iterator[None]:
    """Each test's aiohttp apps are freed when it ends (tests/support/apps.py says why)."""
    yield
    forget_finished_apps()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    """One throw-away PostgreSQL cluster for the run, with a migrated template database."""
    server = start_for_tests()
    if server is None:
        yield None
        return
    with server:
        server.create_database(TEMPLATE_DB)
        try:
            upgrade(server.url(TEMPLATE_DB))
            yield server
        finally:
            server.drop_database(TEMPLATE_DB)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_server: PostgresServer | None,
) -> AsyncIterator[str]:
    """A fresh, migrated database for each test, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "ventanilla.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if postgres_server is None:
        pytest.skip("PostgreSQL is not installed here (CI installs it)")
    name = unique_database_name()
    await postgres_server.acreate_database(name, template=TEMPLATE_DB)
    yield postgres_server.url(name)
    await postgres_server.adrop_database(name)


@pytest.fixture(scope="session")
def local_s3() -> Iterator[LocalS3]:
    """One local S3-compatible server for the run; each test that uses it gets a bucket of its own."""
    with LocalS3() as server:
        yield server


@pytest.fixture
def media_backend() -> str:
    """The media store's back-end; `@both_backends` (tests/support/media.py) runs a test with each."""
    return "folder"


@pytest.fixture
def settings(
    database_url: str,
    tmp_path: Path,
    media_backend: str,
    request: pytest.FixtureRequest,
    knowledge_base: KnowledgeBase,
) -> Settings:
    # An app built from these settings loads the example knowledge base's index from its model folder:
    # the one trained for the run, so that no test pays the seconds of training it again.
    for trained in knowledge_base.model_dir.glob("knowledge-*.joblib"):
        share_file(trained, tmp_path / trained.name)
    overrides = {
        "database.url": database_url,
        "media.dir": str(tmp_path / "media"),
        "nlu.model_dir": str(tmp_path),
        # Off unless a test is about voice notes (tests/voice/): Whisper is 430 MB and seconds of CPU.
        "voice.enabled": "false",
    }
    if media_backend == "s3":
        s3: LocalS3 = request.getfixturevalue("local_s3")
        overrides |= s3.settings_overrides(s3.new_bucket())
    return load_settings(None, None, **overrides)


@pytest.fixture
async def sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings.database.url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def scripted() -> ScriptedClassifier:
    """Rules for the dialogue tests; a test may add its own with `scripted.says(pattern, intent)`."""
    return dialogue_rules()


@pytest.fixture
def make_pipeline(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Callable[..., Pipeline]:
    """`make_pipeline(classifier)`, or `make_pipeline(classifier, knowledge)` to answer common questions."""

    def make(classifier: Classifier, knowledge: KnowledgeBase | None = None) -> Pipeline:
        return Pipeline(settings, sessions, classifier, knowledge=knowledge)

    return make


@pytest.fixture
def citizen(
    make_pipeline: Callable[[Classifier], Pipeline], scripted: ScriptedClassifier
) -> Callable[..., Citizen]:
    """Make a citizen talking to a pipeline with the scripted classifier: `citizen("web-ana-5f3c9d27e1")`."""
    pipeline = make_pipeline(scripted)
    return lambda address="web-ana-5f3c9d27e1", channel="rest": Citizen(pipeline, address, channel)


@pytest.fixture(scope="session")
def builtin_classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    """The real built-in classifier, trained once per run from nlu/data into a temporary cache."""
    from nlu.builtin import BuiltinClassifier, nlu_data_dir

    return BuiltinClassifier.load_or_train(nlu_data_dir(), tmp_path_factory.mktemp("nlu-model"))


@pytest.fixture(scope="session")
def knowledge_base(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The example knowledge base that ships (knowledge/), its index trained once per run."""
    model_dir = tmp_path_factory.mktemp("knowledge-model")
    return KnowledgeBase.load(load_settings(None, None, **{"nlu.model_dir": str(model_dir)}))
