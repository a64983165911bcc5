"""What the knowledge base makes of a message, read once per turn and shared by the rules that ask.

Its own module so that any rule may ask it (the frustration rule does) without importing the dialogue.
"""

from __future__ import annotations

from bot.knowledge import ANSWER, NOTHING, SURE, Found, weigh
from bot.reading import is_button
from bot.turn import Turn


def found(turn: Turn) -> Found:
    """The topic to answer, the two or three to offer, or nothing; buttons and empty messages find nothing."""
    cached = turn.notes.get("knowledge_found")
    if isinstance(cached, Found):
        return cached
    base = turn.knowledge
    result = Found(NOTHING) if base is None or is_button(turn) or not turn.said else base.find(turn.text)
    result = weigh(result, turn.parse)
    turn.notes["knowledge_found"] = result
    return result


def outweighs_frustration(turn: Turn) -> bool:
    """The classifier's "frustration" is unsure ("horario de atencion" 0.46, "tramites de la alcaldia" 0.55:
    it learnt complaints that name the city hall) and the knowledge base found an answer or a choice; or
    the knowledge base is all but sure of one topic, however sure the classifier."""
    result = found(turn)
    if result.kind == NOTHING:
        return False
    return (result.kind == ANSWER and result.score >= SURE) or turn.parse.confidence < SURE
