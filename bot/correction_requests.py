"""'Mi nombre está mal': a correction goes to the supervisors' data-requests queue (issue 15; stub)."""

from __future__ import annotations

from bot.turn import Turn


async def ask(turn: Turn) -> None:
    """Record the citizen's correction for a person (stub until written)."""
    turn.say("data_rights_soon")
