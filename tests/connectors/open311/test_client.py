"""A standard Open311 client from PyPI (georeport), unchanged, against a running `ventanilla serve`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from georeport import GeoReport  # type: ignore[import-untyped]

from bot.settings_loading import DEFAULT_CONFIG, load_settings
from tests.connectors.open311.conftest import open311_command
from tests.support.serving import VENTANILLA, env_with_config, serving

CODE = re.compile(r"\b[0-9A-Z]{3}-[0-9A-Z]{3}\b")


@dataclass(frozen=True)
class Running:
    url: str
    config: Path


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """`ventanilla db upgrade` and `ventanilla serve` as real processes, on a copy of config.yml."""
    folder = tmp_path_factory.mktemp("open311-serve")
    config = folder / "config.yml"
    shutil.copy(DEFAULT_CONFIG, config)
    env = env_with_config(config)
    subprocess.run([*VENTANILLA, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    with serving(env) as url:
        yield Running(url, config)


_tokens: dict[str, str] = {}


def chat(url: str, sender: str, text: str) -> str:
    """A client without cookies: it asks for a token once and sends it with every message as its chat's
    credential, as a widget on another page would."""
    if sender not in _tokens:
        issued = urllib.request.Request(f"{url}/webchat/token", data=b"", method="POST")
        with urllib.request.urlopen(issued, timeout=30) as response:
            _tokens[sender] = json.load(response)["token"]
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {_tokens[sender]}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return "\n".join(reply["text"] for reply in json.load(response))


def file_by_chat(url: str) -> str:
    """A citizen reports a pothole in the web chat, with the real classifier; the case code it is given."""
    for text in (
        "/report_pothole",
        "hay un hueco enorme y profundo frente al colegio",
        "calle 10 # 4-20",
        "/skip",
    ):
        chat(url, "web-georeport-5f3c9d27e1", text)
    found = CODE.search(chat(url, "web-georeport-5f3c9d27e1", "/affirm"))
    assert found, "the chat did not give a case code"
    return found.group()


def file_by_open311(url: str, key: str) -> str:
    fields = {
        "api_key": key,
        "service_code": "water",
        "attribute[water_running]": "yes",
        "lat": "4.6",
        "long": "-74.1",
    }
    request = urllib.request.Request(
        f"{url}/open311/v2/requests.json", data=urllib.parse.urlencode(fields).encode()
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.load(response)[0]["service_request_id"])


def test_georeport_lists_services_and_reads_requests(
    running: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(running.config, {})
    assert open311_command(settings, "add-key", "georeport") == 0
    key = capsys.readouterr().out.split()[-1]
    by_chat, by_app = file_by_chat(running.url), file_by_open311(running.url, key)

    client = GeoReport(f"{running.url}/open311/v2")  # the library as published, no adapter
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == list(settings.services)
    assert client.get_service_definition("water")["attributes"][0]["code"] == "water_running"
    listed = {r["service_request_id"]: r for r in client.get_service_requests()}
    assert set(listed) == {by_chat, by_app}
    assert listed[by_chat]["service_code"] == "pothole" and listed[by_chat]["status"] == "open"
    assert client.get_service_requests(service_request_id=by_app)[0]["service_code"] == "water"
    assert client.get_service_request(by_chat)["agency_responsible"] == "Obras Públicas"
    assert [r["service_request_id"] for r in client.get_service_requests(service_code="water")] == [by_app]

    as_xml = GeoReport(f"{running.url}/open311/v2", output_format="xml")
    assert [s["service_code"] for s in as_xml.get_service_list()] == list(settings.services)
    assert {r["service_request_id"] for r in as_xml.get_service_requests()} == {by_chat, by_app}
    assert as_xml.get_service_request(by_app)["status"] == "open"
