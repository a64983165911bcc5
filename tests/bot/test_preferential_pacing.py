"""Preferential citizens are never held back by pacing (issue 19): their follow-ups, case notices and paced
deliveries are taken first; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcasts import send_pass
from bot.followups import send_due
from bot.outbox import OutboxWorker
from bot.settings import Settings
from storage import preferential
from storage.citizens import find_identity, get_citizen
from storage.models import Direction, Message
from tests.bot.test_broadcasts import MORNING, alert, opted_in, paced, statuses
from tests.bot.test_outbox_and_linking import NOW_POLICY, ProviderSeam, drain
from tests.support.conversation import Citizen as Talker
from tests.support.followups import case_of, days_later, set_status

Sessions = async_sessionmaker[AsyncSession]


async def make_preferential(sessions: Sessions, talker: Talker) -> int:
    async with sessions() as session, session.begin():
        identity = await find_identity(session, talker.channel, talker.address)
        assert identity is not None
        person = await get_citizen(session, identity.citizen_id)
        words, channel = "tengo 82 años", talker.channel
        await preferential.grant(session, person, kind="elderly", words=words, channel=channel)
        return person.id


async def questions_in_order(sessions: Sessions) -> list[int | None]:
    """The citizens asked "was it fixed?", in the order the questions were written."""
    async with sessions() as session:
        found = await session.scalars(
            select(Message.citizen_id)
            .where(Message.direction == Direction.OUT, Message.text.contains("¿Lo arreglaron?"))
            .order_by(Message.id)
        )
        return list(found.all())


async def test_with_the_pace_used_up_a_preferential_citizens_notice_and_followup_go_out_first(
    citizen: Callable[..., Talker], sessions: Sessions, settings: Settings
) -> None:
    settings = paced(settings, 2)
    for n in range(4):
        await opted_in(citizen(f"+57300111000{n}", "sms"), sessions)
    elder = citizen("+573002223344", "sms")
    await elder.says("hola")
    code = await case_of(elder, sessions, settings)
    elder_id = await make_preferential(sessions, elder)
    provider = ProviderSeam()
    await drain(OutboxWorker(sessions, {"sms": provider}, policy=NOW_POLICY))
    # An alert uses up the minute's pace: two of four sent, the rest wait for the next minute.
    broadcast = await alert(sessions, settings)
    assert (await send_pass(sessions, settings, MORNING))["paced"] == 1
    assert sorted((await statuses(sessions, broadcast)).values()) == ["queued", "queued", "sent", "sent"]
    # The elder's case is resolved (a notice) and, days later, asked about (a follow-up) in that minute.
    await set_status(sessions, settings, code, "resolved")
    assert (await send_due(sessions, settings, days_later(3.1))).counts["sent"] == 1
    # One worker's smallest batch takes the elder's notice and question before the alerts queued earlier.
    before = len(provider.delivered)
    await OutboxWorker(sessions, {"sms": provider}, policy=NOW_POLICY, batch=1).run_once()
    texts = [(m.address, m.text) for m, _ in provider.delivered[before:]]
    assert [address for address, _ in texts] == [elder.address, elder.address]
    assert code in texts[0][1] and "¿Lo arreglaron?" in texts[1][1]
    assert await questions_in_order(sessions) == [elder_id]


async def test_among_many_due_followups_the_preferential_citizens_goes_first(
    citizen: Callable[..., Talker], sessions: Sessions, settings: Settings
) -> None:
    people = [citizen(f"web-vecina-{n}c0ffee42", "rest") for n in range(4)]
    codes = []
    for talker in people:
        await talker.says("hola")
        codes.append(await case_of(talker, sessions, settings))
    for code in codes:
        await set_status(sessions, settings, code, "resolved")  # the last one resolved is asked last
    last = await make_preferential(sessions, people[-1])
    assert (await send_due(sessions, settings, days_later(3.1))).counts["sent"] == 4
    asked = await questions_in_order(sessions)
    assert asked[0] == last and len(set(asked)) == 4


async def test_a_paced_alert_reaches_preferential_citizens_first(
    citizen: Callable[..., Talker], sessions: Sessions, settings: Settings
) -> None:
    settings = paced(settings, 1)
    ids = [await opted_in(citizen(f"web-vecino-{n}bead5e7", "rest"), sessions) for n in range(3)]
    elder = citizen("web-vecino-2bead5e7", "rest")
    await make_preferential(sessions, elder)
    broadcast = await alert(sessions, settings)
    await send_pass(sessions, settings, MORNING)
    assert await statuses(sessions, broadcast) == {ids[0]: "queued", ids[1]: "queued", ids[2]: "sent"}
