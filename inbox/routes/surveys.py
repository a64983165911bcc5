"""The supervisors' surveys pages (issue 16: being built)."""

from __future__ import annotations

from aiohttp import web


def add_routes(router: web.UrlDispatcher) -> None:
    return None
