"""The `followup:` settings ("was it fixed?" after a case is closed), and a service's own values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from bot.settings_base import Strict

if TYPE_CHECKING:
    from bot.settings import Settings


class FollowUp(Strict):
    """When to ask a citizen whether a resolved case was fixed, and how long the answer counts."""

    after_days: float = Field(3, ge=0)  # from the case resolved (or rejected, duplicate) to the question
    answer_days: float = Field(14, gt=0)  # an answer later than this is too late to move the case
    ask_again_days: float = Field(2, gt=0)  # after "no sé", asked once more this much later
    max_reopenings: int = Field(2, ge=0)  # "not fixed" reopens this many times; then a supervisor decides


class ServiceFollowUp(Strict):
    """A service's own values over the city's (`services.pothole.followup: {after_days: 7}`)."""

    after_days: float | None = Field(None, ge=0)
    answer_days: float | None = Field(None, gt=0)
    ask_again_days: float | None = Field(None, gt=0)
    max_reopenings: int | None = Field(None, ge=0)

    def over(self, city: FollowUp) -> FollowUp:
        """The city's values with this service's where it sets them."""
        return city.model_copy(update=self.model_dump(exclude_none=True))


def for_service(settings: Settings, code: str) -> FollowUp:
    """The follow-up values for a case of this service."""
    service = settings.services.get(code)
    return service.followup.over(settings.followup) if service else settings.followup
