"""The questions put to the knowledge base and the person who asked: erasure and retention take their words
and the tie to the citizen and message, and keep the row (outcome, topic, "¿Te sirvió?", dates), so the
supervisors' counts do not change; merging two citizens moves them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update

from storage.engine import AsyncSession
from storage.models import Citizen, KnowledgeAsk

# What a question loses: its words, and every way back to who asked.
_FORGOTTEN = {"question": None, "folded": None, "citizen_id": None, "message_id": None}


async def forget(session: AsyncSession, citizen_ids: Collection[int]) -> None:
    """The citizens' questions (erased, or removed with their web chat) keep only their counts."""
    if citizen_ids:
        await session.execute(
            update(KnowledgeAsk).where(KnowledgeAsk.citizen_id.in_(list(citizen_ids))).values(_FORGOTTEN)
        )


async def move(session: AsyncSession, source_id: int, target_id: int) -> None:
    """Two citizens joined into one: the source's questions become the target's."""
    await session.execute(
        update(KnowledgeAsk).where(KnowledgeAsk.citizen_id == source_id).values(citizen_id=target_id)
    )


def _old(before: datetime) -> ColumnElement[bool]:
    """Asked before `before`, still holding words, and not of a citizen a supervisor holds (an open legal
    matter stops every retention rule for that citizen)."""
    held = select(Citizen.id).where(Citizen.erasure_hold.is_not(None))
    return (
        (KnowledgeAsk.created_at < before)
        & or_(KnowledgeAsk.question.is_not(None), KnowledgeAsk.folded.is_not(None))
        & or_(KnowledgeAsk.citizen_id.is_(None), KnowledgeAsk.citizen_id.not_in(held))
    )


async def count_old(session: AsyncSession, before: datetime) -> int:
    """How many questions the retention rule would blank (the dry run's figure)."""
    return int(await session.scalar(select(func.count()).select_from(KnowledgeAsk).where(_old(before))) or 0)


async def blank_old(session: AsyncSession, before: datetime) -> int:
    """Past `knowledge.keep_questions_days`: the words go and the tie to the citizen and message; the
    row stays, so every figure on the supervisors' page stays. The number blanked."""
    result = await session.execute(update(KnowledgeAsk).where(_old(before)).values(_FORGOTTEN))
    return int(getattr(result, "rowcount", 0) or 0)
