"""Schemathesis throws valid and malformed requests at every operation of the served OpenAPI: never a 500."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode, checks

from bot.app import create_app
from bot.settings import Settings
from storage.engine import create_engine, session_factory
from tests.connectors.open311.conftest import make_key
from tests.support.scripted import ScriptedClassifier

EXAMPLES = 60  # per operation and mode; 6 operations x 2 modes x 2 databases
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


class LiveServer:
    """The whole app on a real port, in a thread with its own event loop (schemathesis calls are blocking)."""

    def __init__(self, app: web.Application) -> None:
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app, access_log=None)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._run, name="open311-live", daemon=True)
        self.ready = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.SockSite(self.runner, self.sock).start())
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.runner.cleanup())
        self.loop.close()

    def __enter__(self) -> LiveServer:
        self.thread.start()
        assert self.ready.wait(30), "the app did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)
        self.sock.close()


async def key_for(settings: Settings) -> str:
    # Its own engine, in the loop that uses it: a pooled asyncpg connection cannot change loops.
    engine = create_engine(settings.database.url)
    try:
        return await make_key(session_factory(engine))
    finally:
        await engine.dispose()


@pytest.fixture
def live(settings: Settings) -> Iterator[tuple[str, str]]:
    key = asyncio.run(key_for(settings))
    with LiveServer(create_app(settings, classifier=ScriptedClassifier())) as server:
        yield server.url, key


def served_schema(url: str, key: str) -> Any:
    with urllib.request.urlopen(f"{url}/open311/v2/openapi.json", timeout=10) as response:
        document = json.load(response)
    # Let valid POSTs past the key check, so that validation and filing are fuzzed too, not only the 403.
    form = document["paths"]["/requests.{format}"]["post"]["requestBody"]["content"]
    form["application/x-www-form-urlencoded"]["schema"]["properties"]["api_key"] = {
        "type": "string",
        "enum": [key],
    }
    return schemathesis.openapi.from_dict(document)


def fuzz(
    operation: schemathesis.APIOperation[Any, Any, Any, Any], mode: GenerationMode, base_url: str
) -> set[int]:
    """Run one operation's generated cases against the server; the statuses it answered."""
    seen: set[int] = set()

    @hypothesis_settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def exercise(case: schemathesis.Case[Any]) -> None:
        response = case.call(base_url=base_url, timeout=30)
        seen.add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    exercise()
    return seen


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_input_gets_a_server_error(live: tuple[str, str], mode: GenerationMode) -> None:
    url, key = live
    operations = [result.ok() for result in served_schema(url, key).get_all_operations()]
    assert len(operations) == 6
    statuses = {operation.label: fuzz(operation, mode, f"{url}/open311/v2") for operation in operations}
    assert all(s < 500 for found in statuses.values() for s in found), statuses
    if mode is GenerationMode.POSITIVE:
        # Valid input is answered 200 often enough: filing and reading really ran, not only refusals.
        assert 200 in statuses["POST /requests.{format}"] and 200 in statuses["GET /requests.{format}"]
    else:
        assert all(found & {400, 403, 404} for found in statuses.values()), statuses
