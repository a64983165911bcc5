"""Answering a survey in the chat: its opening (the sender sends it), each answer, ENCUESTA to answer again.

Two rules in the dialogue's table (docs/conversation.md): `survey_answer` while a question waits (the state's
`survey`), and `survey_start` for "encuesta". Only a citizen the survey reached may answer (a delivery of
theirs), once per question whatever their channel: answering again replaces. The state carries the waiting
question's kind and choices, so reading an answer needs no query; the answer checks the delivery again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot import anytime_words
from bot import survey_words as words
from bot.data_requests import day_in_words
from bot.messages import Button
from bot.settings import Settings
from bot.surveys import Question, questions_of
from bot.texts import text
from bot.turn import Turn
from connectors.channels import channel
from storage import surveys as rows
from storage.models import Survey, utcnow


def closing_words(settings: Settings, survey: Survey, language: str) -> str:
    """The last day to answer, in words; a survey closing at midnight closes at the end of the day before."""
    local = survey.closes_at.astimezone(settings.city.zone)
    if local.hour == local.minute == 0:
        return day_in_words((local - timedelta(minutes=1)).date(), language)
    day = day_in_words(local.date(), language)
    return text("survey_at", language, day=day, time=f"{local:%H:%M}")


def _kind_line(survey: Survey, language: str) -> str:
    return text("survey_binding" if survey.binding else "survey_advisory", language)


def ask(
    survey: Survey, question: Question, language: str, buttons_ok: bool
) -> tuple[str, tuple[Button, ...]]:
    """One question: its number, its words, how to answer; choices as buttons or numbered lines."""
    total = len(survey.questions)
    number = next(i for i, q in enumerate(survey.questions, 1) if q["key"] == question.key)
    lines = [f"{number}/{total}. {question.text.get(language)}"]
    buttons: list[Button] = []
    if question.kind == "single" and buttons_ok:
        buttons = [
            Button(c.get(language), f"{words.PAYLOAD}{question.key}:{c.key}") for c in question.choices
        ]
    elif question.kind in ("single", "multiple"):
        lines += [f"{i}. {c.get(language)}" for i, c in enumerate(question.choices, 1)]
        lines.append(text("survey_pick_one" if question.kind == "single" else "survey_pick_many", language))
    elif question.kind == "scale":
        if buttons_ok:
            buttons = [Button(str(n), f"{words.PAYLOAD}{question.key}:{n}") for n in range(1, 6)]
        lines.append(text("survey_scale", language))
    else:
        lines.append(text("survey_text", language))
    if question.optional:
        lines.append(text("survey_optional", language))
        if buttons or (buttons_ok and question.kind == "text"):  # not alone beside numbered lines
            buttons.append(Button(text("survey_skip", language), words.SKIP))
    return "\n".join(lines), tuple(buttons)


def waiting(survey: Survey, delivery_id: int, question: Question) -> dict[str, Any]:
    """The state while `question` waits: enough to read the answer without a query."""
    return {
        "survey": survey.id,
        "delivery": delivery_id,
        "question": question.key,
        "until": survey.closes_at.isoformat(),
        "kind": question.kind,
        "optional": question.optional,
        "choices": [[c.key, c.es, c.en] for c in question.choices],
    }


def opening(
    settings: Settings, survey: Survey, delivery_id: int, language: str, buttons_ok: bool
) -> tuple[str, tuple[Button, ...], dict[str, Any]]:
    """The survey's first message (what it is, binding or advisory, until when, and its first question),
    its buttons, and the `DialogueState.survey` the sender sets."""
    questions = questions_of(survey)
    lang = "en" if language == "en" else "es"
    count, date = len(questions), closing_words(settings, survey, lang)
    facts = (
        text("survey_facts_one", lang, date=date)
        if count == 1
        else text("survey_facts", lang, date=date, count=count)
    )
    ways_out = "survey_ways_out" if any(q.optional for q in questions) else "survey_ways_out_no_skip"
    head = [f"📋 {survey.title.get(lang) or survey.title['es']}"]
    if survey.intro and buttons_ok:  # SMS and WhatsApp get the essentials only: every line costs there
        head.append(survey.intro.get(lang) or survey.intro["es"])
    head += [_kind_line(survey, lang), facts, text(ways_out, lang)]
    body, buttons = ask(survey, questions[0], lang, buttons_ok)
    return "\n".join(head) + "\n\n" + body, buttons, waiting(survey, delivery_id, questions[0])


def _closed(waits: dict[str, Any], now: datetime) -> bool:
    until = waits.get("until")  # without it, the answer's own check against the survey decides
    return until is not None and now >= datetime.fromisoformat(str(until))


def answers(turn: Turn) -> bool:
    """A survey's question waits and the message answers it, skips it, leaves it, or misses it once; a
    second miss, or a request for a person, leaves the survey and the message goes on to the other rules."""
    waits = turn.state.survey
    if not waits or turn.state.flow:
        return False
    said = turn.said
    if said in anytime_words.PERSON_WORDS or anytime_words.PERSON_PHRASES.search(said):
        turn.state.survey = {}
        return False
    if words.foreign_button(turn.text):  # another flow's button (the menu's, say): the citizen moved on
        turn.state.survey = {}
        return False
    value = words.read(waits, str(waits.get("question")), turn.text)
    if said in anytime_words.CANCEL_WORDS:
        turn.notes["survey"] = "leave"
    elif _closed(waits, utcnow()):
        if value is None and not words.skips(turn.text):
            turn.state.survey = {}  # the survey is over: the message is about something else
            return False
        turn.notes["survey"] = "closed"
    elif words.skips(turn.text):
        turn.notes["survey"] = "skip"
    elif value is not None:
        turn.notes["survey"], turn.notes["survey_value"] = "answer", value
    elif waits.get("missed"):
        turn.state.survey = {}  # asked twice: it was not an answer, so handle it as usual
        return False
    else:
        turn.notes["survey"] = "miss"
    return True


def _buttons_ok(turn: Turn) -> bool:
    return channel(turn.inbound.channel).buttons


def _say_question(turn: Turn, survey: Survey, question: Question, before: str | None = None) -> None:
    body, buttons = ask(survey, question, turn.language, _buttons_ok(turn))
    turn.say_text(f"{before}\n{body}" if before else body, buttons=buttons)
    # Numbers are read against the question's own choices (a lone Saltar button must not make "1" a skip).
    turn.state.choices = []


async def answer(turn: Turn) -> None:
    turn.understood()
    waits, what = dict(turn.state.survey), turn.notes.get("survey")
    now = utcnow()
    survey = await rows.by_id(turn.session, int(waits["survey"]))
    if survey is None:
        turn.state.survey = {}
        turn.say("survey_none")
        return
    if what == "closed" or now >= survey.closes_at:
        turn.state.survey = {}
        date = closing_words(turn.settings, survey, turn.language)
        turn.say("survey_closed", title=survey.title.get(turn.language) or survey.title["es"], date=date)
        return
    if what == "leave":
        turn.state.survey = {}
        turn.say("survey_left")
        return
    delivery = await rows.delivery_for(turn.session, int(waits["delivery"]), turn.citizen.id, survey.id)
    questions = questions_of(survey)
    current = next((q for q in questions if q.key == waits["question"]), None)
    if delivery is None or current is None:  # not theirs to answer (or the question is gone): nothing kept
        turn.state.survey = {}
        turn.say("survey_none")
        return
    if what == "miss":
        turn.state.survey = {**waits, "missed": 1}
        _say_question(turn, survey, current, turn.t("survey_again"))
        return
    if what == "skip" and not current.optional:
        _say_question(turn, survey, current, turn.t("survey_required"))
        return
    if what == "skip":
        await rows.withdraw(turn.session, survey.id, turn.citizen.id, current.key)
    else:
        await rows.record(
            turn.session, survey.id, turn.citizen.id, current.key, kind=current.kind,
            value=turn.notes["survey_value"], channel=turn.inbound.channel, now=now,
        )  # fmt: skip
        await rows.mark_answered(turn.session, delivery, now)
    later = questions[questions.index(current) + 1 :]
    if not later:
        turn.state.survey = {}
        date = closing_words(turn.settings, survey, turn.language)
        turn.say("survey_done", binding=_kind_line(survey, turn.language), date=date)
        return
    turn.state.survey = waiting(survey, delivery.id, later[0])
    _say_question(turn, survey, later[0])


async def ask_again(turn: Turn) -> bool:
    """The question waiting, once more (in the language the citizen just switched to); False if none."""
    waits = turn.state.survey
    survey = await rows.by_id(turn.session, int(waits["survey"])) if waits else None
    if survey is None:
        return False
    current = next((q for q in questions_of(survey) if q.key == waits.get("question")), None)
    if current is None:
        return False
    _say_question(turn, survey, current)
    return True


def asks(turn: Turn) -> bool:
    return words.starts(turn.text)


async def start(turn: Turn) -> None:
    """The open surveys that reached this citizen, from their first question; answers replace earlier ones."""
    turn.understood()
    received = await rows.received(turn.session, turn.citizen.id, utcnow())
    if turn.text.startswith(words.START_PAYLOAD):
        chosen = turn.text.removeprefix(words.START_PAYLOAD)
        received = [(s, d) for s, d in received if str(s.id) == chosen] or received
    if not received:
        turn.say("survey_none")
        return
    if len(received) > 1:
        buttons = tuple(
            Button(s.title.get(turn.language) or s.title["es"], f"{words.START_PAYLOAD}{s.id}")
            for s, _ in received
        )
        turn.say("survey_which", buttons=buttons)
        return
    survey, delivery = received[0]
    body, buttons, state = opening(turn.settings, survey, delivery.id, turn.language, _buttons_ok(turn))
    turn.state.survey = state
    turn.say_text(f"{turn.t('survey_again_start')}\n{body}", buttons=buttons)
    turn.state.choices = []
