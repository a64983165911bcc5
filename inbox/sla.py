"""Service-level clocks: how long a citizen has waited for a person, against their department's target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.settings import Settings


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
) -> Clock | None:
    """None when no wait is running (a conversation taken straight from the bot)."""
    if waiting_since is None:
        return None
    answered = first_response_at is not None and first_response_at >= waiting_since
    until = first_response_at if answered and first_response_at is not None else now
    return Clock(until - waiting_since, first_response_target(settings, department), answered)
