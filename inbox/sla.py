"""Service-level clocks: how long a citizen has waited for a person, against their department's target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.settings import Settings
from storage.models import OPEN_STATUSES, Case
from storage.preferential import is_preferential


def first_response_target(
    settings: Settings, department: str | None, *, preferential: bool = False
) -> timedelta:
    """The department's target; a citizen with no open case gets the strictest one (nobody waits longer).
    A preferential citizen's is the department's times its `preferential_factor` (issue 19)."""
    found = settings.departments.get(department or "")
    if found is not None:
        minutes = found.first_response_minutes * (found.preferential_factor if preferential else 1.0)
        return timedelta(minutes=minutes)
    departments = settings.departments.values()
    if preferential:
        shortest = min((d.first_response_minutes * d.preferential_factor for d in departments), default=30.0)
        return timedelta(minutes=shortest)
    return timedelta(minutes=min((d.first_response_minutes for d in departments), default=60))


def resolution_target(settings: Settings, department: str, *, preferential: bool = False) -> timedelta | None:
    """The department's resolution target (times its factor for a preferential citizen's case); None for a
    department no longer in the settings."""
    found = settings.departments.get(department)
    if found is None:
        return None
    return timedelta(hours=found.resolution_hours * (found.preferential_factor if preferential else 1.0))


@dataclass(frozen=True)
class Clock:
    waited: timedelta  # until the first answer, or until now
    target: timedelta
    answered: bool

    @property
    def breached(self) -> bool:
        return self.waited > self.target

    @property
    def share(self) -> float:
        """How much of the target is used up, 0..1 (for the little bar)."""
        return min(1.0, self.waited / self.target) if self.target else 1.0


def first_response_clock(
    settings: Settings,
    department: str | None,
    waiting_since: datetime | None,
    first_response_at: datetime | None,
    now: datetime,
    *,
    preferential: bool = False,
) -> Clock | None:
    """None when no wait is running (a conversation taken straight from the bot). A preferential citizen's
    clock runs against their shorter target."""
    if waiting_since is None:
        return None
    answered = first_response_at is not None and first_response_at >= waiting_since
    until = first_response_at if answered and first_response_at is not None else now
    target = first_response_target(settings, department, preferential=preferential)
    return Clock(until - waiting_since, target, answered)


@dataclass(frozen=True)
class CaseTargets:
    """What the case page shows of a case's targets: shorter ones for a preferential citizen's case."""

    preferential: bool
    factor: float  # the department's preferential factor (1 for an ordinary case)
    first_response: timedelta
    resolution: timedelta | None  # None for a department no longer in the settings
    usual_resolution: timedelta | None  # the department's own, before the factor
    due: datetime | None  # when the resolution target runs out, from the clock's start (filed or reopened)
    breached: bool  # open past its due time, or resolved after it


def case_targets(settings: Settings, case: Case, now: datetime, resolved_at: datetime | None) -> CaseTargets:
    preferential = is_preferential(case)
    found = settings.departments.get(case.department)
    factor = found.preferential_factor if preferential and found is not None else 1.0
    resolution = resolution_target(settings, case.department, preferential=preferential)
    started = case.sla_started_at or case.created_at
    due = started + resolution if resolution is not None else None
    until = resolved_at if resolved_at is not None else (now if case.status in OPEN_STATUSES else None)
    return CaseTargets(
        preferential=preferential,
        factor=factor,
        first_response=first_response_target(settings, case.department, preferential=preferential),
        resolution=resolution,
        usual_resolution=resolution_target(settings, case.department),
        due=due,
        breached=due is not None and until is not None and until > due,
    )
