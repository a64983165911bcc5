"""'Borrar mis datos' in the chat: what goes and what the city keeps, asked twice (to be written)."""

from __future__ import annotations

from bot.turn import Turn


def answers(turn: Turn) -> bool:
    return bool(turn.state.erasure)


async def start(turn: Turn) -> None:
    turn.say("data_rights_soon")


async def answer(turn: Turn) -> None:
    turn.state.erasure = {}
