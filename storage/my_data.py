"""What "mis datos" reads about one citizen: their channels, the cases they filed or joined, their topics.

Three queries, whatever the number of cases. Only this citizen's rows: of a case they joined, its code and
status, never its reporter. Each function takes the session explicitly and never commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, CaseSupporter, ChannelIdentity, Subscription


@dataclass(frozen=True)
class HeldChannel:
    channel: str
    address: str
    display_name: str | None
    opted_out: bool


@dataclass(frozen=True)
class HeldCase:
    code: str
    status: str
    own: bool  # filed by this citizen; False: someone else's report they joined
    publish_consent: bool | None  # their answer to publishing the description (own cases only)


@dataclass(frozen=True)
class HeldTopic:
    topic: str
    area: str | None  # None: the whole city
    status: str  # active | paused | left


@dataclass(frozen=True)
class Held:
    channels: list[HeldChannel]
    cases: list[HeldCase]  # newest first
    topics: list[HeldTopic] = field(default_factory=list)  # in the order the citizen opted in


async def held(session: AsyncSession, citizen_id: int) -> Held:
    channels = await session.execute(
        select(
            ChannelIdentity.channel,
            ChannelIdentity.address,
            ChannelIdentity.display_name,
            ChannelIdentity.opted_out,
        )
        .where(ChannelIdentity.citizen_id == citizen_id)
        .order_by(ChannelIdentity.id)
    )
    joined = select(CaseSupporter.case_id).where(CaseSupporter.citizen_id == citizen_id)
    cases = await session.execute(
        select(Case.code, Case.status, Case.citizen_id, Case.publish_consent)
        .where(or_(Case.citizen_id == citizen_id, Case.id.in_(joined)))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )
    topics = await session.execute(
        select(Subscription.topic, Subscription.area, Subscription.status)
        .where(Subscription.citizen_id == citizen_id)
        .order_by(Subscription.id)
    )
    return Held(
        [HeldChannel(c, a, n, bool(o)) for c, a, n, o in channels.all()],
        [
            HeldCase(code, status, owner == citizen_id, consent if owner == citizen_id else None)
            for code, status, owner, consent in cases.all()
        ],
        [HeldTopic(topic, area, status) for topic, area, status in topics.all()],
    )
