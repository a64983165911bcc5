"""What citizens asked the knowledge base, counted for the supervisors' page: the questions nothing answered
and those answered "no me sirvió", grouped by their folded words, and each topic's figures. Only masked
text and counts leave here: never a citizen, a message or an address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select

from storage.engine import AsyncSession
from storage.models import KnowledgeAsk, KnowledgeOutcome

MOST_GROUPS = 200  # groups listed at most: the long tail of one-off questions says little


@dataclass(frozen=True)
class Asked:
    """One question as many people asked it: an example of its (masked) words and how often."""

    example: str
    count: int
    last_at: datetime
    languages: tuple[str, ...]
    topic: str | None  # for "no me sirvió": the topic whose answer did not serve


@dataclass(frozen=True)
class TopicFigures:
    """One topic over the period: answered outright, picked from a choice, and "¿Te sirvió?"."""

    topic: str
    answered: int
    chosen: int
    useful: int
    not_useful: int

    @property
    def share_useful(self) -> float | None:
        said = self.useful + self.not_useful
        return self.useful / said if said else None


@dataclass(frozen=True)
class Report:
    misses: tuple[Asked, ...]
    not_useful: tuple[Asked, ...]
    topics: tuple[TopicFigures, ...]
    misses_without_text: int  # erased or past retention: still counted, no longer readable
    not_useful_without_text: int


def _missed() -> ColumnElement[bool]:
    return KnowledgeAsk.outcome == KnowledgeOutcome.MISS


def _did_not_serve() -> ColumnElement[bool]:
    return KnowledgeAsk.useful.is_(False)


async def _groups(
    session: AsyncSession, since: datetime, which: ColumnElement[bool], by_topic: bool
) -> list[Asked]:
    """The groups of one list, most frequent first (then the latest), each with its latest wording."""
    keys = [KnowledgeAsk.folded, *([KnowledgeAsk.topic] if by_topic else [])]
    times, last = func.count().label("times"), func.max(KnowledgeAsk.created_at).label("last_at")
    counted = await session.execute(
        select(*keys, times, last)
        .where(which, KnowledgeAsk.created_at >= since, KnowledgeAsk.folded.is_not(None))
        .group_by(*keys)
        .order_by(times.desc(), last.desc(), KnowledgeAsk.folded)
        .limit(MOST_GROUPS)
    )
    groups: list[tuple[str, str | None, int, datetime]] = [
        (row.folded, row.topic if by_topic else None, row.times, row.last_at) for row in counted.all()
    ]
    if not groups:
        return []
    wordings = await session.execute(
        select(KnowledgeAsk.folded, KnowledgeAsk.topic, KnowledgeAsk.question, KnowledgeAsk.language)
        .where(
            which,
            KnowledgeAsk.created_at >= since,
            KnowledgeAsk.folded.in_({folded for folded, *_ in groups}),
        )
        .order_by(KnowledgeAsk.created_at.desc(), KnowledgeAsk.id.desc())
    )
    example: dict[tuple[str, str | None], str] = {}
    languages: dict[tuple[str, str | None], set[str]] = {}
    for folded, topic, question, language in wordings.all():
        key = (str(folded), topic if by_topic else None)
        if question:
            example.setdefault(key, question)
        languages.setdefault(key, set()).add(language)
    return [
        Asked(
            example=example.get((folded, topic), folded),
            count=count,
            last_at=last_at,
            languages=tuple(sorted(languages.get((folded, topic), set()))),
            topic=topic,
        )
        for folded, topic, count, last_at in groups
    ]


async def _without_text(session: AsyncSession, since: datetime, which: ColumnElement[bool]) -> int:
    found = await session.scalar(
        select(func.count()).where(which, KnowledgeAsk.created_at >= since, KnowledgeAsk.folded.is_(None))
    )
    return int(found or 0)


def _tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def topic_figures(session: AsyncSession, since: datetime) -> list[TopicFigures]:
    """Every topic asked about since `since` (one answered, or chosen from a choice)."""
    found = await session.execute(
        select(
            KnowledgeAsk.topic,
            _tally(KnowledgeAsk.outcome == KnowledgeOutcome.ANSWERED),
            _tally(KnowledgeAsk.outcome == KnowledgeOutcome.CHOICE),
            _tally(KnowledgeAsk.useful.is_(True)),
            _tally(KnowledgeAsk.useful.is_(False)),
        )
        .where(KnowledgeAsk.created_at >= since, KnowledgeAsk.topic.is_not(None))
        .group_by(KnowledgeAsk.topic)
        .order_by(KnowledgeAsk.topic)
    )
    return [TopicFigures(str(t), int(a), int(c), int(y), int(n)) for t, a, c, y, n in found.all()]


async def report(session: AsyncSession, since: datetime) -> Report:
    return Report(
        misses=tuple(await _groups(session, since, _missed(), by_topic=False)),
        not_useful=tuple(await _groups(session, since, _did_not_serve(), by_topic=True)),
        topics=tuple(await topic_figures(session, since)),
        misses_without_text=await _without_text(session, since, _missed()),
        not_useful_without_text=await _without_text(session, since, _did_not_serve()),
    )
