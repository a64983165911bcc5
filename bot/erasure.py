"""Erasing a citizen (issue 15; to be written): `erase_citizen` keeps each case's facts under a placeholder
and removes everything that leads back to the person."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from storage.engine import AsyncSession


@dataclass(frozen=True)
class Erased:
    """What one erasure did (counts only: the audit holds no personal data)."""

    placeholder_id: int
    cases: int
    messages: int
    media: tuple[str, ...]  # media-store names to delete once the transaction has committed


class Held(Exception):
    """A supervisor's hold stops this erasure; `reason` is theirs, and the citizen is told it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def erase_citizen(
    session: AsyncSession, settings: Settings, citizen_id: int, *, by: str, staff_id: int | None = None
) -> Erased:
    """Anonymise this citizen (raises `Held` under a hold). `by`: citizen | staff | retention."""
    raise NotImplementedError
