"""Supporters: citizens who joined someone else's report, and the open reports near a place to join.

Nearness is a box around the place in SQL (portable to SQLite and PostgreSQL, no GIS extension) and the
exact great-circle distance in Python for the few cases inside it. Each function takes the session
explicitly and never commits."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OPEN_STATUSES, Case, CaseSupporter

EARTH_RADIUS_M = 6_371_008.8
# Open cases of one service with a place but no point, read to compare their place's words.
MAX_PLACE_CANDIDATES = 500


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The haversine distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _open_of_service(
    service: str, since: datetime, exclude_citizen_id: int | None
) -> list[ColumnElement[bool]]:
    conditions = [Case.service_code == service, Case.status.in_(OPEN_STATUSES), Case.created_at >= since]
    if exclude_citizen_id is not None:
        conditions.append(Case.citizen_id.is_distinct_from(exclude_citizen_id))
    return conditions


async def open_cases_near(
    session: AsyncSession,
    *,
    service: str,
    latitude: float,
    longitude: float,
    radius_m: float,
    since: datetime,
    exclude_citizen_id: int | None,
    limit: int = 3,
) -> list[tuple[Case, float]]:
    """Open cases of `service` filed since `since` within `radius_m` of the point, not the citizen's own,
    nearest first, with their distance in metres."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    # A degree of longitude shrinks towards the poles; near them the box is every longitude.
    cos_lat = math.cos(math.radians(latitude))
    dlon = 180.0 if cos_lat < 1e-6 else min(180.0, dlat / cos_lat)
    rows = await session.scalars(
        select(Case).where(
            *_open_of_service(service, since, exclude_citizen_id),
            Case.latitude.between(latitude - dlat, latitude + dlat),
            Case.longitude.between(longitude - dlon, longitude + dlon),
        )
    )
    found = []
    for case in rows.all():
        assert case.latitude is not None and case.longitude is not None
        metres = distance_m(latitude, longitude, case.latitude, case.longitude)
        if metres <= radius_m:
            found.append((case, metres))
    found.sort(key=lambda pair: (pair[1], pair[0].id))
    return found[:limit]


async def open_cases_with_place(
    session: AsyncSession, *, service: str, since: datetime, exclude_citizen_id: int | None
) -> Sequence[Case]:
    """Open cases of `service` filed since `since` that name a place, newest first (for a report with a
    place in words and no point: the caller compares the words)."""
    rows = await session.scalars(
        select(Case)
        .where(*_open_of_service(service, since, exclude_citizen_id), Case.address.is_not(None))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(MAX_PLACE_CANDIDATES)
    )
    return rows.all()


async def case_by_id(session: AsyncSession, case_id: int, *, lock: bool = False) -> Case | None:
    query = select(Case).where(Case.id == case_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def supporter_counts(session: AsyncSession, case_ids: Iterable[int]) -> dict[int, int]:
    """How many citizens joined each case (cases nobody joined are left out)."""
    ids = set(case_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(CaseSupporter.case_id, func.count())
        .where(CaseSupporter.case_id.in_(ids))
        .group_by(CaseSupporter.case_id)
    )
    return {case_id: int(count) for case_id, count in rows.all()}


async def latest_open_case_supporters(session: AsyncSession, citizen_ids: Iterable[int]) -> dict[int, int]:
    """For the queue: how many joined each citizen's latest open case (the one that gives the conversation
    its department), by citizen; citizens whose case nobody joined are left out."""
    ids = set(citizen_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Case.citizen_id, Case.id)
        .where(Case.citizen_id.in_(ids), Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at, Case.id)
    )
    latest = {
        citizen_id: case_id for citizen_id, case_id in rows.all() if citizen_id is not None
    }  # the last wins
    counts = await supporter_counts(session, latest.values())
    return {citizen_id: counts[case_id] for citizen_id, case_id in latest.items() if case_id in counts}


async def supporters_of(session: AsyncSession, case_id: int) -> Sequence[CaseSupporter]:
    rows = await session.scalars(
        select(CaseSupporter).where(CaseSupporter.case_id == case_id).order_by(CaseSupporter.id)
    )
    return rows.all()


async def add_supporter(
    session: AsyncSession,
    case: Case,
    citizen_id: int,
    *,
    channel: str,
    distance_m: float | None = None,
    at: datetime | None = None,
) -> bool:
    """Make the citizen a supporter of the case; False when they already are one or filed it themselves.
    (A citizen's turns never interleave, so reading first is enough; the unique key backs it up.)"""
    if case.citizen_id == citizen_id:
        return False
    already = await session.scalar(
        select(CaseSupporter.id).where(
            CaseSupporter.case_id == case.id, CaseSupporter.citizen_id == citizen_id
        )
    )
    if already is not None:
        return False
    supporter = CaseSupporter(case_id=case.id, citizen_id=citizen_id, channel=channel, distance_m=distance_m)
    if at is not None:
        supporter.created_at = at
    session.add(supporter)
    await session.flush()
    return True


async def people_of(session: AsyncSession, case: Case) -> list[int]:
    """Everyone who cares about the case: its citizen first, then its supporters in the order they joined."""
    people = [case.citizen_id] if case.citizen_id is not None else []
    for supporter in await supporters_of(session, case.id):
        if supporter.citizen_id not in people:
            people.append(supporter.citizen_id)
    return people


async def move_supporters(session: AsyncSession, source_id: int, target_id: int) -> None:
    """A citizen folded into another (storage/citizens.merge_citizens) keeps what they joined: once per
    case, and never a case that is now their own."""
    own = select(Case.id).where(Case.citizen_id == target_id)
    held = select(CaseSupporter.case_id).where(CaseSupporter.citizen_id == target_id)
    source = CaseSupporter.citizen_id == source_id
    await session.execute(delete(CaseSupporter).where(source, CaseSupporter.case_id.in_(held)))
    await session.execute(update(CaseSupporter).where(source).values(citizen_id=target_id))
    await session.execute(
        delete(CaseSupporter).where(CaseSupporter.citizen_id == target_id, CaseSupporter.case_id.in_(own))
    )
