"""One client cannot exhaust the service through the web chat (issue 12, finding 5)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.rest.routes import NEW_SENDERS_PER_ADDRESS_AN_HOUR, SendersPerAddress
from storage.models import Citizen, Message
from tests.connectors.conftest import Client
from tests.connectors.test_rest import send

Sessions = async_sessionmaker[AsyncSession]


async def citizens(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Citizen)) or 0)


async def test_a_new_sender_per_message_from_one_address_stops_making_citizens(
    service: Client, sessions: Sessions
) -> None:
    """The audit made 3,000 citizens in 20 s, each message from a fresh sender id."""
    for n in range(NEW_SENDERS_PER_ADDRESS_AN_HOUR):
        status, _ = await send(service, {"sender": f"web-flood-{n}", "message": "hola"})
        assert status == 200
    status, body = await send(service, {"sender": "web-flood-next", "message": "hola"})
    assert status == 429 and body["error"] == "too_many_senders"
    assert await citizens(sessions) == NEW_SENDERS_PER_ADDRESS_AN_HOUR
    status, _ = await send(service, {"sender": "web-flood-0", "message": "sigo aquí"})
    assert status == 200  # a sender already seen from that address keeps talking


async def test_behind_the_proxy_each_client_counts_on_its_own(service: Client) -> None:
    for n in range(NEW_SENDERS_PER_ADDRESS_AN_HOUR + 5):
        status, _ = await send(
            service,
            {"sender": f"web-city-{n}", "message": "hola"},
            **{"X-Forwarded-For": f"198.51.100.{n + 1}"},
        )
        assert status == 200  # many citizens behind the city's reverse proxy, one each


async def test_the_hour_passes_and_the_table_stays_small() -> None:
    limit = SendersPerAddress(per_hour=2, addresses=2)
    assert limit.allow("a", "s1", 0) and limit.allow("a", "s2", 1) and not limit.allow("a", "s3", 2)
    assert limit.allow("a", "s1", 3)  # known
    assert limit.allow("a", "s3", 3700)  # an hour later
    limit.allow("b", "x", 3700)
    limit.allow("c", "y", 3700)
    assert len(limit.seen) == 2 and "a" not in limit.seen


async def test_a_muted_sender_keeps_little(service: Client, sessions: Sessions) -> None:
    """The audit stored 24 MB from one sender posting 400 × 60 kB while muted."""
    big = "x" * 60_000
    for _ in range(25):  # over dialogue.max_messages_per_minute (20)
        await send(service, {"sender": "web-heavy", "message": big})
    async with sessions() as session:
        sizes = (
            await session.scalars(
                select(func.length(Message.text)).where(
                    Message.address == "web-heavy", Message.direction == "in"
                )
            )
        ).all()
    assert len(sizes) == 25  # every message recorded
    assert sum(1 for size in sizes if size > 300) <= 21  # past the limit and its one warning: cut
