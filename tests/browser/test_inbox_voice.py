"""An agent plays, in a real Chromium, the voice note a citizen recorded on the web chat (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

from aiohttp import ClientSession, CookieJar, FormData
from playwright.async_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from storage.models import Conversation
from tests.browser.conftest import serve
from tests.browser.inbox_support import add_staff, desk, log_in
from tests.support.recorded_voice import recorded
from tests.support.scripted import ScriptedClassifier
from tests.support.scripted_voice import ScriptedTranscriber, listening

CHAT = "web-5e1c9a7f3b2d80c4a6e2"


async def test_an_agent_plays_and_can_download_a_citizens_voice_note(
    browser: Browser,
    settings: Settings,
    scripted: ScriptedClassifier,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    note = recorded("la luminaria del parque lleva una semana apagada", "audio/ogg", tmp_path)
    # Voice notes taken (conftest switches them off), heard by a transcriber at the seam: nothing heard.
    app = create_app(listening(settings), classifier=scripted, transcriber=ScriptedTranscriber())
    server = await serve(app)
    base = str(server.make_url("")).rstrip("/")
    try:
        async with ClientSession(base_url=base, cookie_jar=CookieJar(unsafe=True)) as citizen:
            form = FormData()
            form.add_field("voice", note, filename="nota.ogg", content_type="audio/ogg;codecs=opus")
            uploaded = await citizen.post(f"/webchat/upload?sender={CHAT}", data=form)
            assert uploaded.status == 201
            url = (await uploaded.json())["url"]
            for message, metadata in (("", {"attachments": [{"url": url}]}), ("humano", {})):
                said = await citizen.post(
                    "/webhooks/rest/webhook",
                    data=json.dumps({"sender": CHAT, "message": message, "metadata": metadata}),
                    headers={"Content-Type": "application/json"},
                )
                assert said.status == 200
        async with sessions() as session:
            conversation = await session.scalar(select(Conversation))
        assert conversation is not None
        await add_staff(sessions, "ana.rodriguez")
        context = await desk(browser)
        page = await context.new_page()
        await log_in(page, base, "ana.rodriguez")
        await page.goto(f"{base}/inbox/conversations/{conversation.id}")
        player = page.get_by_label("Nota de voz", exact=True)
        await expect(player).to_be_visible()
        await expect(player).to_have_attribute("preload", "none")  # nothing downloads until played
        loaded = await player.evaluate(
            "a => new Promise(done => { a.onloadedmetadata = () => done(a.duration); "
            "a.onerror = () => done('refused: ' + (a.error && a.error.message)); a.load(); })"
        )
        assert isinstance(loaded, float) and 2 < loaded < 10, loaded  # the inbox's CSP lets it play
        download = page.get_by_role("link", name="Descargar la nota de voz")
        await expect(download).to_have_attribute("href", url)
        async with page.expect_download() as started:
            await download.click()
        assert (await (await started.value).path()).read_bytes() == note
        await context.close()
    finally:
        await server.close()
