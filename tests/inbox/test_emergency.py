"""Emergencies and unfinished reports as staff see them: an emergency hand-off heads the queue with its
badge; a report the citizen left for a person is shown, escaped, until the conversation goes back to the bot.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Citizen, Conversation, Holder, utcnow
from tests.inbox.conftest import Client, Staff, conversation_of, web_chat

Sessions = async_sessionmaker[AsyncSession]
BADGE = '<span class="badge emergency">Emergencia</span>'
HANDED_OFF = "Te paso con una persona"
UNFINISHED = "Reporte sin terminar"
SCRIPT = "<script>alert('xss')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"


def queue_rows(page: str) -> dict[int, str]:
    """Each queue row's HTML by conversation id, in the order the queue lists them."""
    rows = re.findall(r'(<tr class="[^"]*" data-conversation="(\d+)">.*?</tr>)', page, re.DOTALL)
    return {int(id_): row for row, id_ in rows}


def unfinished_section(page: str) -> str | None:
    found = re.search(r'<section class="unfinished".*?</section>', page, re.DOTALL)
    return found[0] if found else None


async def waited_since(sessions: Sessions, conversation_id: int, ago: timedelta) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(waiting_since=utcnow() - ago)
        )


@pytest.mark.parametrize(
    "accepts",
    ["/human_handoff", "Hablar con una persona", "sí"],
    ids=["button", "button_title_typed", "yes"],
)
async def test_an_emergency_handed_to_a_person_heads_the_queue_with_its_badge(
    client: Client, agent: Staff, sessions: Sessions, accepts: str
) -> None:
    # Waiting for hours: a citizen who asked for a person, and a preferential one.
    await web_chat(client, "web-old-5f3c9d27e1", "humano")
    await web_chat(client, "web-pref-5f3c9d27e1", "quiero hablar con una persona")
    old, pref = (
        await conversation_of(sessions, "web-old-5f3c9d27e1"),
        await conversation_of(sessions, "web-pref-5f3c9d27e1"),
    )
    await waited_since(sessions, old.id, timedelta(hours=3))
    await waited_since(sessions, pref.id, timedelta(hours=2))
    async with sessions() as session, session.begin():
        await session.execute(
            update(Citizen).where(Citizen.id == pref.citizen_id).values(preferential="disability")
        )

    answer = await web_chat(client, "web-fire-5f3c9d27e1", "hay un incendio en el edificio, ayuda")
    assert "123" in answer[0]["text"]
    assert {"title": "Hablar con una persona", "payload": "/human_handoff"} in answer[-1]["buttons"]
    fire = await conversation_of(sessions, "web-fire-5f3c9d27e1")
    assert fire.holder == Holder.BOT  # only offered so far: nobody waits yet
    assert fire.id not in queue_rows(await agent.page("/inbox/queue"))

    assert HANDED_OFF in (await web_chat(client, "web-fire-5f3c9d27e1", accepts))[-1]["text"]
    fire = await conversation_of(sessions, "web-fire-5f3c9d27e1")
    assert (fire.holder, fire.handoff_reason) == (Holder.WAITING, "emergency")

    page = await agent.page("/inbox/queue")
    rows = queue_rows(page)
    assert list(rows) == [fire.id, pref.id, old.id]
    assert BADGE in rows[fire.id] and 'class="emergency ' in rows[fire.id]
    assert "Escribió una emergencia" in rows[fire.id]  # the reason, in words
    assert not any(BADGE in rows[other] or "emergency" in rows[other] for other in (pref.id, old.id))
    assert list(queue_rows(await agent.page("/inbox/queue?partial=1"))) == [fire.id, pref.id, old.id]
    assert BADGE in await agent.page(f"/inbox/conversations/{fire.id}")
    assert BADGE not in await agent.page(f"/inbox/conversations/{old.id}")

    # Taken by the agent, it still heads the list (of everything a person holds or waits for).
    await agent.post(f"/inbox/conversations/{fire.id}/claim")
    assert list(queue_rows(await agent.page("/inbox/queue"))) == [fire.id, pref.id, old.id]


