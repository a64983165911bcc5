"""Answering the city's common questions from the knowledge base (issue 17): the answer and "¿Te sirvió?",
a choice between two or three topics, the area a schedule depends on, and the miss offered a person."""

from __future__ import annotations

from bot.turn import Turn


def answers(turn: Turn) -> bool:
    """The next message after an answer, a choice or an area question: yes/no, "más", a choice."""
    return False


async def answer(turn: Turn) -> None:
    return None


def asks(turn: Turn) -> bool:
    """A question for the knowledge base: not a report, a status query or small talk."""
    return False


async def respond(turn: Turn) -> None:
    return None


def missed(turn: Turn) -> None:
    """An out-of-scope message: recorded as a question nothing answered (for the supervisors' page)."""
    return None
