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
    return web.Response(body=stored.data, content_type=content_type, headers=headers)


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
