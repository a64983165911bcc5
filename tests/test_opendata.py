"""/datos/ publishes nothing personal: a town of citizens with known names, phones, e-mails, addresses,
chat messages and unconsented words is exported, and every file, the index and both catalogues are read
and searched for each of those strings. The three case files hold the same rows; points are Open311's,
stable and near the truth; sensitive services have none; the aggregate hides small cells."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import create_app
from bot.settings import Settings
from tests.support.opendata_town import (
    PEOPLE,
    Client,
    Sessions,
    export,
    private_strings,
    seed,
    settings_for,
)
from tests.support.scripted import ScriptedClassifier

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)  # 10:00 in Bogotá
FILED = NOW - timedelta(days=3)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path)


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=scripted))


async def body(client: Client, path: str) -> str:
    response = await client.get(path)
    assert response.status == 200, path
    return await response.text()


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


async def everything(client: Client) -> dict[str, str]:
    """Every page and file /datos/ offers, found by following the index's own links."""
    index = await body(client, "/datos/")
    found = {"/datos/": index, "/datos/?lang=en": await body(client, "/datos/?lang=en")}
    for link in re.findall(r'href="([^"?#]+)"', index):
        if not link.startswith(("http", "/")):
            found["/datos/" + link] = await body(client, "/datos/" + link)
    return found


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_nothing_a_citizen_told_or_is_appears_anywhere_under_datos(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    await seed(sessions, settings, FILED)
    await export(sessions, settings, NOW)
    published = await everything(client)
    assert {"/datos/latest/casos.csv", "/datos/2026-12-06/casos.geojson", "/datos/catalog.jsonld"} <= set(
        published
    )
    assert len([p for p in published if p.startswith("/datos/2026-12-06/")]) == 7
    for path, text in published.items():
        for private in private_strings():
            assert private.lower() not in text.lower(), (path, private)
        for p in PEOPLE:  # not the exact place either: only the snapped cell
            assert f"{p.pin[0]}" not in text and f"{p.pin[1]}" not in text, path


async def test_the_case_files_hold_the_same_rows_in_the_same_order(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    cases = await seed(sessions, settings, FILED)
    await export(sessions, settings, NOW)
    as_csv = csv_rows(await body(client, "/datos/latest/casos.csv"))
    as_json = json.loads(await body(client, "/datos/latest/casos.json"))
    geo = json.loads(await body(client, "/datos/latest/casos.geojson"))
    assert geo["type"] == "FeatureCollection"
    as_geojson = [f["properties"] for f in geo["features"]]
    assert as_json == as_geojson
    assert [r["service_request_id"] for r in as_csv] == [c.code for c in cases.values()]

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    for from_csv, from_json in zip(as_csv, as_json, strict=True):
        shown = {k: text(v) for k, v in from_json.items()}
        if shown["description"].startswith("="):
            shown["description"] = "'" + shown["description"]  # written so a spreadsheet won't run it
        assert from_csv == shown
    for feature in geo["features"]:
        point = feature["properties"]["lat"], feature["properties"]["long"]
        geometry = None if point[0] is None else {"type": "Point", "coordinates": [point[1], point[0]]}
        assert (
            feature["geometry"] == geometry and feature["id"] == feature["properties"]["service_request_id"]
        )


async def test_points_are_open311s_stable_near_the_truth_and_absent_for_sensitive_services(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    cases = await seed(sessions, settings, FILED)
    await export(sessions, settings, NOW - timedelta(days=1))
    await export(sessions, settings, NOW)
    first = json.loads(await body(client, "/datos/2026-12-05/casos.json"))
    second = json.loads(await body(client, "/datos/2026-12-06/casos.json"))
    open311 = json.loads(await body(client, "/open311/v2/requests.json?start_date=2026-12-01T00:00:00Z"))
    where = {r["service_request_id"]: (r["lat"], r["long"]) for r in open311}
    for p in PEOPLE:
        code = cases[p.name].code
        [a] = [r for r in first if r["service_request_id"] == code]
        [b] = [r for r in second if r["service_request_id"] == code]
        assert (a["lat"], a["long"]) == (b["lat"], b["long"]) == where[code]
        if p.service == "noise":  # sensitive: its area only
            assert (b["lat"], b["long"], b["area"]) == (None, None, "Centro")
        else:
            assert 1 < metres((b["lat"], b["long"]), p.pin) <= 150


async def test_consented_descriptions_are_masked_and_others_are_never_published(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    cases = await seed(sessions, settings, FILED)
    await export(sessions, settings, NOW)
    rows = {r["service_request_id"]: r for r in json.loads(await body(client, "/datos/latest/casos.json"))}
    ana = rows[cases["Ana Gómez Restrepo"].code]["description"]
    assert ana.startswith("Soy […], hay un hueco enorme") and "555" not in ana and "Ana" not in ana
    for p in PEOPLE:
        if not p.consent or p.service == "noise":
            assert rows[cases[p.name].code]["description"] is None, p.name
    as_csv = {r["service_request_id"]: r for r in csv_rows(await body(client, "/datos/latest/casos.csv"))}
    formula = as_csv[cases["Diego Fernández Soto"].code]["description"]
    assert formula == "'=1+1 basura acumulada en la plaza hace días"


async def test_the_aggregate_hides_cells_under_five(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    await seed(sessions, settings, FILED)
    await export(sessions, settings, NOW)
    rows = csv_rows(await body(client, "/datos/latest/casos_por_servicio_mes_zona.csv"))
    cells = {(r["service_code"], r["month"], r["area"]): r["cases"] for r in rows}
    assert cells[("pothole", "2026-12", "Centro")] == "6"
    assert cells[("streetlight", "2026-12", "Centro")] == "<5"
    assert cells[("garbage", "2026-12", "Norte")] == "<5"
    assert "1" not in cells.values() and "2" not in cells.values()


async def test_the_dictionary_and_metadata_describe_every_column_and_file(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    await seed(sessions, settings, FILED)
    await export(sessions, settings, NOW)
    columns = list(csv_rows(await body(client, "/datos/latest/casos.csv"))[0])
    dictionary = json.loads(await body(client, "/datos/latest/diccionario.json"))
    assert [d["column"] for d in dictionary] == columns
    assert all(d["description_es"] and d["description_en"] and d["type"] and d["source"] for d in dictionary)
    assert [r["column"] for r in csv_rows(await body(client, "/datos/latest/diccionario.csv"))] == columns
    meta = json.loads(await body(client, "/datos/latest/metadata.json"))
    assert (meta["day"], meta["cases"], meta["licence"]["id"]) == ("2026-12-06", len(PEOPLE), "CC-BY-4.0")
    assert meta["generated_at"] == "2026-12-06T15:00:00+00:00"
