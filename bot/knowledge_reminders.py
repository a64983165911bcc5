"""Reminders of a topic's dates (issue 17): a citizen opts in per topic; a reminder goes through the same
broadcast machinery as alerts, some days before, outside quiet hours; BAJA stops it.

Default off: only the labelled button ("Recordármelo", whose payload is `/recordar <slug>`) or asking in
words ("recuérdame cuándo vence el predial") subscribes, with the exact words shown in the one reply. The
subscription's topic is "recordar:<slug>", so BAJA pauses it with the city's other topics and ALTA resumes
it; bot/reminder_job.py queues and the broadcast sender sends (docs/knowledge.md: reminders of due dates)."""

from __future__ import annotations

from datetime import date

from bot import reminder_words as words
from bot.knowledge_files import DueDate, Topic
from bot.messages import Button
from bot.reading import in_report, is_button
from bot.report_questions import back_to_report
from bot.turn import Turn
from storage import subscriptions as subscription_rows
from storage.models import SubscriptionStatus, utcnow

NOTE = "reminder"


def _today(turn: Turn) -> date:
    return words.city_today(turn.settings, utcnow())


def buttons(turn: Turn, topic: Topic) -> tuple[Button, ...]:
    """The "Recordármelo" button an answer carries when its topic has a date still to come."""
    if not words.coming(topic, _today(turn)):
        return ()
    return (turn.button("button_remind", words.PAYLOAD + topic.slug),)


# --- Reading the message. ---


def _dated(turn: Turn, text: str) -> tuple[bool, list[Topic]]:
    """Whether the knowledge base is sure of the topic in `text`, and the topics with coming dates it
    finds there (best first)."""
    if turn.knowledge is None or not text.strip():
        return False, []
    found = turn.knowledge.find(text)
    dated = [t for t in found.topics if words.coming(t, _today(turn))] if found.kind != "nothing" else []
    return found.kind == "answer", dated


def _named(turn: Turn) -> tuple[bool, list[Topic]]:
    """The dated topic(s) the message is about: looked for without the words of asking, then with them."""
    sure, topics = _dated(turn, words.subject(turn.said))
    return (sure, topics) if topics else _dated(turn, turn.said)


def _just_answered(turn: Turn) -> Topic | None:
    """The topic of the answer the message before this one gave, if it has a date to come."""
    slug = turn.knowledge_asked.get("topic")
    topic = turn.knowledge.topics.get(slug) if turn.knowledge is not None and slug else None
    return topic if topic is not None and words.coming(topic, _today(turn)) else None


def asks(turn: Turn) -> bool:
    """ "recuérdame cuándo vence el predial": opting into a topic's reminders in the citizen's words."""
    if turn.knowledge is None:
        return False  # the knowledge base is off: nothing to remind of
    said = turn.said
    if said.startswith(words.PAYLOAD.strip()):
        turn.notes[NOTE] = {"slug": said.removeprefix(words.PAYLOAD.strip()).strip()}
        return True
    if is_button(turn):
        return False
    leave, ask = words.LEAVE.search(said), words.ASK.search(said)
    if not leave and not ask:
        return False
    sure, named = _named(turn)
    answered = _just_answered(turn)
    if ask and not named and answered is not None:
        sure, named = True, [answered]  # "recordármelo" typed right after the answer: that topic's dates
    if leave and not sure:
        named = []  # leaving is of a topic the knowledge base is sure of, or of every reminder
    if not named:
        rest = words.subject(said).split()
        if in_report(turn):
            return False  # "recuérdame…" in the middle of a report, about nothing with a date: the report's
        if leave and len(rest) > 1:
            return False  # "cancela mi recordatorio de comprar leche": the citizen's own, not the city's
        if not leave and rest and not words.DATES.search(said):
            return False  # "recuérdame enviar un correo": not one of the city's dates
    turn.notes[NOTE] = {"leave": bool(leave), "topics": named, "sure": sure}
    return True


# --- Acting. ---


async def opt_in(turn: Turn) -> None:
    turn.understood()
    turn.state.knowledge = {}  # an answer's "¿Te sirvió?" is answered by the next message or not at all
    asked = turn.notes.get(NOTE) or {}
    if asked.get("leave"):
        await _leave(turn, asked.get("topics") or [])
    elif "slug" in asked:
        topic = turn.knowledge.topics.get(asked["slug"]) if turn.knowledge is not None else None
        await (_subscribe(turn, topic) if topic is not None else _list(turn))
    elif asked.get("topics") and asked.get("sure"):
        await _subscribe(turn, asked["topics"][0])
    else:
        await _list(turn, asked.get("topics") or [])  # unsure which: the citizen picks (that is the yes)
    if in_report(turn):
        await back_to_report(turn)  # the report being filed goes on where it was


