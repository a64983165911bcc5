"""The test run's own memory: apps the tests started must not outlive them (tests/support/apps.py)."""

from __future__ import annotations

import gc
import weakref

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from tests.support.apps import forget_finished_apps


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def test_a_finished_app_is_freed() -> None:
    """If aiohttp moves or renames its cache, this fails, instead of a run growing to 13 GB again."""
    app = web.Application()
    app.router.add_get("/", _ok)
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/")).status == 200
    gone = weakref.ref(app)
    del app, client
    forget_finished_apps()
    gc.collect()
    assert gone() is None
