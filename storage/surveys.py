"""Surveys' SQL: the survey rows, a citizen's answers (one per question, whatever the channel), the deliveries
that let a citizen answer, and the counts the results are made of.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Broadcast, Delivery, DeliveryStatus, Survey, SurveyAnswer

# A delivery in these states reached the citizen: they may answer (and answer again) until it closes.
RECEIVED = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.ANSWERED)


async def add(session: AsyncSession, survey: Survey) -> Survey:
    session.add(survey)
    await session.flush()
    return survey


async def by_slug(session: AsyncSession, slug: str) -> Survey | None:
    return await session.scalar(select(Survey).where(Survey.slug == slug))


async def by_id(session: AsyncSession, survey_id: int) -> Survey | None:
    return await session.get(Survey, survey_id)


async def by_reference(session: AsyncSession, reference: str) -> Survey | None:
    """A survey by its id ("12") or its slug ("presupuesto-2027")."""
    if reference.isdigit():
        found = await by_id(session, int(reference))
        if found is not None:
            return found
    return await by_slug(session, reference)


async def every(session: AsyncSession) -> Sequence[Survey]:
    """All surveys, the latest to open first."""
    return (await session.scalars(select(Survey).order_by(Survey.opens_at.desc(), Survey.id.desc()))).all()


async def closed(session: AsyncSession, now: datetime) -> Sequence[Survey]:
    """The surveys closed by `now`, the latest to close first: the ones whose results are final."""
    found = await session.scalars(
        select(Survey).where(Survey.closes_at <= now).order_by(Survey.closes_at.desc(), Survey.id.desc())
    )
    return found.all()


async def received(session: AsyncSession, citizen_id: int, now: datetime) -> list[tuple[Survey, Delivery]]:
    """The open surveys that reached this citizen, each with its delivery, the latest sent first."""
    rows = await session.execute(
        select(Survey, Delivery)
        .join(Broadcast, Broadcast.survey_id == Survey.id)
        .join(Delivery, Delivery.broadcast_id == Broadcast.id)
        .where(
            Delivery.citizen_id == citizen_id,
            Delivery.status.in_(RECEIVED),
            Survey.opens_at <= now,
            Survey.closes_at > now,
        )
        .order_by(Delivery.sent_at.desc(), Delivery.id.desc())
    )
    seen: dict[int, tuple[Survey, Delivery]] = {}
    for survey, delivery in rows:
        seen.setdefault(survey.id, (survey, delivery))
    return list(seen.values())


async def delivery_for(
    session: AsyncSession, delivery_id: int, citizen_id: int, survey_id: int
) -> Delivery | None:
    """The delivery only if it is this citizen's copy of this survey and reached them."""
    return await session.scalar(
        select(Delivery)
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(
            Delivery.id == delivery_id,
            Delivery.citizen_id == citizen_id,
            Broadcast.survey_id == survey_id,
            Delivery.status.in_(RECEIVED),
        )
    )


async def mark_answered(session: AsyncSession, delivery: Delivery, now: datetime) -> None:
    if delivery.status != DeliveryStatus.ANSWERED:
        delivery.status, delivery.answered_at = DeliveryStatus.ANSWERED, now


async def record(
    session: AsyncSession,
    survey_id: int,
    citizen_id: int,
    question: str,
    *,
    kind: str,
    value: Any,
    channel: str,
    now: datetime,
) -> None:
    """This citizen's answer to the question, replacing any earlier one (from any of their channels)."""
    found = await session.scalar(
        select(SurveyAnswer).where(
            SurveyAnswer.survey_id == survey_id,
            SurveyAnswer.citizen_id == citizen_id,
            SurveyAnswer.question == question,
        )
    )
    if found is None:
        session.add(
            SurveyAnswer(
                survey_id=survey_id,
                citizen_id=citizen_id,
                question=question,
                kind=kind,
                value=value,
                channel=channel,
                answered_at=now,
            )
        )
    else:
        found.kind, found.value, found.channel, found.answered_at = kind, value, channel, now
    await session.flush()


async def withdraw(session: AsyncSession, survey_id: int, citizen_id: int, question: str) -> None:
    """A skipped question leaves no earlier answer behind (answering again replaces everything)."""
    await session.execute(
        delete(SurveyAnswer).where(
            SurveyAnswer.survey_id == survey_id,
            SurveyAnswer.citizen_id == citizen_id,
            SurveyAnswer.question == question,
        )
    )


async def answers(session: AsyncSession, survey_id: int) -> list[tuple[str, str, Any]]:
    """Every answer's (question, kind, value), erased citizens' included (their text is already gone)."""
    rows = await session.execute(
        select(SurveyAnswer.question, SurveyAnswer.kind, SurveyAnswer.value)
        .where(SurveyAnswer.survey_id == survey_id)
        .order_by(SurveyAnswer.id)
    )
    return [(q, k, v) for q, k, v in rows]


async def texts(session: AsyncSession, survey_id: int) -> list[tuple[str, str, datetime]]:
    """The free-text answers still held (question, text, when), for supervisors only."""
    rows = await session.execute(
        select(SurveyAnswer.question, SurveyAnswer.value, SurveyAnswer.answered_at)
        .where(SurveyAnswer.survey_id == survey_id, SurveyAnswer.kind == "text")
        .order_by(SurveyAnswer.answered_at, SurveyAnswer.id)
    )
    return [(q, str(v), at) for q, v, at in rows if isinstance(v, str) and v]


async def respondents(session: AsyncSession, survey_id: int) -> int:
    """Citizens who answered: deliveries marked answered, or distinct answering citizens if more."""
    answered = await session.scalar(
        select(func.count(Delivery.id))
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Broadcast.survey_id == survey_id, Delivery.status == DeliveryStatus.ANSWERED)
    )
    citizens = await session.scalar(
        select(func.count(func.distinct(SurveyAnswer.citizen_id))).where(SurveyAnswer.survey_id == survey_id)
    )
    return max(answered or 0, citizens or 0)


async def recipients(session: AsyncSession, survey_id: int) -> dict[str, int]:
    """The survey's deliveries by status (every status present, zero when none)."""
    rows = await session.execute(
        select(Delivery.status, func.count(Delivery.id))
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Broadcast.survey_id == survey_id)
        .group_by(Delivery.status)
    )
    counted = {str(status): n for status, n in rows}
    return {status.value: counted.get(status.value, 0) for status in DeliveryStatus}
