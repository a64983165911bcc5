"""The privacy notice with the first reply to a new citizen (issue 15; to be written)."""

from __future__ import annotations

from bot.turn import Turn


async def add_if_due(turn: Turn) -> None:
    """Append the notice when this citizen has not been shown the current version (stub until written)."""
    return None
