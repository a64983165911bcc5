"""`/datos/`: the daily open data files (issue 16: being built)."""

from __future__ import annotations

from aiohttp import web


def add_routes(app: web.Application) -> None:
    return None
