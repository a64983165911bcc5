"""Live updates: the events stream tells open pages when a message arrives or a colleague acts."""

from __future__ import annotations

import asyncio
import json

from aiohttp import ClientResponse
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.inbox.conftest import Client, Staff, conversation_of, web_chat


async def next_event(response: ClientResponse, kind: str) -> dict[str, object]:
    """The data of the next event of this kind on the stream (within ten seconds)."""

    async def read() -> dict[str, object]:
        event = ""
        while True:
            line = (await response.content.readline()).decode()
            if line.startswith("event: "):
                event = line.removeprefix("event: ").strip()
            elif line.startswith("data: ") and event == kind:
                data: dict[str, object] = json.loads(line.removeprefix("data: "))
                return data

    return await asyncio.wait_for(read(), 10.0)


async def test_a_new_message_and_a_claim_are_announced(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    response = await agent.get("/inbox/events")
    try:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        await next_event(response, "ready")
        await web_chat(client, "web-ana-5f3c9d27e1", "humano")
        conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
        data = await next_event(response, "message")
        assert data == {"citizen": conversation.citizen_id, "conversation": conversation.id}
        await agent.post(f"/inbox/conversations/{conversation.id}/claim")
        assert await next_event(response, "action") == {"target": "conversation", "id": str(conversation.id)}
    finally:
        response.close()


async def test_two_pages_listen_at_once(client: Client, agent: Staff) -> None:
    first, second = await agent.get("/inbox/events"), await agent.get("/inbox/events")
    try:
        await next_event(first, "ready")
        await next_event(second, "ready")
        await web_chat(client, "web-1-5f3c9d27e1", "hola")
        assert (await next_event(first, "message"))["citizen"] == (await next_event(second, "message"))[
            "citizen"
        ]
    finally:
        first.close()
        second.close()
