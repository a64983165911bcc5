"""The pages' own files (the chat page, its script and style, the inbox's), served from memory.

They are a few kilobytes shipped with the code, read once when the app is built. No file is opened per
request: aiohttp's file responses open the file in a thread, and a browser that hangs up meanwhile (a tab
closed while the icon loads) left that file open for the garbage collector. Each answer carries an ETag,
so a browser that has the file gets a 304 and no body; `no-cache` makes it ask again after a deploy.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

TEXT_TYPES = ("text/", "application/javascript", "image/svg+xml")


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    etag: str

    @classmethod
    def read(cls, path: Path) -> StaticFile:
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith(TEXT_TYPES):
            kind += "; charset=utf-8"
        return cls(body, kind, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')

    def response(self, request: web.Request) -> web.Response:
        headers = {"ETag": self.etag, "Cache-Control": "no-cache"}
        if self.etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers=headers)
        return web.Response(body=self.body, headers=headers | {"Content-Type": self.content_type})


def add_static(router: web.UrlDispatcher, prefix: str, folder: Path) -> None:
    """GET (and HEAD) `prefix` + the name of each file in `folder`; anything else under it is a 404."""
    for path in sorted(folder.iterdir()):
        if path.is_file():
            router.add_get(prefix + path.name, _handler(StaticFile.read(path)))


def _handler(file: StaticFile) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def serve(request: web.Request) -> web.Response:
        return file.response(request)

    return serve
