"""Cases with equity figures worked out by hand (issue 19): preferential and not, three areas and none,
four channels, first responses and resolutions within and beyond the targets, the halved ones too.

All in sanitation: 60 minutes to a first response and 48 hours to resolve; 30 minutes and 24 hours for a
preferential citizen (factor 0.5). The expected table is in tests/inbox/test_equity.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import cases as case_rows
from storage.models import Author, Citizen, Direction, Message
from storage.preferential import PREFERENTIAL_PRIORITY

CENTRO, NORTE = (4.60, -74.08), (4.70, -74.05)


@dataclass(frozen=True)
class Seeded:
    """One case: filed `days` ago; events (minutes after filing, actor, status) and messages (minutes
    after filing — negative: before it —, author, internal)."""

    days: float
    preferential: bool
    channel: str
    point: tuple[float, float] | None = None
    address: str | None = None
    status: str = "open"
    events: list[tuple[float, str, str]] = field(default_factory=list)
    messages: list[tuple[float, str, bool]] = field(default_factory=list)


CASES = [
    # 1: preferential, centro, answered in 20 min, resolved in 20 h: both within the halved targets.
    Seeded(10, True, "whatsapp", CENTRO, status="resolved",
           events=[(20 * 60, "staff", "resolved")], messages=[(20, "staff", False)]),
    # 2: preferential, centro by its address; staff acknowledged at 40 min and resolved at 30 h: within
    # the common targets, beyond the halved ones.
    Seeded(9, True, "sms", None, "Calle 5 # 2-10, la candelaria", status="resolved",
           events=[(40, "staff", "acknowledged"), (30 * 60, "staff", "resolved")]),
    # 3: preferential, no area, open 5 days, nobody answered (the system's acknowledgement is not a person).
    Seeded(5, True, "whatsapp", None, "Kennedy", events=[(1, "system", "acknowledged")]),
    # 4: centro, an internal note at 5 min (not an answer), a message at 50 min, resolved in 40 h.
    Seeded(8, False, "whatsapp", CENTRO, status="resolved",
           events=[(40 * 60, "staff", "resolved")], messages=[(5, "staff", True), (50, "staff", False)]),
    # 5: norte, a staff message the day before (another matter), answered at 90 min, resolved in 60 h.
    Seeded(7, False, "sms", NORTE, status="resolved",
           events=[(60 * 60, "staff", "resolved")],
           messages=[(-24 * 60, "staff", False), (90, "staff", False)]),
    # 6: norte, staff moved it at 30 min and resolved it in 10 h.
    Seeded(6, False, "email", NORTE, status="resolved",
           events=[(30, "staff", "in_progress"), (10 * 60, "staff", "resolved")]),
    # 7: no area, filed 30 minutes ago: within both targets still, so not counted yet.
    Seeded(30 / 1440, False, "rest"),
    # 8: filed 40 days ago: outside the last 30 days.
    Seeded(40, False, "sms", NORTE, status="resolved", events=[(60, "staff", "resolved")]),
    # 9: centro, the bot at 1 min, a person at 2 h, rejected at 3 h: a late answer, no resolution to count.
    Seeded(3, False, "whatsapp", CENTRO, status="rejected",
           events=[(180, "staff", "rejected")], messages=[(1, "bot", False), (120, "staff", False)]),
]  # fmt: skip


async def seed_equity(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    async with sessions() as session, session.begin():
        for seeded in CASES:
            await _add(session, seeded, now)


# Five more in each of centro (resolved in 10 h) and norte (open 5 days, past both targets): centro then
# resolves 7 of 8 within target (88 %), norte 1 of 7 (14 %), a gap of 73 points.
GAP = [Seeded(4, False, "telegram", CENTRO, status="resolved", events=[(600, "staff", "resolved")])] * 5 + [
    Seeded(5, False, "telegram", NORTE)
] * 5


async def seed_gap(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    async with sessions() as session, session.begin():
        for seeded in GAP:
            await _add(session, seeded, now)


async def _add(session: AsyncSession, seeded: Seeded, now: datetime) -> None:
    filed = now - timedelta(days=seeded.days)
    citizen = Citizen(display_name="vecina", preferential="elderly" if seeded.preferential else None)
    session.add(citizen)
    await session.flush()
    lat, lon = seeded.point or (None, None)
    case = await case_rows.add_case(
        session, citizen_id=citizen.id, service_code="garbage", description="basura", department="sanitation",
        channel=seeded.channel, status=seeded.status, created_at=filed, latitude=lat, longitude=lon,
        address=seeded.address, priority=PREFERENTIAL_PRIORITY if seeded.preferential else 0,
    )  # fmt: skip
    await case_rows.add_case_event(session, case, "created", actor="citizen", to_value="open", at=filed)
    for minutes, actor, status in seeded.events:
        at = filed + timedelta(minutes=minutes)
        await case_rows.add_case_event(session, case, "status", actor=actor, to_value=status, at=at)
    for minutes, author, internal in seeded.messages:
        session.add(
            Message(
                citizen_id=citizen.id, direction=Direction.OUT, author=Author(author), channel=seeded.channel,
                address="x", text="hola", internal=internal, created_at=filed + timedelta(minutes=minutes),
            )
        )  # fmt: skip
