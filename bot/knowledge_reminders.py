"""Reminders of a topic's dates (issue 17): a citizen opts in per topic; a reminder goes through the same
broadcast machinery as alerts, some days before, outside quiet hours; BAJA stops it."""

from __future__ import annotations

from bot.knowledge_files import Topic
from bot.messages import Button
from bot.turn import Turn


def buttons(turn: Turn, topic: Topic) -> tuple[Button, ...]:
    """The "Recordármelo" button an answer carries when its topic has a date still to come."""
    return ()


def asks(turn: Turn) -> bool:
    """ "recuérdame cuándo vence el predial": opting into a topic's reminders in the citizen's words."""
    return False


async def opt_in(turn: Turn) -> None:
    return None
