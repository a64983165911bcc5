"""A real headless Chromium (Debian's), driven by Playwright, against the app served on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, async_playwright

from bot.app import create_app
from bot.settings import Settings
from tests.support.scripted import ScriptedClassifier

CHROMIUM = os.environ.get("VENTANILLA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)
# Without these, Chromium keeps trying to reach Google's hosts, which this closed network refuses.
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        if os.environ.get("CI", "").lower() in {"true", "1"}:
            pytest.fail(f"CI needs Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
        pytest.skip("Chromium is not installed here (CI installs it)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(locale="es-CO", viewport={"width": 390, "height": 844})
    opened = await context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    await context.close()


async def serve(app: web.Application) -> TestServer:
    """Serve `app` on a free loopback port for the browser; the caller closes it."""
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


@pytest.fixture
async def server(settings: Settings, scripted: ScriptedClassifier) -> AsyncIterator[TestServer]:
    """The whole app (chat, inbox, public pages) with the scripted classifier; a test file that needs it
    otherwise (a channel fake, a worker left out) defines its own `server`."""
    served = await serve(create_app(settings, classifier=scripted))
    yield served
    await served.close()
