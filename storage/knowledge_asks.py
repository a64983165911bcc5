"""The questions put to the knowledge base: recorded by the dialogue, "¿Te sirvió?" answered later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from storage.engine import AsyncSession
from storage.models import Case, KnowledgeAsk, KnowledgeOutcome


async def record(
    session: AsyncSession,
    *,
    citizen_id: int,
    message_id: int | None,
    channel: str,
    language: str,
    question: str,
    folded: str,
    outcome: str,
    topic: str | None,
    score: float,
    now: datetime,
) -> KnowledgeAsk:
    """One question (already masked) and what the knowledge base found for it; flushed, so it has an id."""
    ask = KnowledgeAsk(
        citizen_id=citizen_id,
        message_id=message_id,
        channel=channel,
        language=language,
        question=question,
        folded=folded[:200],
        outcome=outcome,
        topic=topic,
        score=score,
        created_at=now,
    )
    session.add(ask)
    await session.flush()
    return ask


async def mine(session: AsyncSession, ask_id: int, citizen_id: int) -> KnowledgeAsk | None:
    """The citizen's own recorded question, or None (someone else's id gets nothing)."""
    ask = await session.get(KnowledgeAsk, ask_id)
    return ask if ask is not None and ask.citizen_id == citizen_id else None


async def mark_useful(
    session: AsyncSession, ask_id: int, citizen_id: int, useful: bool, now: datetime
) -> KnowledgeAsk | None:
    """ "¿Te sirvió?" answered: the latest answer counts."""
    ask = await mine(session, ask_id, citizen_id)
    if ask is not None:
        ask.useful, ask.answered_at = useful, now
    return ask


async def mark_chosen(session: AsyncSession, ask_id: int, citizen_id: int, topic: str) -> KnowledgeAsk | None:
    """A choice between topics answered: the topic the citizen picked."""
    ask = await mine(session, ask_id, citizen_id)
    if ask is not None:
        ask.topic = topic
    return ask


async def mark_missed(session: AsyncSession, ask_id: int, citizen_id: int) -> KnowledgeAsk | None:
    """ "Ninguno" to the topics offered: none was it, so the question counts as one nothing answered."""
    ask = await mine(session, ask_id, citizen_id)
    if ask is not None:
        ask.outcome, ask.topic = KnowledgeOutcome.MISS, None
    return ask


async def last_point(session: AsyncSession, citizen_id: int) -> tuple[float, float] | None:
    """Where the citizen's latest case with a point was: the area an answer by area may use."""
    row = (
        await session.execute(
            select(Case.latitude, Case.longitude)
            .where(Case.citizen_id == citizen_id, Case.latitude.is_not(None), Case.longitude.is_not(None))
            .order_by(Case.id.desc())
            .limit(1)
        )
    ).first()
    return (row[0], row[1]) if row is not None and row[0] is not None and row[1] is not None else None
