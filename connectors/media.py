"""`/media/{name}`: what citizens sent, read through the media store, and how connectors keep a file there.

Staff pages, the web chat and Twilio (fetching what we send as MMS) all read here, with the rules
`/media/` always had: whoever has the unguessable URL may read it; it is served as data, never as a page.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.appkeys import MEDIA
from bot.messages import Attachment
from storage.media import CONTENT_TYPES, NAME, OPAQUE, MediaStore, content_type_of, name_of, new_name, url_of

log = logging.getLogger(__name__)
# A name never changes its bytes, so a browser may keep them; `private`: no shared cache (a proxy, a CDN)
# keeps a citizen's photo, and a day, so an erased photo does not linger in browsers for long.
CACHE_CONTROL = "private, max-age=86400"
SERVABLE = frozenset(CONTENT_TYPES.values())


async def serve(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if not NAME.fullmatch(name):
        raise web.HTTPNotFound()
    store = request.app[MEDIA]
    etag = f'"{name}"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    if etag in request.headers.get("If-None-Match", "") and await store.exists(name):
        return web.Response(status=304, headers=headers)
    stored = await store.get(name)
    if stored is None:
        raise web.HTTPNotFound()
    content_type = stored.content_type if stored.content_type in SERVABLE else OPAQUE
    if content_type == OPAQUE:
        headers["Content-Disposition"] = "attachment"
    # The sandbox CSP and nosniff come from connectors.http.public_headers, as for every /media/ answer.
    headers["Accept-Ranges"] = "bytes"
    wanted = request.headers.get("Range")
    if wanted is None or not wanted.lstrip().lower().startswith("bytes="):  # a unit we do not know: all
        return web.Response(body=stored.data, content_type=content_type, headers=headers)
    part = byte_range(wanted, len(stored.data))
    if part is None:
        headers["Content-Range"] = f"bytes */{len(stored.data)}"
        return web.Response(status=416, headers=headers)
    start, end = part
    headers["Content-Range"] = f"bytes {start}-{end}/{len(stored.data)}"
    return web.Response(
        status=206, body=stored.data[start : end + 1], content_type=content_type, headers=headers
    )


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte of one `Range: bytes=…` a player asks for (Safari plays audio only that
    way); None for anything we cannot satisfy. Several ranges at once are answered with the first."""
    unit, _, spec = header.partition("=")
    first = spec.split(",")[0].strip()
    start_text, dash, end_text = first.partition("-")
    if unit.strip().lower() != "bytes" or not dash or size == 0:
        return None
    if not (start_text.isdigit() or end_text.isdigit()) or len(first) > 40:
        return None
    if not start_text:  # the last N bytes
        if not end_text.isdigit() or int(end_text) == 0:
            return None
        return max(size - int(end_text), 0), size - 1
    if not start_text.isdigit() or (end_text and not end_text.isdigit()):
        return None
    start, end = int(start_text), int(end_text) if end_text else size - 1
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


async def keep(store: MediaStore, data: bytes, declared_type: str, kind: str) -> Attachment:
    """Put `data` in the store under a fresh name; the attachment says what it will be served as."""
    name = new_name(declared_type)
    content_type = content_type_of(name)
    await store.put(name, data, content_type)
    return Attachment(url=url_of(name), content_type=content_type, kind=kind)


async def discard(store: MediaStore, attachments: tuple[Attachment, ...]) -> None:
    """Remove what we kept for a message that was not stored after all (a replay, a failure)."""
    for attachment in attachments:
        name = name_of(attachment.url)
        if name is not None:
            try:
                await store.delete(name)
            except OSError as exc:  # left for no one to find: harmless, and logged
                log.warning("media %s not removed: %s", name, exc)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/media/{name}", serve)