async def test_a_report_left_for_a_person_is_shown_escaped_until_handed_back(
    client: Client, agent: Staff, sessions: Sessions
) -> None:
    answer = await web_chat(
        client, "web-ana-5f3c9d27e1", f"hay un bache enorme {SCRIPT} en la calle 10 # 20-30"
    )
    assert "foto" in answer[-1]["text"]  # in the middle of the report: the bot asks for a photo
    assert (
        HANDED_OFF
        in (await web_chat(client, "web-ana-5f3c9d27e1", "prefiero que me atienda alguien"))[-1]["text"]
    )
    conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert (conversation.holder, conversation.handoff_reason) == (Holder.WAITING, "requested")
    here = f"/inbox/conversations/{conversation.id}"

    page = await agent.page(here)
    section = unfinished_section(page)
    assert section is not None and UNFINISHED in section
    assert "Bache o hueco en la vía" in section  # the service by its name, not its code
    assert "calle 10 # 20-30" in section
    assert f"hay un bache enorme {ESCAPED_SCRIPT} en la calle 10" in section
    assert SCRIPT not in page and "<script>alert" not in page
    assert BADGE not in page  # asked for a person: no emergency
    assert BADGE not in queue_rows(await agent.page("/inbox/queue"))[conversation.id]

    await agent.post(f"{here}/claim")
    section = unfinished_section(await agent.page(here))
    assert section is not None and "Bache o hueco en la vía" in section  # still there while she helps

    response = await agent.post(f"{here}/handback", {"next": here})
    assert response.status == 303
    back = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert back.holder == Holder.BOT
    page = await agent.page(here)
    assert unfinished_section(page) is None and UNFINISHED not in page
    assert SCRIPT not in page


async def test_a_pinned_place_is_shown_as_coordinates(
    client: Client, agent: Staff, sessions: Sessions
) -> None:
    await web_chat(client, "web-luis-5f3c9d27e1", "hay basura acumulada en la esquina hace una semana")
    response = await client.post(
        "/webhooks/rest/webhook",
        json={"sender": "web-luis-5f3c9d27e1", "message": "", "metadata": {"location": {"latitude": 4.6097102,
                                                                              "longitude": -74.081749}}},
    )  # fmt: skip
    assert response.status == 200, await response.text()
    await web_chat(client, "web-luis-5f3c9d27e1", "quiero hablar con una persona")
    conversation = await conversation_of(sessions, "web-luis-5f3c9d27e1")
    assert conversation.holder == Holder.WAITING

    section = unfinished_section(await agent.page(f"/inbox/conversations/{conversation.id}"))
    assert section is not None
    assert "(4.60971, -74.08175)" in section
    assert "hay basura acumulada en la esquina hace una semana" in section


# The emergency while waiting is answered; the mark lasts only for the hand-off the emergency offered.


async def test_an_emergency_written_while_waiting_for_a_person_still_gets_the_number(
    client: Client, agent: Staff, sessions: Sessions
) -> None:
    assert HANDED_OFF in (await web_chat(client, "web-ana-5f3c9d27e1", "humano"))[-1]["text"]
    answer = await web_chat(client, "web-ana-5f3c9d27e1", "hay un incendio en el edificio, ayuda")
    assert any("123" in reply["text"] for reply in answer)
    conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert conversation.handoff_reason == "emergency" and conversation.holder == Holder.WAITING


async def test_a_later_request_for_a_person_after_a_declined_emergency_is_not_an_emergency(
    client: Client, agent: Staff, sessions: Sessions
) -> None:
    await web_chat(client, "web-ana-5f3c9d27e1", "huele a gas")
    await web_chat(client, "web-ana-5f3c9d27e1", "no")  # declines the person offered: the menu
    await web_chat(client, "web-ana-5f3c9d27e1", "hay un bache en la calle 10 # 20-30")
    await web_chat(client, "web-ana-5f3c9d27e1", "omitir")
    assert "Registrado" in (await web_chat(client, "web-ana-5f3c9d27e1", "sí"))[-1]["text"]
    await web_chat(client, "web-ana-5f3c9d27e1", "humano")  # about the pothole filed, long after the gas
    conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert conversation.holder == Holder.WAITING
    assert conversation.handoff_reason == "requested"
    page = await agent.page("/inbox/queue")
    assert BADGE not in queue_rows(page)[conversation.id]
