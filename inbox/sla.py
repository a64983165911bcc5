"""Service-level clocks: how long a citizen has waited for a person, against their department's target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.settings import Settings


def first_response_target(settings: Settings, department: str | None) -> timedelta:
    """The department's target; a citizen with no open case gets the strictest one (nobody waits longer)."""
    found = settings.departments.get(department or "")
    if found is not None:
        return timedelta(minutes=found.first_response_minutes)
    minutes = min((d.first_response_minutes for d in settings.departments.values()), default=60)
    return timedelta(minutes=minutes)


def resolution_target(settings: Settings, department: str) -> timedelta | None:
    found = settings.departments.get(department)
    return timedelta(hours=found.resolution_hours) if found is not None else None


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
