"""Preferential attention (issue 19): giving it, withdrawing it and its record, one home for the bot's
consent and the inbox's hand. Each takes the session explicitly and never commits.

A preferential citizen's open cases carry `PREFERENTIAL_PRIORITY`: they head the queue, the case lists and
the department views, and their targets are shorter (each department's `preferential_factor`). A case keeps
the priority it had when it closed, so the equity figures of past months do not change when a citizen's
attention is withdrawn later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.orm import InstrumentedAttribute

from storage.cases import set_open_case_priority
from storage.engine import AsyncSession
from storage.models import Case, Citizen, PreferentialRecord

# Citizens with preferential attention are served first, as the paper asks.
PREFERENTIAL_PRIORITY = 10
# Who may need it: an older person, a disability or reduced mobility, pregnancy, a small child at risk,
# someone ill at home, someone who cannot read well; "other" for what staff see and these do not name.
KINDS = ("elderly", "disability", "pregnancy", "child", "illness", "reading", "other")
GRANTED, WITHDRAWN = "granted", "withdrawn"
INBOX = "inbox"  # the channel of a record staff made by hand


def preferential_case() -> ColumnElement[bool]:
    """The SQL test of a preferential case (the priority it was filed with, or had when it closed)."""
    return Case.priority >= PREFERENTIAL_PRIORITY


def citizen_preferential(
    citizen_id: ColumnElement[int | None] | InstrumentedAttribute[Any],
) -> ColumnElement[bool]:
    """The SQL test of a row whose citizen has preferential attention now: their follow-ups, notifications
    and paced deliveries are taken first (issue 19)."""
    return exists().where(Citizen.id == citizen_id, Citizen.preferential.is_not(None))


def is_preferential(case: Case) -> bool:
    return case.priority >= PREFERENTIAL_PRIORITY


def wants_plain(citizen: Citizen) -> bool:
    """Short sentences: for who asked for them, and preferential citizens unless they chose the usual."""
    if citizen.plain_language is not None:
        return citizen.plain_language
    return citizen.preferential is not None


async def grant(
    session: AsyncSession,
    citizen: Citizen,
    *,
    kind: str,
    words: str | None,
    channel: str,
    staff_id: int | None = None,
) -> int:
    """Give (or change the kind of) preferential attention, with its record; the citizen's open cases move
    up. How many cases changed."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of preferential attention: {kind!r}")
    citizen.preferential, citizen.preferential_reason = kind, words
    session.add(
        PreferentialRecord(
            citizen_id=citizen.id, action=GRANTED, kind=kind, words=words, channel=channel, staff_id=staff_id
        )
    )
    return await set_open_case_priority(session, citizen.id, PREFERENTIAL_PRIORITY)


async def withdraw(
    session: AsyncSession,
    citizen: Citizen,
    *,
    channel: str,
    words: str | None = None,
    staff_id: int | None = None,
) -> int:
    """Take preferential attention away, with its record; open cases go back to the common order. How many
    cases changed (none when there was nothing to withdraw, and then nothing is recorded)."""
    if citizen.preferential is None:
        return 0
    kind = citizen.preferential
    citizen.preferential, citizen.preferential_reason = None, None
    session.add(
        PreferentialRecord(
            citizen_id=citizen.id,
            action=WITHDRAWN,
            kind=kind,
            words=words,
            channel=channel,
            staff_id=staff_id,
        )
    )
    return await set_open_case_priority(session, citizen.id, 0)


async def records(session: AsyncSession, citizen_id: int) -> Sequence[PreferentialRecord]:
    """Every grant and withdrawal of this citizen, the latest first."""
    result = await session.scalars(
        select(PreferentialRecord)
        .where(PreferentialRecord.citizen_id == citizen_id)
        .order_by(PreferentialRecord.created_at.desc(), PreferentialRecord.id.desc())
    )
    return result.all()


async def move(session: AsyncSession, source_id: int, target_id: int) -> None:
    """A merge: the source's records become the target's."""
    await session.execute(
        update(PreferentialRecord)
        .where(PreferentialRecord.citizen_id == source_id)
        .values(citizen_id=target_id)
    )


async def preferential_kinds(session: AsyncSession, citizen_ids: Sequence[int]) -> dict[int, str]:
    """The kind of preferential attention of those of these citizens who have it now: the inbox's marks."""
    if not citizen_ids:
        return {}
    rows = await session.execute(
        select(Citizen.id, Citizen.preferential).where(
            Citizen.id.in_(set(citizen_ids)), Citizen.preferential.is_not(None)
        )
    )
    return {citizen_id: kind for citizen_id, kind in rows if kind is not None}
