"""Answering the city's common questions from the knowledge base (issue 17): the answer and "¿Te sirvió?",
a choice between two or three topics, the area a schedule depends on, and the miss offered a person.

Two rules of the dialogue's table (docs/conversation.md): `knowledge_answer` reads the message right after
an answer, a choice or an area question (the turn took that step out of the state: the next message or
none); `knowledge` asks the index, after every flow's own answers and never in the middle of a report. The
index has every intent example as its "none" class, so reports, status queries and small talk find nothing
and go on to the intent rules as before.
"""

from __future__ import annotations

from typing import Any

from bot import actions, handoff, knowledge_reading, metrics, ways_out
from bot import knowledge_replies as replies
from bot import knowledge_words as words
from bot.knowledge import ANSWER, CHOICE
from bot.knowledge_files import Topic
from bot.reading import is_button
from bot.turn import Turn
from storage import knowledge_asks
from storage.models import KnowledgeOutcome, utcnow

USEFUL, CHOOSE, AREA = "useful", "choice", "area"


# --- The message after an answer, a choice or the area question. ---


def _offered(turn: Turn, pending: dict[str, Any]) -> list[Topic]:
    assert turn.knowledge is not None
    return [turn.knowledge.topics[s] for s in pending.get("topics", []) if s in turn.knowledge.topics]


def _reading(turn: Turn) -> tuple[str, Any] | None:
    """What the message answers to the pending step, or None when it is something else."""
    pending, base = turn.knowledge_asked, turn.knowledge
    if not pending or base is None:
        return None
    if handoff.wants_a_person(turn) or ways_out.wants_to_cancel(turn):
        return None  # "no, quiero hablar con alguien": the person rule's, not a "no me sirvió"
    step = pending.get("step")
    if step in (USEFUL, AREA) and pending.get("topic") not in base.topics:
        return None  # the topic's file went away meanwhile
    if step == USEFUL:
        useful = words.useful_answer(turn)
        if useful is not None:
            return ("useful", useful)
        return ("more", None) if words.wants_more(turn) else None
    if step == CHOOSE:
        if words.says_none(turn):
            return ("none", None)
        chosen = words.topic_chosen(turn, _offered(turn, pending))
        return ("topic", chosen) if chosen is not None else None
    if step == AREA:
        area = words.area_named(turn)
        return ("area", area) if area is not None else None
    return None


def answers(turn: Turn) -> bool:
    """The next message after an answer, a choice or an area question: yes/no, "más", a choice."""
    reading = _reading(turn)
    if reading is not None:
        turn.notes["knowledge_reading"] = reading
    return reading is not None


async def answer(turn: Turn) -> None:
    assert turn.knowledge is not None
    pending = turn.knowledge_asked
    what, value = turn.notes["knowledge_reading"]
    ask_id, citizen_id = int(pending["ask"]), turn.citizen.id
    turn.understood()
    if what == "useful":
        await knowledge_asks.mark_useful(turn.session, ask_id, citizen_id, value, utcnow())
        metrics.KNOWLEDGE_USEFUL.labels("yes" if value else "no").inc()
        if value:
            actions.show_menu(turn, "knowledge_glad")
        else:
            handoff.offer(turn, "knowledge_sorry")  # its yes hands the conversation over
    elif what == "more":
        topic = turn.knowledge.topics[pending["topic"]]
        replies.more(turn, topic)
        turn.state.knowledge = {"ask": ask_id, "topic": topic.slug, "step": USEFUL}
    elif what == "topic":
        await knowledge_asks.mark_chosen(turn.session, ask_id, citizen_id, value.slug)
        await _give(turn, value, ask_id, words.area_named(turn))
    elif what == "none":
        await knowledge_asks.mark_missed(turn.session, ask_id, citizen_id)
        handoff.offer(turn, "knowledge_none_chosen")
    else:  # the area asked for
        await _give(turn, turn.knowledge.topics[pending["topic"]], ask_id, value)


# --- A question for the knowledge base. ---


def asks(turn: Turn) -> bool:
    """A question for the knowledge base: not a report, a status query or small talk."""
    return knowledge_reading.found(turn).kind in (ANSWER, CHOICE)


async def respond(turn: Turn) -> None:
    found = knowledge_reading.found(turn)
    turn.understood()
    if found.kind == ANSWER:
        topic = found.topics[0]
        ask_id = await replies.record(turn, KnowledgeOutcome.ANSWERED, topic.slug, found.score)
        await _give(turn, topic, ask_id, words.area_named(turn))
        return
    ask_id = await replies.record(turn, KnowledgeOutcome.CHOICE, None, found.score)
    replies.which(turn, found.topics)
    turn.state.knowledge = {"ask": ask_id, "step": CHOOSE, "topics": [t.slug for t in found.topics]}


async def _give(turn: Turn, topic: Topic, ask_id: int, area: str | None) -> None:
    """The topic's answer; for one that depends on the area, the area named, or that of the citizen's last
    case with a point, or else the question which area."""
    if topic.by_area and area is None:
        point = await knowledge_asks.last_point(turn.session, turn.citizen.id)
        found = turn.settings.area_of(*point) if point is not None else None
        area = next((key for key, a in turn.settings.areas.items() if a is found), None)
    if topic.by_area and area is None:
        replies.which_area(turn)
        turn.state.knowledge = {"ask": ask_id, "topic": topic.slug, "step": AREA}
        return
    replies.answer(turn, topic, area)
    turn.state.knowledge = {"ask": ask_id, "topic": topic.slug, "step": USEFUL}


# --- Nothing close. ---


async def missed(turn: Turn) -> None:
    """An out-of-scope message: recorded as a question nothing answered (for the supervisors' page), and
    answered as before with the offer of a person, whose yes hands the conversation over."""
    if turn.knowledge is not None and turn.said and not is_button(turn):
        await replies.record(turn, KnowledgeOutcome.MISS, None, knowledge_reading.found(turn).score)
    turn.state.offered_person = True
    body = f"{turn.t('out_of_scope')}\n{turn.t('knowledge_miss_offer')}"
    turn.say_text(body, buttons=actions.main_menu(turn))
