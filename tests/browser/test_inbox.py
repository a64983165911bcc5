"""The staff inbox in a real browser: a Telegram citizen asks for a person, an agent answers and resolves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Dialog, Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from storage.models import Case, Conversation
from tests.browser.conftest import serve
from tests.browser.inbox_support import SECRET, add_staff, all_sent, desk, log_in, telegram_says, until
from tests.support.channels import telegram_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.scripted import ScriptedClassifier

CHAT_ID = 555000111
HOSTILE = "<script>alert(1)</script> y <img src=x onerror=alert(1)>"


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def server(
    settings: Settings, scripted: ScriptedClassifier, telegram: FakeTelegram
) -> AsyncIterator[TestServer]:
    served = await serve(create_app(telegram_on(settings, telegram, secret=SECRET), classifier=scripted))
    yield served
    await served.close()


@pytest.fixture
async def desk_page(browser: Browser) -> AsyncIterator[Page]:
    context = await desk(browser)
    opened = await context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    await context.close()


def after_login(url: str) -> tuple[str, str]:
    """The path a browser landed on and where the login page will send it next."""
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query).get("next", [""])[0]


def texts(telegram: FakeTelegram) -> list[str]:
    return [str(sent["text"]) for sent in telegram.sent()]


async def citizen_says(server: TestServer, telegram: FakeTelegram, text: str) -> str:
    """The citizen writes on Telegram; the bot's answer (all its messages) once the outbox has sent it.
    Waiting for one new message was not enough: a turn's second reply, still on its way, was read as the
    next turn's answer."""
    before = len(telegram.sent())
    await telegram_says(server, text, chat_id=CHAT_ID, first_name="Marta")
    await all_sent(server, f"the answer to {text!r}")
    return await until(lambda: "\n".join(texts(telegram)[before:]) or None, text)


async def test_an_agent_answers_a_telegram_citizen_and_resolves_their_case(
    server: TestServer,
    telegram: FakeTelegram,
    desk_page: Page,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    page, base = desk_page, str(server.make_url("")).rstrip("/")
    dialogs: list[str] = []

    async def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", dismiss)
    # The citizen files a case through the bot, then asks for a person.
    await citizen_says(server, telegram, "hay un bache enorme frente al colegio")
    await citizen_says(server, telegram, "omitir")
    await citizen_says(server, telegram, "omitir")
    filed = await citizen_says(server, telegram, "si")
    async with sessions() as session:
        case = await session.scalar(select(Case))
    assert case is not None and case.code in filed
    assert "persona" in await citizen_says(server, telegram, "quiero hablar con una persona")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None and conversation.holder == "waiting"
    await add_staff(sessions, "ana", "agent", case.department)

    # Without a session every page sends the browser to the login page, remembering where it was going.
    await page.goto(f"{base}/inbox/queue")
    assert after_login(page.url) == ("/inbox/login", "/inbox/queue")
    await page.goto(f"{base}/inbox/cases?status=open")
    assert after_login(page.url) == ("/inbox/login", "/inbox/cases?status=open")
    await expect(page.locator("input[name=password]")).to_be_visible()
    await log_in(page, base, "ana")

    # The queue shows the conversation; the agent opens it and claims it.
    row = page.locator(f"tr[data-conversation='{conversation.id}']")
    await expect(row).to_contain_text("Marta")
    await expect(row).to_contain_text("Telegram")
    await row.get_by_role("link", name="Abrir").click()
    await page.wait_for_url(f"**/inbox/conversations/{conversation.id}")
    await page.locator(".toolbar").get_by_role("button", name="Tomar").click()
    await expect(page.locator(".toolbar").get_by_role("button", name="Devolver a la fila")).to_be_visible()

    # What the citizen writes while held reaches the page as text: nothing of it runs.
    before = len(telegram.sent())
    await telegram_says(server, HOSTILE, chat_id=CHAT_ID, first_name="Marta")
    await expect(page.locator("#timeline")).to_contain_text(HOSTILE)
    await page.reload()
    await expect(page.locator("#timeline")).to_contain_text(HOSTILE)
    assert await page.locator("#timeline img[src=x]").count() == 0
    assert len(telegram.sent()) == before  # a person holds it: the bot stays silent

    # The reply reaches the citizen's Telegram chat.
    reply = "Hola Marta, soy Ana de la alcaldía. Ya vimos el bache."
    await page.locator("#reply-text").fill(reply)
    await page.locator("#reply").get_by_role("button", name="Enviar").click()
    sent = await until(
        lambda: next((m for m in telegram.sent() if m["text"] == reply), None), "the reply on Telegram"
    )
    assert str(sent["chat_id"]) == str(CHAT_ID)
    await expect(page.locator("#timeline")).to_contain_text(reply)
    # Times read in the city's zone (config.yml: America/Bogota), not in the browser's (UTC here).
    stamp = page.locator("#timeline time[datetime]").last
    written = await stamp.get_attribute("datetime")
    assert written is not None
    local = datetime.fromisoformat(written).astimezone(settings.city.zone)
    assert f"{local.hour}:{local.minute:02d}" in await stamp.inner_text()  # "22:05", "3:05" in Spanish

    # The agent opens the case from the conversation and resolves it: the citizen is told, with the code.
    await page.locator("aside").get_by_role("link", name=case.code).click()
    await page.wait_for_url(f"**/inbox/cases/{case.code}")
    await page.locator("select[name=status]").select_option("resolved")
    await page.locator("textarea[name=note]").first.fill("Cuadrilla 3 tapó el bache.")
    await page.get_by_role("button", name="Guardar").click()
    await expect(page.locator("h1")).to_contain_text("Resuelto")
    told = await until(
        lambda: next((t for t in texts(telegram) if case.code in t and t != filed), None), "the notice"
    )
    assert "Cuadrilla 3" not in told  # the note stays inside unless the agent ticks "tell the citizen"
    async with sessions() as session:
        resolved = await session.scalar(select(Case.status).where(Case.id == case.id))
    assert resolved == "resolved"

    # A form posted without its CSRF token is refused, even with the session cookie.
    status = await page.evaluate(
        """async (url) => (await fetch(url, {method: "POST", credentials: "same-origin",
             headers: {"Content-Type": "application/x-www-form-urlencoded"},
             body: "text=sin+token"})).status""",
        f"{base}/inbox/conversations/{conversation.id}/note",
    )
    assert status == 403
    refused = await page.request.post(
        f"{base}/inbox/cases/{case.code}/status", form={"status": "closed"}, max_redirects=0
    )
    assert refused.status == 403

    # An agent is not a supervisor.
    dashboard = await page.goto(f"{base}/inbox/dashboard")
    assert dashboard is not None and dashboard.status == 403
    audit = await page.goto(f"{base}/inbox/audit")
    assert audit is not None and audit.status == 403
    assert dialogs == []
