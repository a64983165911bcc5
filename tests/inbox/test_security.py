"""Whatever a citizen writes is shown as text: no script of theirs ever runs in a staff member's browser."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.messages import InboundMessage
from storage.models import Case, Conversation
from tests.inbox.conftest import Client, Staff
from tests.support.conversation import Citizen

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"


def assert_inert(page: str) -> None:
    assert "<script>alert" not in page and "<img src=x" not in page and 'onerror="alert' not in page


async def test_script_and_img_onerror_come_out_as_text_everywhere(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    person = citizen("web-x-5f3c9d27e1")
    await person.send(
        InboundMessage(
            "rest",
            "web-x-5f3c9d27e1",
            "x-1",
            text=f"hay un bache {SCRIPT} {IMG} en la calle",
            display_name=IMG,
        )
    )
    await person.says("omitir")
    await person.says("omitir")
    await person.says("si")
    await person.says(f"quiero hablar con una persona {SCRIPT}")
    await person.says(f"{IMG} sigo esperando")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
        case = await session.scalar(select(Case))
    assert conversation is not None and case is not None
    for path in (
        "/inbox/queue",
        "/inbox/queue?partial=1",
        f"/inbox/conversations/{conversation.id}",
        f"/inbox/conversations/{conversation.id}/timeline",
        f"/inbox/citizens/{conversation.citizen_id}",
        f"/inbox/cases/{case.code}",
        "/inbox/cases",
    ):
        page = await agent.page(path)
        assert_inert(page)
        assert ESCAPED_IMG in page or "&lt;img src=x" in page, path
    timeline = await agent.page(f"/inbox/conversations/{conversation.id}")
    assert ESCAPED_SCRIPT in timeline and ESCAPED_IMG in timeline


async def test_staff_input_is_escaped_too(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    await citizen("web-y-5f3c9d27e1").says("humano")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None
    here = f"/inbox/conversations/{conversation.id}"
    await agent.post(f"{here}/note", {"text": SCRIPT})
    page = await agent.page(here)
    assert_inert(page)
    assert ESCAPED_SCRIPT in page
    # A crafted query string does not reach the page either.
    page = await agent.page(f"/inbox/cases?q={SCRIPT}&done=<b>x</b>")
    assert_inert(page)
    assert "<b>x</b>" not in page


async def test_no_inline_script_or_style_so_the_csp_holds(agent: Staff) -> None:
    page = await agent.page("/inbox/queue")
    assert "<script>" not in page and "style=" not in page and "onclick" not in page
    assert '<script src="/inbox/static/inbox.js" defer></script>' in page
    assert (await agent.get("/inbox/static/inbox.js")).status == 200
    assert (await agent.get("/inbox/static/inbox.css")).status == 200
