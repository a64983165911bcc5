"""'Descargar mis datos': a zip of everything about the citizen at a one-time link (issue 15; stub)."""

from __future__ import annotations

from bot.turn import Turn


async def give_link(turn: Turn) -> None:
    """Give the citizen a one-time link to their data (stub until written)."""
    turn.say("data_rights_soon")
