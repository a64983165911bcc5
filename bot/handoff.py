"""Handing the conversation to a person: asked for in words, offered, accepted.

From the hand-off on the bot only listens; an unfinished report is kept for the agent (inbox/handoff.py
is the staff's side: taking the conversation, replying, giving it back).
"""

from __future__ import annotations

from dataclasses import asdict

from bot import anytime_words
from bot.knowledge_reading import outweighs_frustration
from bot.reading import confident, in_report, is_button, yes_or_no
from bot.report_start import answer_next
from bot.turn import Turn
from bot.ways_out import menu
from storage.conversations import EMERGENCY
from storage.models import Holder, utcnow

# Inside a report, a request for a person read only by the classifier must be this sure (the pending
# question's answer is the likelier reading of an unsure message).
PERSON_IN_FLOW_CONFIDENCE = 0.7


def wants_a_person(turn: Turn) -> bool:
    said = turn.said
    if said in anytime_words.PERSON_WORDS or anytime_words.PERSON_PHRASES.search(said):
        return True
    return confident(turn, "human_handoff", PERSON_IN_FLOW_CONFIDENCE if in_report(turn) else None)


def is_frustrated(turn: Turn) -> bool:
    if is_button(turn):
        return False
    if anytime_words.FRUSTRATION_PHRASES.search(turn.said):
        return True
    # The classifier's unsure "frustration" reads "a que hora abre la alcaldia" as a complaint about the
    # city hall; a question the knowledge base found wins over it (the frustration phrases still do not).
    return confident(turn, "frustration") and not outweighs_frustration(turn)


def answers_offer(turn: Turn) -> bool:
    state = turn.state
    return (state.offered_person or state.offered_next) and yes_or_no(turn) is not None


async def hand_off(turn: Turn, reason: str = "requested") -> None:
    """Put the conversation in the queue for a person; from now on the bot only listens."""
    state = turn.state
    if in_report(turn):
        state.unfinished = asdict(state.slots)  # the agent sees the report the citizen was filing
    reason = EMERGENCY if state.emergency else reason
    turn.understood()
    state.reset_flow()
    conversation = turn.conversation
    conversation.holder = Holder.WAITING
    conversation.waiting_since = utcnow()
    conversation.handoff_reason = reason
    turn.say("handoff")


async def person(turn: Turn) -> None:
    await hand_off(turn)


def offer(turn: Turn, key: str) -> None:
    """Say `key` and offer a person, or the menu instead."""
    turn.state.offered_person = True
    buttons = (turn.button("button_person", "/human_handoff"), turn.button("button_menu", "/menu"))
    turn.say(key, buttons=buttons)


async def frustration(turn: Turn) -> None:
    """An apology and a person, not service buttons. A report being filed stays where it was."""
    turn.state.misunderstandings = 0
    offer(turn, "frustration")


async def answer_offer(turn: Turn) -> None:
    """A yes or no to a person offered, or to the second of two problems (report_start)."""
    yes = yes_or_no(turn)
    if turn.state.offered_next:
        await answer_next(turn, yes)
    elif yes:
        await hand_off(turn, "misunderstood")
    else:
        await menu(turn)
