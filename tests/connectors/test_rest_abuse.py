"""One client cannot exhaust the service through the web chat (issue 12, finding 5)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.housekeeping import Housekeeping
from bot.settings import Settings
from connectors.rest.routes import NEW_SENDERS_PER_ADDRESS_AN_HOUR, SendersPerAddress
from storage.models import ChannelIdentity, Citizen, Message, WebchatKey, utcnow
from storage.stores import open_store
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
        status, _ = await send(service, {"sender": f"web-flood-{n:04d}-5f3c9d27e1", "message": "hola"})
        assert status == 200
    status, body = await send(service, {"sender": "web-flood-next-5f3c9d27e1", "message": "hola"})
    assert status == 429 and body["error"] == "too_many_senders"
    assert await citizens(sessions) == NEW_SENDERS_PER_ADDRESS_AN_HOUR
    status, _ = await send(service, {"sender": "web-flood-0000-5f3c9d27e1", "message": "sigo aquí"})
    assert status == 200  # a sender already seen from that address keeps talking


async def test_behind_the_proxy_each_client_counts_on_its_own(service: Client) -> None:
    for n in range(NEW_SENDERS_PER_ADDRESS_AN_HOUR + 5):
        status, _ = await send(
            service,
            {"sender": f"web-city-{n:04d}-5f3c9d27e1", "message": "hola"},
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
        await send(service, {"sender": "web-heavy-5f3c9d27e1", "message": big})
    async with sessions() as session:
        sizes = (
            await session.scalars(
                select(func.length(Message.text)).where(
                    Message.address == "web-heavy-5f3c9d27e1", Message.direction == "in"
                )
            )
        ).all()
    assert len(sizes) == 25  # every message recorded
    assert sum(1 for size in sizes if size > 300) <= 21  # past the limit and its one warning: cut


async def test_one_message_chats_are_forgotten_after_a_while_and_real_ones_stay(
    service: Client, sessions: Sessions, settings: Settings
) -> None:
    """The 3,000 citizens of the audit, one message each, do not stay for ever; a citizen who talked,
    filed a case or waits for a person stays."""
    for n in range(5):
        status, _ = await send(service, {"sender": f"web-once-{n:04d}-5f3c9d27e1", "message": "hola"})
        assert status == 200
    talker = "web-talker-5f3c9d27e1"
    for text in ("hola", "hay un bache en la calle 10"):
        await send(service, {"sender": talker, "message": text})
    waiting = "web-waiting-5f3c9d27e1"
    await send(service, {"sender": waiting, "message": "quiero hablar con una persona"})
    async with open_store(settings) as store:
        keeper = Housekeeping(settings, sessions, store)
        assert (await keeper.once()).chats == 0  # not yet: they may come back
        hours = settings.webchat.forget_one_message_chats_after_hours
        assert (await keeper.once(utcnow() + timedelta(hours=hours, minutes=1))).chats == 5
    async with sessions() as session:
        left = set((await session.scalars(select(ChannelIdentity.address))).all())
        bound = set((await session.scalars(select(WebchatKey.sender))).all())
        orphans = await session.scalar(
            select(func.count()).select_from(Message).where(~Message.citizen_id.in_(select(Citizen.id)))
        )
    assert left == bound == {talker, waiting}
    assert orphans == 0
