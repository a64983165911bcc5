"""'Mis datos': what the city holds about the citizen who asks (issue 15; to be written)."""

from __future__ import annotations

from bot.turn import Turn


async def describe(turn: Turn) -> None:
    """List what is held about this citizen (stub until written)."""
    turn.say("data_rights_soon")
