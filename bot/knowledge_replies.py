"""What the bot says from the knowledge base, and what it records of the question.

An answer is one message, short for SMS: the area's row (for a topic whose answer depends on the area),
the short answer, the link, "¿Te sirvió?", and its buttons. The question is recorded masked (no e-mail,
phone, name or street the citizen wrote): supervisors read what citizens asked, not who asked it.
"""

from __future__ import annotations

from bot import knowledge_reminders, metrics
from bot import knowledge_words as words
from bot.knowledge_files import FIELDS, Topic
from bot.messages import Button
from bot.turn import Turn
from bot.words import fold
from connectors.open311 import privacy
from storage import knowledge_asks
from storage.models import KnowledgeOutcome, utcnow


async def record(turn: Turn, outcome: KnowledgeOutcome, topic: str | None, score: float) -> int:
    """The question, masked, and what was found for it; the recorded question's id."""
    citizen = turn.citizen
    terms = [t for t in (citizen.display_name, citizen.email, citizen.phone_e164) if t]
    masked = privacy.mask(turn.text.strip(), terms, turn.settings.city.phone_region)
    ask = await knowledge_asks.record(
        turn.session,
        citizen_id=citizen.id,
        message_id=turn.message.id,
        channel=turn.inbound.channel,
        language=turn.language,
        question=masked,
        folded=fold(masked),
        outcome=outcome,
        topic=topic,
        score=round(score, 4),
        now=utcnow(),
    )
    metrics.KNOWLEDGE_ASKS.labels(str(outcome)).inc()
    return ask.id


def _useful_buttons(turn: Turn, topic: Topic, *, more: bool) -> tuple[Button, ...]:
    buttons = [
        turn.button("button_knowledge_yes", words.YES),
        turn.button("button_knowledge_no", words.NO),
    ]
    if more and (topic.more or topic.fields):
        buttons.append(turn.button("button_knowledge_more", words.MORE))
    buttons.extend(knowledge_reminders.buttons(turn, topic))
    if topic.report is not None and topic.report in turn.settings.services:
        service = turn.settings.service_name(topic.report, turn.language)
        buttons.append(Button(turn.t("button_knowledge_report", service=service), f"/report_{topic.report}"))
    return tuple(buttons)


def answer(turn: Turn, topic: Topic, area: str | None) -> None:
    """The topic's short answer (the area's row first, where it depends on the area) and "¿Te sirvió?"."""
    language = turn.language
    lines = []
    if area is not None and area in topic.by_area:
        lines.append(topic.in_language(topic.by_area[area], language))
    lines.append(topic.in_language(topic.answer, language))
    if topic.link:
        lines.append(turn.t("knowledge_link", link=topic.link))
    lines.append(turn.t("knowledge_useful"))
    turn.say_text("\n".join(lines), buttons=_useful_buttons(turn, topic, more=True))


def more(turn: Turn, topic: Topic) -> None:
    """The longer part, the fields labelled (Dónde, Horario, Qué llevar, Costo), and the question again."""
    language = turn.language
    lines = [topic.in_language(topic.more, language)] if topic.more else []
    for name in FIELDS:
        if name in topic.fields:
            label = turn.t(f"knowledge_field_{name}")
            lines.append(f"{label}: {topic.in_language(topic.fields[name], language)}")
    if not lines:
        lines.append(turn.t("knowledge_no_more"))
    if topic.link:
        lines.append(turn.t("knowledge_link", link=topic.link))
    lines.append(turn.t("knowledge_useful"))
    turn.say_text("\n".join(lines), buttons=_useful_buttons(turn, topic, more=False))


def which(turn: Turn, topics: tuple[Topic, ...]) -> None:
    """Two or three topics close enough: their titles as choices, and "none of these"."""
    buttons = [Button(t.in_language(t.title, turn.language), f"{words.TOPIC}{t.slug}") for t in topics]
    buttons.append(turn.button("button_knowledge_none", words.NONE))
    turn.say("knowledge_which", buttons=tuple(buttons))


def which_area(turn: Turn) -> None:
    areas = turn.settings.areas
    buttons = tuple(Button(a.name.get(turn.language), f"{words.AREA}{key}") for key, a in areas.items())
    turn.say("knowledge_which_area", buttons=buttons)
