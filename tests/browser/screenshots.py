"""Seed a small, realistic inbox and save screenshots in docs/inbox/: `python -m tests.browser.screenshots`.

Not a test: it writes into docs/. Run it again after changing the inbox's looks.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from playwright.async_api import Browser, async_playwright
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.messages import InboundMessage, Location
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.settings_loading import load_settings
from storage import cases
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Citizen, Conversation, utcnow
from tests.browser.conftest import CHROMIUM, FLAGS, serve
from tests.browser.inbox_support import SECRET, add_staff, desk, log_in, until
from tests.support.channels import telegram_on
from tests.support.conversation import Citizen as Talker
from tests.support.fake_telegram import FakeTelegram
from tests.support.scripted import dialogue_rules

OUT = Path(__file__).resolve().parents[2] / "docs" / "inbox"
PHOTO = "0f6c1e2d3a4b5c6d7e8f90a1b2c3d4e5.png"
POTHOLE = """<body style="margin:0;background:#6b6b6b">
<div style="position:absolute;left:0;right:0;top:150px;height:8px;background:#f3f3f3"></div>
<div style="position:absolute;left:90px;top:60px;width:220px;height:120px;border-radius:50%;
 background:radial-gradient(#1c1c1c 40%,#3a3a3a 70%,#6b6b6b 100%)"></div></body>"""
SERVICES = ["pothole", "streetlight", "garbage", "water", "noise", "tree", "traffic_signal"]
STATUSES = ["open", "open", "acknowledged", "in_progress", "resolved", "resolved", "closed", "rejected"]


async def photo(browser: Browser, media: Path) -> None:
    """A citizen's 'photo' of a pothole, drawn by the browser so the repository needs no image."""
    page = await browser.new_page(viewport={"width": 400, "height": 240})
    await page.set_content(POTHOLE)
    media.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - a one-off script, before serving
    await page.screenshot(path=str(media / PHOTO))
    await page.close()


async def talk(pipeline: Pipeline, channel: str, address: str, name: str, *texts: str) -> None:
    for text in texts:
        await pipeline.handle(
            InboundMessage(channel, address, f"{address}-{text[:8]}", text, display_name=name)
        )


async def seed(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
    pipeline = Pipeline(settings, sessions, dialogue_rules())
    marta = Talker(pipeline, "555000111", "telegram")
    await marta.send(InboundMessage("telegram", "555000111", "m-0", "hola", display_name="Marta Gómez"))
    await marta.says("hay un bache enorme frente al colegio Santa Inés, ya se cayó una moto")
    await marta.says("", photo=f"/media/{PHOTO}")
    await marta.says("", location=Location(4.6097, -74.0817))
    await marta.says("si")
    await marta.says("quiero hablar con una persona, es urgente")
    streetlight = "buenas, el poste de la esquina lleva una semana sin luz"
    await talk(pipeline, "whatsapp", "+573104445566", "Efraín Rojas", streetlight, "hablar con una persona")
    await talk(pipeline, "rest", "web-3f9a-5f3c9d27e1", "Lucía P.", "hola", "quiero hablar con una persona")
    await talk(pipeline, "sms", "+573009998877", "Jorge", "asdf qwerty", "necesito hablar con una persona")
    now = utcnow()
    async with sessions() as session, session.begin():
        citizens = {c.display_name: c for c in (await session.scalars(select(Citizen)))}
        efrain = citizens.get("Efraín Rojas")
        if efrain is not None:
            efrain.preferential, efrain.preferential_reason = "elderly", "82 años, vive solo"
        lucia = citizens.get("Lucía P.")
        if lucia is not None:  # waiting for three hours: the clock shows the breach
            await session.execute(
                update(Conversation)
                .where(Conversation.citizen_id == lucia.id)
                .values(waiting_since=now - timedelta(hours=3, minutes=12))
            )
        rng = random.Random(7)
        for day in range(28):
            for _ in range(rng.randint(2, 9)):
                service = rng.choice(SERVICES)
                status = rng.choice(STATUSES)
                created = now - timedelta(days=day, hours=rng.randint(0, 20))
                done = status in ("resolved", "closed")
                await cases.add_case(
                    session,
                    service_code=service,
                    description="(demo)",
                    status=status,
                    department=settings.services[service].department,
                    channel=rng.choice(["telegram", "whatsapp", "rest", "sms"]),
                    created_at=created,
                    closed_at=created + timedelta(hours=rng.randint(3, 90)) if done else None,
                )


async def accounts_on_a_phone(
    browser: Browser, base: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The admin page at 360 px, after limiting Ana to her department from it."""
    await add_staff(sessions, "ines.castro", "admin")
    context = await browser.new_context(locale="es-CO", viewport={"width": 360, "height": 740})
    page = await context.new_page()
    await log_in(page, base, "ines.castro")
    await page.goto(f"{base}/inbox/accounts")
    ana = page.locator("article[data-username='ana.rodriguez']")
    await ana.get_by_text("Cambiar esta cuenta").click()
    await ana.get_by_label("Obras Públicas").check()
    await ana.get_by_role("button", name="Guardar las áreas").click()
    await page.wait_for_url("**/inbox/accounts?at=*")
    await page.screenshot(path=str(OUT / "accounts.png"), full_page=True)
    await context.close()


async def main(tmp: str) -> None:
    url = f"sqlite+aiosqlite:///{tmp}/demo.db"
    if True:
        base_settings = load_settings(None, None, **{"database.url": url, "media.dir": f"{tmp}/media",
                                                     "nlu.model_dir": tmp})  # fmt: skip
        async with FakeTelegram() as telegram, async_playwright() as playwright:
            settings = telegram_on(base_settings, telegram, secret=SECRET)
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            await photo(browser, Path(tmp) / "media")
            engine = create_engine(url)
            sessions = session_factory(engine)
            await seed(settings, sessions)
            await add_staff(sessions, "ana.rodriguez", "agent", "public_works")
            await add_staff(sessions, "sara.mejia", "supervisor")
            server = await serve(create_app(settings, classifier=dialogue_rules()))
            base = str(server.make_url("")).rstrip("/")
            try:
                context = await desk(browser)
                page = await context.new_page()
                await page.goto(f"{base}/inbox/login")
                await page.locator("input[name=username]").fill("ana.rodriguez")
                await page.screenshot(path=str(OUT / "login.png"))
                await log_in(page, base, "ana.rodriguez")
                await page.screenshot(path=str(OUT / "queue.png"))
                await page.locator("tr", has_text="Marta").get_by_role("link", name="Abrir").click()
                await page.locator(".toolbar").get_by_role("button", name="Tomar").click()
                await page.locator("#note-text").fill("Vecina conocida; el colegio ya llamó por lo mismo.")
                await page.get_by_role("button", name="Guardar nota").click()
                reply = "Hola Marta, soy Ana de Obras Públicas. La cuadrilla pasa mañana en la mañana."
                await page.locator("#reply-text").fill(reply)
                await page.locator("#reply").get_by_role("button", name="Enviar").click()
                await until(lambda: next((m for m in telegram.sent() if m["text"] == reply), None), "reply")
                await page.goto(page.url.split("?")[0])
                await page.screenshot(path=str(OUT / "conversation.png"))
                await page.evaluate("document.querySelector('#timeline img.photo').scrollIntoView()")
                await page.evaluate("document.getElementById('timeline').scrollTop -= 60")
                await page.evaluate("window.scrollTo(0, 0)")
                await page.screenshot(path=str(OUT / "conversation-photo.png"))
                await context.close()
                context = await desk(browser)
                page = await context.new_page()
                await log_in(page, base, "sara.mejia")
                await page.goto(f"{base}/inbox/dashboard")
                await page.screenshot(path=str(OUT / "dashboard.png"), full_page=False)
                await context.close()
                await accounts_on_a_phone(browser, base, sessions)
            finally:
                await server.close()
                await browser.close()
                await engine.dispose()


if __name__ == "__main__":
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    with tempfile.TemporaryDirectory() as directory:
        upgrade(f"sqlite+aiosqlite:///{directory}/demo.db")  # Alembic runs its own event loop
        asyncio.run(main(directory))
