"""/datos/ serves only its own files: the expected names in real day folders, with the right types and
ETags; traversal (plain, encoded, absolute), links planted in the folder, unknown names and other methods
get nothing."""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from yarl import URL

from bot.app import create_app
from bot.opendata import root
from bot.settings import Settings
from tests.support.opendata_town import Client, Sessions, export, seed, settings_for
from tests.support.scripted import ScriptedClassifier

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
SECRET = "contraseña-del-servidor-9f8e7d"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path)


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
    sessions: Sessions,
    tmp_path: Path,
) -> Client:
    await seed(sessions, settings, NOW - timedelta(days=1))
    await export(sessions, settings, NOW)
    (tmp_path / "secreto.txt").write_text(SECRET)  # beside the data folder, as config.yml or .env would be
    return await aiohttp_client(create_app(settings, classifier=scripted))


async def status_of(client: Client, path: str, method: str = "GET") -> tuple[int, str]:
    response = await client.request(method, URL(path, encoded=True))
    return response.status, await response.text()


async def test_files_come_with_their_types_etags_and_no_script(client: Client) -> None:
    types = {
        "casos.csv": "text/csv; charset=utf-8",
        "casos.json": "application/json; charset=utf-8",
        "casos.geojson": "application/geo+json; charset=utf-8",
        "casos_por_servicio_mes_zona.csv": "text/csv; charset=utf-8",
        "diccionario.json": "application/json; charset=utf-8",
        "metadata.json": "application/json; charset=utf-8",
    }
    for name, kind in types.items():
        response = await client.get(f"/datos/2026-12-06/{name}")
        assert response.status == 200 and response.headers["Content-Type"] == kind, name
        assert "sandbox" in response.headers["Content-Security-Policy"]
        again = await client.get(f"/datos/latest/{name}", headers={"If-None-Match": response.headers["ETag"]})
        assert again.status == 304 and await again.read() == b""
    catalog = await client.get("/datos/catalog.jsonld")
    assert catalog.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    again = await client.get("/datos/catalog.jsonld", headers={"If-None-Match": catalog.headers["ETag"]})
    assert again.status == 304
    page = await client.get("/datos/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src" not in csp and csp.startswith("default-src 'none'") and "unsafe-inline" not in csp
    assert "<script" not in await page.text()


async def test_head_answers_without_a_body_and_other_methods_are_refused(client: Client) -> None:
    head = await client.head("/datos/latest/casos.csv")
    assert head.status == 200 and await head.read() == b""
    assert head.headers["Content-Type"] == "text/csv; charset=utf-8"
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/datos/", "/datos/latest/casos.csv", "/datos/catalog.jsonld", "/datos/data.json"):
            assert (await status_of(client, path, method))[0] == 405, (method, path)


@pytest.mark.parametrize(
    "path",
    [
        "/datos/../secreto.txt",
        "/datos/%2e%2e/secreto.txt",
        "/datos/%2E%2E/%2E%2E/config.yml",
        "/datos/2026-12-06/..%2f..%2fsecreto.txt",
        "/datos/2026-12-06/%2e%2e%2f%2e%2e%2fsecreto.txt",
        "/datos/latest/..%2f..%2fsecreto.txt",
        "/datos/..%2fsecreto.txt/casos.csv",
        "/datos//etc/passwd",
        "/datos/%2fetc%2fpasswd/casos.csv",
        "/datos/2026-12-06/%2fetc%2fpasswd",
        "/datos/2026-12-06/casos.csv%00.txt",
        "/datos/2026-12-06/secreto.txt",
        "/datos/2026-12-06/.writing-abc",
        "/datos/2026-12-06/CASOS.CSV",
        "/datos/2026-12-07/casos.csv",
        "/datos/2026-13-99/casos.csv",
        "/datos/ayer/casos.csv",
        "/datos/2026-12-06/",
        "/datos/2026-12-06",
    ],
)
async def test_traversal_and_unknown_names_get_nothing(client: Client, path: str) -> None:
    status, text = await status_of(client, path)
    assert status == 404 and SECRET not in text and "root:" not in text, path


async def test_links_and_strays_planted_in_the_folder_are_not_followed(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    data = root(settings)
    os.symlink(tmp_path, data / "2026-12-07")  # a day that is a link to elsewhere
    (tmp_path / "casos.csv").write_text(SECRET)
    day = data / "2026-12-06"
    (day / "casos.geojson").unlink()
    os.symlink(tmp_path / "secreto.txt", day / "casos.geojson")  # a file that is a link
    (day / "notas.txt").write_text(SECRET)
    for path in ("/datos/2026-12-07/casos.csv", "/datos/2026-12-06/casos.geojson", "/datos/latest/casos.csv"):
        status, text = await status_of(client, path)
        assert SECRET not in text, path
        assert status == (200 if path.endswith("latest/casos.csv") else 404), path
    index = await (await client.get("/datos/")).text()
    assert "2026-12-07" not in index and "notas.txt" not in index and "casos.geojson" not in index


async def test_the_index_lists_days_files_sizes_and_the_licence_in_both_languages(client: Client) -> None:
    es = await (await client.get("/datos/")).text()
    assert 'href="2026-12-06/casos.csv"' in es and 'href="latest/casos.geojson"' in es
    assert "Creative Commons Attribution 4.0" in es and "Datos abiertos" in es
    assert re.search(r"<span>\d+(,\d)? (B|KB|MB)</span>", es)
    en = await (await client.get("/datos/", headers={"Accept-Language": "en-GB,en;q=0.8"})).text()
    assert "Open data" in en and "Licence:" in en
    moved = await client.get("/datos", allow_redirects=False)
    assert moved.status in (301, 308) and moved.headers["Location"] == "/datos/"


async def test_the_catalogues_describe_each_file_by_a_download_address_that_answers(client: Client) -> None:
    catalog = await (await client.get("/datos/catalog.jsonld")).json(content_type=None)
    assert catalog["@type"] == "dcat:Catalog" and catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    base = "https://ventanilla.ciudad.example/datos/"
    urls = []
    for dataset in catalog["dcat:dataset"]:
        assert dataset["@type"] == "dcat:Dataset" and dataset["dct:title"] and dataset["dct:description"]
        assert dataset["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
        assert dataset["dct:modified"]["@value"] == "2026-12-06T15:00:00+00:00"
        assert dataset["dct:publisher"]["foaf:name"][0]["@value"]
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution" and distribution["dcat:mediaType"]
            urls.append((distribution["dcat:downloadURL"]["@id"], distribution["dcat:mediaType"]))
    pod = await (await client.get("/datos/data.json")).json()
    assert pod["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    required = {"title", "description", "keyword", "modified", "publisher", "contactPoint", "identifier"}
    for dataset in pod["dataset"]:
        assert required | {"accessLevel", "license", "distribution"} <= set(dataset)
        assert dataset["accessLevel"] == "public"
        urls += [(d["downloadURL"], d["mediaType"]) for d in dataset["distribution"]]
    assert len(urls) == 12  # six files, each in both catalogues
    for url, kind in urls:
        assert url.startswith(base + "latest/")
        response = await client.get("/datos/" + url.removeprefix(base))
        assert response.status == 200 and response.headers["Content-Type"].startswith(kind), url


async def test_before_the_first_export_the_page_says_so_and_nothing_else_breaks(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
) -> None:
    client = await aiohttp_client(create_app(settings, classifier=scripted))
    assert "Todavía no hay archivos publicados." in await (await client.get("/datos/")).text()
    assert (await client.get("/datos/latest/casos.csv")).status == 404
    catalog = await (await client.get("/datos/catalog.jsonld")).json(content_type=None)
    assert [d["dcat:distribution"] for d in catalog["dcat:dataset"]] == [[], []]
    assert all(
        d["distribution"] == [] for d in (await (await client.get("/datos/data.json")).json())["dataset"]
    )
