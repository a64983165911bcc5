"""Finding cases in bulk: the inbox's case list and CSV export, and Open311's request listing.

Each function takes the session explicitly and never commits."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy import case as when_then
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OPEN_STATUSES, Case
from storage.preferential import preferential_case
from storage.scope import Scope, case_in_scope

CODE = re.compile(r"^([2-9A-Z]{3})-?([2-9A-Z]{3})$")  # a case code as typed: the dash optional


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""  # a case code, or words of the description or address
    service: str = ""
    status: str = ""
    department: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    zone: tzinfo = UTC  # whose days date_from and date_to are (the city's)
    scope: Scope = None  # the departments of the staff member who searches


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(filters: CaseFilter) -> list[ColumnElement[bool]]:
    conditions = case_in_scope(filters.scope)
    q = filters.q.strip()
    if q:
        text = [Case.description.ilike(_like(q), escape="\\"), Case.address.ilike(_like(q), escape="\\")]
        code = CODE.match(q.upper().replace(" ", ""))
        conditions.append(or_(Case.code == f"{code[1]}-{code[2]}", *text) if code else or_(*text))
    if filters.service:
        conditions.append(Case.service_code == filters.service)
    if filters.status == "active":
        conditions.append(Case.status.in_(OPEN_STATUSES))
    elif filters.status:
        conditions.append(Case.status == filters.status)
    if filters.department:
        conditions.append(Case.department == filters.department)
    if filters.date_from is not None:
        conditions.append(Case.created_at >= datetime.combine(filters.date_from, time(), filters.zone))
    if filters.date_to is not None:
        conditions.append(
            Case.created_at < datetime.combine(filters.date_to + timedelta(days=1), time(), filters.zone)
        )
    return conditions


def _cases(filters: CaseFilter) -> Select[Case]:
    return select(Case).where(*_conditions(filters)).order_by(Case.created_at.desc(), Case.id.desc())


def _to_work(filters: CaseFilter) -> Select[Case]:
    """The list staff work from: a preferential citizen's open cases first (issue 19), then newest first.
    A closed case keeps its priority for the figures, but no longer jumps ahead of open ones."""
    first = when_then((and_(preferential_case(), Case.status.in_(OPEN_STATUSES)), 0), else_=1)
    return select(Case).where(*_conditions(filters)).order_by(first, Case.created_at.desc(), Case.id.desc())


async def search_cases(
    session: AsyncSession, filters: CaseFilter, *, page: int = 1, per_page: int = 50
) -> tuple[Sequence[Case], int]:
    """One page of the cases that match, preferential open ones first then newest first, and how many match
    in all. (The CSV export stays newest first: a file for analysis, not a work list.)"""
    total = await session.scalar(select(func.count()).select_from(Case).where(*_conditions(filters)))
    rows = await session.scalars(_to_work(filters).offset((page - 1) * per_page).limit(per_page))
    return rows.all(), int(total or 0)


async def stream_cases(session: AsyncSession, filters: CaseFilter) -> AsyncIterator[Case]:
    """Every matching case, read in batches so an export of the whole city never sits in memory."""
    result = await session.stream_scalars(_cases(filters).execution_options(yield_per=500))
    async for case in result:
        yield case


async def find_cases(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    service_codes: Sequence[str] = (),
    is_open: bool | None = None,
    limit: int,
    offset: int = 0,
) -> Sequence[Case]:
    """Cases filed between `start` and `end`, newest first; `is_open` None means any status."""
    query = select(Case).where(Case.created_at >= start, Case.created_at <= end)
    if service_codes:
        query = query.where(Case.service_code.in_(service_codes))
    if is_open is True:
        query = query.where(Case.status.in_(OPEN_STATUSES))
    elif is_open is False:
        query = query.where(Case.status.not_in(OPEN_STATUSES))
    query = query.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit).offset(offset)
    return (await session.scalars(query)).all()
