"""`/datos/`: the daily open data files, an index page, and the catalogue portals harvest.

Only names of the expected shape are served (a day YYYY-MM-DD or `latest`, and one of the day's known
file names), from real files under `opendata.dir`: no `..`, no absolute path, no link to elsewhere."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import web

from bot import opendata, opendata_catalog
from bot import opendata_files as files
from bot.appkeys import SETTINGS
from bot.settings import Settings
from connectors.public import opendata_page
from connectors.rest.policy import page_language

CONTENT_TYPES = {
    "text/csv": "text/csv; charset=utf-8",
    "application/json": "application/json; charset=utf-8",
    "application/geo+json": "application/geo+json; charset=utf-8",
}
# Data, never a page: even a file somebody slipped into the folder runs nothing when opened.
FILE_CSP = "default-src 'none'; sandbox"
FILE_HEADERS = {
    "Cache-Control": "no-cache",
    "Access-Control-Allow-Origin": "*",
    "Content-Security-Policy": FILE_CSP,
}


def _file(root: Path, day: str, name: str) -> Path | None:
    """The file asked for, if it is one of ours: a known name in a real day folder right under `root`."""
    if name not in files.MEDIA_TYPES:
        return None
    if day == "latest":
        newest = opendata.days(root)
        day = newest[0] if newest else ""
    if not opendata.DAY.match(day):
        return None
    folder, path = root / day, root / day / name
    if folder.is_symlink() or path.is_symlink() or not path.is_file():
        return None
    if path.resolve().parent != root.resolve() / day:
        return None
    return path


def _not_modified(request: web.Request, etag: str, headers: dict[str, str]) -> web.Response | None:
    asked = request.headers.get("If-None-Match", "")
    if etag in [tag.strip() for tag in asked.split(",")] or asked.strip() == "*":
        return web.Response(status=304, headers=headers)
    return None


async def data_file(request: web.Request) -> web.StreamResponse:
    root = opendata.root(request.app[SETTINGS])
    name = request.match_info["name"]
    path = _file(root, request.match_info["day"], name)
    if path is None:
        raise web.HTTPNotFound(text="not found")
    stat = path.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    headers = FILE_HEADERS | {"ETag": etag}
    unchanged = _not_modified(request, etag, headers)
    if unchanged is not None:
        return unchanged
    body = await asyncio.to_thread(path.read_bytes)  # replaced whole by the export, never half-written
    content_type = CONTENT_TYPES[files.MEDIA_TYPES[name]]
    return web.Response(body=body, headers=headers | {"Content-Type": content_type})


def _newest(settings: Settings) -> tuple[str | None, dict[str, int]]:
    """When the newest day was written (its metadata), and its files' sizes."""
    root = opendata.root(settings)
    newest = opendata.days(root)
    if not newest:
        return None, {}
    folder = root / newest[0]
    sizes = {n: (folder / n).stat().st_size for n in files.MEDIA_TYPES if (folder / n).is_file()}
    try:
        written = json.loads((folder / files.METADATA_JSON).read_text(encoding="utf-8")).get("generated_at")
    except (OSError, ValueError, AttributeError):
        written = None
    return (written if isinstance(written, str) else None), sizes


def _json(request: web.Request, document: object, content_type: str) -> web.Response:
    body = files.to_json(document)
    etag = '"' + opendata_catalog.digest(body) + '"'
    headers = FILE_HEADERS | {"ETag": etag}
    return _not_modified(request, etag, headers) or web.Response(
        body=body, headers=headers | {"Content-Type": content_type + "; charset=utf-8"}
    )


async def catalog_jsonld(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    written, sizes = _newest(settings)
    return _json(request, opendata_catalog.catalog_jsonld(settings, written, sizes), "application/ld+json")


async def data_json(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    written, sizes = _newest(settings)
    return _json(request, opendata_catalog.data_json(settings, written, sizes), "application/json")


async def index(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    language = page_language(request, settings.city.default_language)
    body = opendata_page.render(settings, language)
    etag = '"' + opendata_catalog.digest(body) + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": "no-cache",
        "Vary": "Accept-Language",
        "Content-Security-Policy": opendata_page.CSP,
    }
    return _not_modified(request, etag, headers) or web.Response(
        body=body, headers=headers | {"Content-Type": "text/html; charset=utf-8"}
    )


async def to_index(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently("/datos/")


def add_routes(app: web.Application) -> None:
    """GET and HEAD: /datos/ (the index), its catalogue, and /datos/{YYYY-MM-DD|latest}/{file}."""
    app.router.add_get("/datos", to_index)
    app.router.add_get("/datos/", index)
    app.router.add_get("/datos/catalog.jsonld", catalog_jsonld)
    app.router.add_get("/datos/data.json", data_json)
    app.router.add_get("/datos/{day}/{name}", data_file)
