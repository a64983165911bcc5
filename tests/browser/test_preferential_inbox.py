"""A preferential citizen's new case in a real Chromium at 360 pixels (issue 19): its page shows the shorter
targets, it heads the queue and the case list, and the mark in words does not break the phone layout.

`VENTANILLA_SCREENSHOTS=docs/inbox-preferential.png` saves the case page for the docs."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from storage import preferential
from storage.citizens import find_identity, get_citizen
from storage.models import Conversation, Holder, utcnow
from tests.browser.conftest import serve
from tests.browser.inbox_support import add_staff, log_in
from tests.browser.test_accounts import no_sideways_scroll, phone
from tests.inbox.test_cases import file_a_case
from tests.inbox.test_preferential_inbox import person
from tests.support.conversation import Citizen as Talker
from tests.support.scripted import ScriptedClassifier

MARK = "Preferencial · Persona mayor"


@pytest.fixture
async def server(settings: Settings, scripted: ScriptedClassifier) -> AsyncIterator[TestServer]:
    served = await serve(create_app(settings, classifier=scripted))
    yield served
    await served.close()


async def elder_files_a_case(talker: Talker, sessions: async_sessionmaker[AsyncSession]) -> str:
    """She said yes to preferential attention, then reports a pothole and waits for a person."""
    await talker.says("hola")
    async with sessions() as session, session.begin():
        identity = await find_identity(session, talker.channel, talker.address)
        assert identity is not None
        citizen = await get_citizen(session, identity.citizen_id)
        await preferential.grant(
            session, citizen, kind="elderly", words="tengo 82 años y vivo sola", channel=talker.channel
        )
    code = await file_a_case(talker, "hay un bache enorme en la calle 45, me caí")
    async with sessions() as session, session.begin():
        conversation = await session.scalar(
            select(Conversation).where(Conversation.citizen_id == identity.citizen_id)
        )
        assert conversation is not None
        conversation.holder, conversation.waiting_since = Holder.WAITING, utcnow()
    return code


async def test_a_preferential_citizens_new_case_on_a_phone(
    server: TestServer,
    browser: Browser,
    sessions: async_sessionmaker[AsyncSession],
    citizen: Callable[..., Talker],
) -> None:
    base = str(server.make_url("")).rstrip("/")
    # Two ordinary citizens who have waited longer and filed later.
    for name in ("Pedro Ruiz", "Juana Díaz"):
        await person(sessions, name, filed=timedelta(minutes=1), waiting=timedelta(minutes=25))
    code = await elder_files_a_case(citizen("web-rosa-8d1f0c3b2a"), sessions)
    await add_staff(sessions, "sara", "supervisor")
    page = await phone(browser)
    await log_in(page, base, "sara")
    # The queue: she is first, marked in words, though she has waited least.
    first = page.locator("tbody tr[data-conversation]").first
    await expect(first.locator("[data-pref]")).to_have_text(MARK)
    await expect(page.locator("[data-pref]")).to_have_count(1)
    await no_sideways_scroll(page)
    # The case list: her case first, marked.
    await page.goto(f"{base}/inbox/cases")
    row = page.locator("table.cases tbody tr").first
    await expect(row.locator("a.strong")).to_have_text(code)
    await expect(row.locator("[data-pref]")).to_have_text(MARK)
    await no_sideways_scroll(page)
    # Her case's page: half the public works targets (120 min, 120 h), with the usual one beside it.
    await row.locator("a.strong").click()
    await page.wait_for_url(f"**/inbox/cases/{code}")
    await expect(page.locator("[data-target=first_response]")).to_have_text("1 h 00 min")
    resolution = page.locator("[data-target=resolution]")
    await expect(resolution).to_contain_text("2 d 12 h (preferencial: 50 % de 5 d 0 h)")
    await expect(resolution).to_contain_text("A tiempo")
    await expect(page.locator(".heading [data-pref]")).to_have_text(MARK)
    badge = await page.locator(".heading [data-pref]").bounding_box()
    assert badge is not None and badge["x"] >= 0 and badge["x"] + badge["width"] <= 360, badge
    await no_sideways_scroll(page)
    if os.environ.get("VENTANILLA_SCREENSHOTS"):
        await page.screenshot(path=os.environ["VENTANILLA_SCREENSHOTS"])  # the first screen: mark, targets
    await page.context.close()
