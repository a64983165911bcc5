"""The case page at phone size in a real browser: its supporters, and marking it a duplicate of another."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Case, Message
from tests.bot.test_joining import file_at, north
from tests.browser.inbox_support import add_staff, log_in
from tests.support.conversation import Citizen


async def test_supporters_and_the_duplicate_action_on_a_phone(
    server: TestServer,
    page: Page,
    citizen: Callable[..., Citizen],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    base = str(server.make_url("")).rstrip("/")
    survivor = await file_at(citizen("web-ana-5f3c9d27e1"), north(0))
    beto = citizen("web-beto-5f3c9d27e1")
    await beto.says("hay un bache enorme", location=north(20))
    await beto.says("omitir")
    await beto.presses("Sí, sumarme")
    duplicate = await file_at(citizen("web-carla-5f3c9d27e1"), north(300))
    await add_staff(sessions, "ana", "agent", "public_works")
    await log_in(page, base, "ana")

    await page.goto(f"{base}/inbox/cases")
    row = page.locator("tr", has=page.get_by_role("link", name=survivor))
    await expect(row.locator(".supporters-count")).to_have_text("1")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the case list scrolls sideways on a phone ({width}px)"
    await page.goto(f"{base}/inbox/cases/{survivor}")
    await expect(page.locator("[data-supporters]")).to_have_text("1")
    await expect(page.locator("ul.supporters li")).to_have_count(1)
    await expect(page.locator("ul.supporters")).to_contain_text("Ciudadano/a #")
    await expect(page.locator("ol.history")).to_contain_text("Vecino sumado")

    # The duplicate action: a form with the surviving case's code.
    await page.goto(f"{base}/inbox/cases/{duplicate}")
    form = page.locator("form#duplicate")
    await form.scroll_into_view_if_needed()
    await expect(form).to_be_visible()
    await form.locator("input[name=survivor]").fill(survivor.lower())
    await form.get_by_role("button", name="Marcar como duplicado").click()
    await page.wait_for_url(f"**/inbox/cases/{duplicate}?done=marked_duplicate")
    await expect(page.locator(".notice")).to_contain_text("Marcado como duplicado")
    await expect(page.locator("form#duplicate")).to_have_count(0)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the case page scrolls sideways on a phone ({width}px)"
    await page.get_by_role("link", name=survivor).first.click()
    await page.wait_for_url(f"**/inbox/cases/{survivor}")
    await expect(page.locator("[data-supporters]")).to_have_text("2")
    await expect(page.locator("ol.history")).to_contain_text(duplicate)

    async with sessions() as session:
        gone = await session.scalar(select(Case).where(Case.code == duplicate))
        told = (await session.scalars(select(Message).where(Message.author == "system"))).all()
    assert gone is not None and gone.status == "duplicate"
    assert len(told) == 3 and all(survivor in m.text for m in told)