async def _subscribe(turn: Turn, topic: Topic) -> None:
    """One reply: what they will get, when, where and how to stop; it is the record of the yes."""
    title = topic.in_language(topic.title, turn.language)
    today = _today(turn)
    dates = words.coming(topic, today)
    if not dates:
        turn.say("reminder_no_dates", title=title)
        return
    code = words.topic_code(topic.slug)
    row = await subscription_rows.find(turn.session, turn.citizen.id, code)
    if row is not None and row.status == SubscriptionStatus.ACTIVE:
        turn.say("reminder_already", title=title, named=title[:1].lower() + title[1:])
        return
    shown = _promise(turn, topic, dates, today)
    await subscription_rows.subscribe(
        turn.session, turn.citizen.id, code, area=None, channel=turn.inbound.channel, shown=shown
    )
    turn.say_text(shown)


def _promise(turn: Turn, topic: Topic, dates: list[DueDate], today: date) -> str:
    """ "Te recordaré «vence el pago del predial…» el 27 de abril (3 días antes), por este chat, entre las
    8:00 y las 20:00. Para no recibir más recordatorios, escribe BAJA." """
    first, language = dates[0], turn.language
    on = words.remind_on(turn.settings, first, today)
    ahead = (first.day - on).days
    day = words.day_words(on, language)
    if on == today:
        when = turn.t("reminder_when_today", day=day)
    elif ahead == 0:
        when = turn.t("reminder_when_same_day", day=day)
    elif ahead == 1:
        when = turn.t("reminder_when_before_one", day=day)
    else:
        when = turn.t("reminder_when_before", day=day, days=ahead)
    title = topic.in_language(topic.title, language)
    others = turn.t("reminder_others", title=title) if len(dates) > 1 else ""
    quiet = turn.settings.participation.quiet_hours
    return turn.t(
        "reminder_opt_in",
        what=topic.in_language(first.what, language),
        when=when,
        others=others,
        start=words.clock(quiet.end),  # the day the city writes in: from the end of quiet hours
        end=words.clock(quiet.start),
    )


async def _list(turn: Turn, found: list[Topic] | None = None) -> None:
    """ "¿De qué fecha? Puedo recordarte: …": the topics found, or every topic with coming dates, as
    buttons."""
    today = _today(turn)
    topics = turn.knowledge.topics.values() if turn.knowledge is not None else ()
    dated = found or sorted(
        (t for t in topics if words.coming(t, today)), key=lambda t: words.coming(t, today)[0].day
    )
    if not dated:
        turn.say("reminder_none")
        return
    choices = tuple(Button(t.in_language(t.title, turn.language), words.PAYLOAD + t.slug) for t in dated[:8])
    turn.say("reminder_which", buttons=choices)


async def _leave(turn: Turn, named: list[Topic]) -> None:
    """ "ya no me recuerdes el predial": that topic only; "no me recuerdes nada": every reminder."""
    session, citizen_id = turn.session, turn.citizen.id
    if not named:
        topics = turn.knowledge.topics if turn.knowledge is not None else {}
        active = [
            topics[slug]
            for s in await subscription_rows.of_citizen(session, citizen_id)
            if (slug := words.slug_of(s.topic)) in topics and s.status == SubscriptionStatus.ACTIVE
        ]
        if not active:
            turn.say("reminder_leave_none")
            return
        named = active
    for topic in named:
        title = topic.in_language(topic.title, turn.language)
        left = await subscription_rows.leave(session, citizen_id, words.topic_code(topic.slug))
        turn.say("reminder_left" if left else "reminder_not_in", title=title)


def name(turn: Turn, code: str) -> str | None:
    """ "recordatorios: Impuesto predial": a reminder subscription named for "mis datos", BAJA and ALTA;
    None for the city's other topics."""
    slug = words.slug_of(code)
    if slug is None:
        return None
    topic = turn.knowledge.topics.get(slug) if turn.knowledge is not None else None
    title = topic.in_language(topic.title, turn.language) if topic is not None else slug
    return turn.t("reminder_topic_name", title=title)
