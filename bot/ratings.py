"""After a person hands a conversation back, the citizen may rate it 1–5; the next message may answer.

Asked only when a person answered this time and the conversation's department asks (`rate_conversations`
in config.yml); the rating is kept with the agent and the department (storage/ratings.py). The question
never traps the citizen: a message that is not a rating is handled as if nothing had been asked, and the
rating stays unanswered. Free text counts ("un 4", "cinco", "excelente", "meh 3"; bot/rating_words.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.messages import Button
from bot.rating_words import rating_in
from bot.settings import Settings
from bot.texts import text
from bot.turn import DialogueState, Turn
from storage import ratings, scope
from storage.engine import AsyncSession
from storage.models import Conversation, utcnow

PAYLOADS = tuple(f"/rate_{n}" for n in range(1, 6))
LOW = 2  # a rating this low is answered with the way back to a person


@dataclass(frozen=True)
class Question:
    text: str
    buttons: tuple[Button, ...]
    state: dict[str, Any]  # the dialogue state that waits for the answer


def asks_in(settings: Settings, department: str | None) -> bool:
    """Whether conversations of this department are rated (None: the general queue)."""
    found = settings.departments.get(department) if department else None
    chosen = found.rate_conversations if found is not None else None
    return settings.dialogue.rate_conversations if chosen is None else chosen


async def ask(
    session: AsyncSession, settings: Settings, conversation: Conversation, language: str
) -> Question | None:
    """Record the question for the agent who answered and the conversation's department; None when
    nothing is asked (nobody answered since the last hand-back, no channel, or the department says no).
    Call it before this hand-back is audited."""
    if not conversation.last_channel:
        return None
    staff_id = await ratings.agent_who_answered(session, conversation)
    if staff_id is None:
        return None
    department = await scope.citizen_department(session, conversation.citizen_id)
    if not asks_in(settings, department):
        return None
    row = await ratings.add_rating(session, conversation, staff_id=staff_id, department=department)
    buttons = tuple(Button(text(f"button_rate_{n}", language), p) for n, p in enumerate(PAYLOADS, 1))
    state = DialogueState(choices=list(PAYLOADS), rating_asked=row.id).dump()
    return Question(text("rate_ask", language), buttons, state)


def answer_of(turn: Turn) -> int | None:
    """The rating a message gives while the question is the last one asked ("2" on SMS is its second
    button); a button of the question pressed later counts too. None otherwise."""
    if turn.state.rating_asked is None:
        return None
    if turn.text in PAYLOADS:
        return PAYLOADS.index(turn.text) + 1
    if turn.state.choices != list(PAYLOADS):
        return None  # the bot has asked something else since
    return rating_in(turn.text)


def answers(turn: Turn) -> bool:
    return answer_of(turn) is not None


async def answer(turn: Turn) -> None:
    value = answer_of(turn)
    asked, turn.state.rating_asked = turn.state.rating_asked, None
    assert value is not None and asked is not None
    await ratings.record_rating(turn.session, asked, turn.citizen.id, value, utcnow())
    turn.understood()
    turn.say("rate_thanks_low" if value <= LOW else "rate_thanks")
