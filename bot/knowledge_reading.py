"""What the knowledge base makes of a message, read once per turn and shared by the rules that ask.

Its own module so that any rule may ask it (the frustration rule does) without importing the dialogue.
"""

from __future__ import annotations

from bot.knowledge import ANSWER, NOTHING, Found
from bot.reading import is_button
from bot.turn import Turn

# The index this sure of one topic outweighs the classifier's unsure "frustration" (under ~0.6 on
# "a que hora abre la alcaldia", trained on complaints that name the city hall).
SURE = 0.9


def found(turn: Turn) -> Found:
    """The topic to answer, the two or three to offer, or nothing; buttons and empty messages find nothing."""
    cached = turn.notes.get("knowledge_found")
    if isinstance(cached, Found):
        return cached
    base = turn.knowledge
    result = Found(NOTHING) if base is None or is_button(turn) or not turn.said else base.find(turn.text)
    turn.notes["knowledge_found"] = result
    return result


def surely_a_question(turn: Turn) -> bool:
    """The knowledge base is all but sure the message asks one of its topics."""
    result = found(turn)
    return result.kind == ANSWER and result.score >= SURE
