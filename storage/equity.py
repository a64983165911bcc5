"""The equity figures' counting (issue 19): for the cases filed in a period, each case's first response and
resolution against its targets, summed into groups (preferential or not, area, channel) here in storage,
so only group figures leave it — the public page's and the supervisors' alike. Takes the session
explicitly and never commits.

A case's first response is the first time a person acted visibly for the citizen after it was filed: a
staff message to the citizen (not an internal note) or a status change by staff, whichever came first.
Its resolution is its first change to "resolved" (as the dashboard's). Open cases past a target count as
misses; open ones still within it, and cases closed without a person or a resolution, are not counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import func, select

from storage.engine import AsyncSession
from storage.models import OPEN_STATUSES, Author, Case, CaseEvent, Direction, Message
from storage.preferential import preferential_case
from storage.scope import Scope, case_in_scope


@dataclass(frozen=True)
class Filed:
    """One case's place and clocks; it never leaves this module."""

    channel: str
    department: str
    preferential: bool
    latitude: float | None
    longitude: float | None
    address: str | None
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    still_open: bool


@dataclass(frozen=True)
class GroupFigures:
    cases: int
    answered: int  # cases a person answered: the first response's median is over these
    median_first_response: float | None  # seconds
    first_within: int
    first_counted: int  # answered, or open and past the target
    resolved: int  # cases resolved: the resolution's median is over these
    median_resolution: float | None  # seconds
    resolved_within: int
    resolution_counted: int

    @property
    def first_share(self) -> float | None:
        return self.first_within / self.first_counted if self.first_counted else None

    @property
    def resolved_share(self) -> float | None:
        return self.resolved_within / self.resolution_counted if self.resolution_counted else None


@dataclass
class _Sums:
    cases: int = 0
    waits: list[float] = field(default_factory=list)
    first: list[bool] = field(default_factory=list)
    spans: list[float] = field(default_factory=list)
    resolved: list[bool] = field(default_factory=list)

    def add(self, case: Filed, targets: tuple[timedelta, timedelta | None], now: datetime) -> None:
        first_target, resolution_target = targets
        self.cases += 1
        if case.first_response_at is not None:
            waited = case.first_response_at - case.created_at
            self.waits.append(waited.total_seconds())
            self.first.append(waited <= first_target)
        elif case.still_open and now - case.created_at > first_target:
            self.first.append(False)
        if case.resolved_at is not None:
            span = case.resolved_at - case.created_at
            self.spans.append(span.total_seconds())
            if resolution_target is not None:
                self.resolved.append(span <= resolution_target)
        elif case.still_open and resolution_target is not None and now - case.created_at > resolution_target:
            self.resolved.append(False)

    def figures(self) -> GroupFigures:
        return GroupFigures(
            self.cases,
            len(self.waits),
            median(self.waits) if self.waits else None,
            sum(self.first),
            len(self.first),
            len(self.spans),
            median(self.spans) if self.spans else None,
            sum(self.resolved),
            len(self.resolved),
        )


Group = tuple[str, str]  # (what the group is by, which one): ("area", "centro")
Keys = Callable[[Filed], Iterable[Group]]
Targets = Callable[[str, bool], tuple[timedelta, timedelta | None]]


async def group_figures(
    session: AsyncSession,
    since: datetime,
    until: datetime,
    now: datetime,
    *,
    groups_of: Keys,
    targets: Targets,
    scope: Scope = None,
) -> dict[Group, GroupFigures]:
    """The figures of each group `groups_of` puts a case in, over the cases filed in [since, until);
    `targets(department, preferential)` gives its (first response, resolution) targets."""
    sums: dict[Group, _Sums] = defaultdict(_Sums)
    async for case in _filed(session, since, until, scope):
        case_targets = targets(case.department, case.preferential)
        for key in groups_of(case):
            sums[key].add(case, case_targets, now)
    return {key: s.figures() for key, s in sums.items()}


async def _filed(
    session: AsyncSession, since: datetime, until: datetime, scope: Scope
) -> AsyncIterator[Filed]:
    by_staff = (
        select(CaseEvent.case_id, func.min(CaseEvent.created_at).label("at"))
        .where(CaseEvent.kind == "status", CaseEvent.actor == Author.STAFF)
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    resolved = (
        select(CaseEvent.case_id, func.min(CaseEvent.created_at).label("at"))
        .where(CaseEvent.kind == "status", CaseEvent.to_value == "resolved")
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    written = (
        select(func.min(Message.created_at))
        .where(
            Message.citizen_id == Case.citizen_id,
            Message.created_at >= Case.created_at,
            Message.author == Author.STAFF,
            Message.direction == Direction.OUT,
            Message.internal.is_(False),
        )
        .scalar_subquery()
    )
    query = (
        select(
            Case.channel,
            Case.department,
            preferential_case(),
            Case.latitude,
            Case.longitude,
            Case.address,
            Case.created_at,
            by_staff.c.at,
            written,
            resolved.c.at,
            Case.status.in_(OPEN_STATUSES),
        )
        .outerjoin(by_staff, by_staff.c.case_id == Case.id)
        .outerjoin(resolved, resolved.c.case_id == Case.id)
        .where(Case.created_at >= since, Case.created_at < until, *case_in_scope(scope))
        .execution_options(yield_per=2000)
    )
    result = await session.stream(query)
    async for rows in result.partitions():  # a batch at a time: a row at a time costs a thread switch each
        for row in rows:
            yield _one(row)


def _one(row: Any) -> Filed:
    channel, department, preferential, lat, lon, address, created, staff_at, wrote_at, resolved_at, still = (
        row
    )
    answers = [at for at in (staff_at, wrote_at) if at is not None]
    return Filed(
        channel,
        department,
        bool(preferential),
        lat,
        lon,
        address,
        created,
        min(answers) if answers else None,
        resolved_at,
        bool(still),
    )
