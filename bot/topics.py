"""Opting into the city's topics by chat (optionally for an area), leaving one, and BAJA / ALTA.

Default off: only the yes to the confirmation records a subscription, with the exact words shown. The
steps (topic → area → confirm, `DialogueState.topics`) are answered by the next message only: the first
look takes them out of the state, so anything else leaves the opt-in (docs/participation_parts/topics.md).
"""

from __future__ import annotations

from typing import Any

from bot import actions, knowledge_reminders, topic_words
from bot.messages import Button
from bot.reading import in_report, is_button, yes_or_no
from bot.report_questions import back_to_report
from bot.turn import Turn
from bot.words import any_of, fold
from storage import citizens as citizen_rows
from storage import subscriptions as subscription_rows
from storage.models import SubscriptionStatus

TOPIC, AREA, CONFIRM = "topic", "area", "confirm"
TOPIC_PAYLOAD, AREA_PAYLOAD = "/topic ", "/area "
WHOLE_CITY = "all"  # the area answer that means every area (stored as None)
# English opt-out and come-back words keep today's meaning when there is nothing to pause or resume.
MENU_WHEN_NOTHING = frozenset({"start", "unstop", "resume"})


# --- Reading the message. ---


def _pending(turn: Turn) -> dict[str, Any]:
    """The opt-in step this message may answer, taken out of the state at the first look."""
    if "topics" not in turn.notes:
        turn.notes["topics"], turn.state.topics = turn.state.topics, {}
    pending: dict[str, Any] = turn.notes["topics"]
    return pending


def _named(turn: Turn) -> list[str]:
    """The configured topics the message names: by the example topics' hints, or by a topic's name."""
    said, found = turn.said, []
    for code, topic in turn.settings.participation.topics.items():
        hint = topic_words.HINTS.get(code)
        names = {code.replace("_", " "), fold(topic.name.es), fold(topic.name.en)}
        if (hint is not None and hint.search(said)) or any(f" {n} " in f" {said} " for n in names if n):
            found.append(code)
    return found


def _area_named(turn: Turn) -> str | None:
    """An area the message names ("en el norte", "downtown"), WHOLE_CITY, or None."""
    said = turn.said
    if said.startswith(AREA_PAYLOAD):
        key = said.removeprefix(AREA_PAYLOAD)
        return key if key == WHOLE_CITY or key in turn.settings.areas else None
    if said in topic_words.WHOLE_CITY:
        return WHOLE_CITY
    for key, area in turn.settings.areas.items():
        names = {key, fold(area.name.es), fold(area.name.en)}
        if any_of(*(rf"\b{n}\b" for n in names if n)).search(said):
            return key
    return None


def _says_no(turn: Turn) -> bool:
    return turn.said in topic_words.NOT_NOW or yes_or_no(turn) is False


def _topic_chosen(turn: Turn) -> str | None:
    said, topics = turn.said, turn.settings.participation.topics
    if said.startswith(TOPIC_PAYLOAD):
        code = said.removeprefix(TOPIC_PAYLOAD)
        return code if code in topics else None
    named = _named(turn)
    return named[0] if len(named) == 1 else None


# --- Asking to opt in, or to leave one topic. ---


def asks(turn: Turn) -> bool:
    """ "quiero recibir encuestas", "avisame de los cortes de agua", "ya no quiero avisos de agua"…"""
    if not turn.settings.participation.topics:
        return False
    said = turn.said
    if said.startswith(TOPIC_PAYLOAD):
        turn.notes["named"] = [c] if (c := _topic_chosen(turn)) else []
        return True
    if is_button(turn) and said != "/topics":
        return False
    if said in topic_words.BARE_WORDS and not turn.state.survey:
        turn.notes["named"] = _named(turn)
        return True
    if topic_words.LEAVE.search(said):
        turn.notes["leave"] = _named(turn)
        return True
    if turn.state.survey:
        return False  # "quiero participar" while a survey is being answered is about that survey
    short = len(said.split()) <= topic_words.MAX_NOUN_ONLY_WORDS
    if topic_words.OPT_IN.search(said) or (short and topic_words.NOUN_ONLY.search(said)):
        turn.notes["named"] = _named(turn)
        return True
    return False


async def offer(turn: Turn) -> None:
    turn.understood()
    if "leave" in turn.notes:
        await _leave(turn, turn.notes["leave"])
        return
    named: list[str] = turn.notes.get("named") or []
    if len(named) == 1:
        await _chosen(turn, named[0], _area_named(turn))
    else:
        _list(turn, named)


def _list(turn: Turn, codes: list[str]) -> None:
    topics = turn.settings.participation.topics
    buttons = tuple(Button(topics[c].name.get(turn.language), TOPIC_PAYLOAD + c) for c in codes or topics)
    turn.say("topics_choose", buttons=buttons)
    turn.state.topics = {"step": TOPIC}


async def _chosen(turn: Turn, code: str, area: str | None) -> None:
    """A topic picked: already in it, its area asked, or the confirmation."""
    topic = turn.settings.participation.topics[code]
    row = await subscription_rows.find(turn.session, turn.citizen.id, code)
    active = row is not None and row.status == SubscriptionStatus.ACTIVE
    if active and not topic.by_area:
        turn.say("topics_already", topic=_name(turn, code))
        await _back(turn)
    elif row is not None and active:
        if area is not None:
            await _change_area(turn, code, area)
            return
        turn.say("topics_already_area", topic=_name(turn, code), area=_area_name(turn, row.area))
        _ask_area(turn, code, change=True, lead=False)
    elif topic.by_area and turn.settings.areas and area is None:
        _ask_area(turn, code, change=False)
    else:
        _confirm(turn, code, area or WHOLE_CITY)


def _ask_area(turn: Turn, code: str, *, change: bool, lead: bool = True) -> None:
    buttons = (
        *(Button(a.name.get(turn.language), AREA_PAYLOAD + k) for k, a in turn.settings.areas.items()),
        turn.button("button_topics_whole_city", AREA_PAYLOAD + WHOLE_CITY),
    )
    key = "topics_ask_area" if lead else "topics_pick_area"
    turn.say(key, topic=_name(turn, code), buttons=buttons)
    turn.state.topics = {"step": AREA, "topic": code, "change": change}


def _confirm(turn: Turn, code: str, area: str) -> None:
    """One message: what they get, how often, where, and how to stop; only its yes records anything."""
    topic, quiet = turn.settings.participation.topics[code], turn.settings.participation.quiet_hours
    what = (
        topic.description.get(turn.language)
        if topic.description is not None
        else turn.t("topics_default_description", topic=_name(turn, code))
    )
    where = turn.t("topics_where", area=_area_name(turn, area)) if topic.by_area else ""
    start, end = quiet.start.strftime("%H:%M"), quiet.end.strftime("%H:%M")
    shown = turn.t("topics_confirm", what=what, where=where, start=start, end=end)
    buttons = (turn.button("button_topics_yes", "/affirm"), turn.button("button_topics_no", "/deny"))
    turn.say_text(shown, buttons=buttons)
    turn.state.topics = {"step": CONFIRM, "topic": code, "area": area, "shown": shown}


# --- The answers to the opt-in's steps (rule topic_answer). ---


def answers(turn: Turn) -> bool:
    pending = _pending(turn)
    step = pending.get("step")
    if step is not None and pending.get("topic", "") not in {"", *turn.settings.participation.topics}:
        return False  # a topic the city has since removed from its config
    if step == CONFIRM:
        return yes_or_no(turn) is not None or turn.said in topic_words.NOT_NOW
    if step is None:
        return False
    if _says_no(turn):
        return True
    return (_topic_chosen(turn) if step == TOPIC else _area_named(turn)) is not None


async def answer(turn: Turn) -> None:
    turn.understood()
    pending = turn.notes["topics"]
    step, code = pending["step"], pending.get("topic")
    if _says_no(turn):
        turn.say("topics_not_now")
        await _back(turn)
    elif step == TOPIC:
        await _chosen(turn, _topic_chosen(turn) or "", _area_named(turn))
    elif step == AREA and pending.get("change"):
        await _change_area(turn, code, _area_named(turn) or WHOLE_CITY)
    elif step == AREA:
        _confirm(turn, code, _area_named(turn) or WHOLE_CITY)
    else:
        area, citizen_id, channel = pending.get("area"), turn.citizen.id, turn.inbound.channel
        stored = None if area in (None, WHOLE_CITY) else area
        await subscription_rows.subscribe(
            turn.session, citizen_id, code, area=stored, channel=channel, shown=pending["shown"]
        )
        by_area = turn.settings.participation.topics[code].by_area
        where = turn.t("topics_where", area=_area_name(turn, area)) if by_area else ""
        turn.say("topics_done", topic=_name(turn, code), where=where)
        await _back(turn)


async def _change_area(turn: Turn, code: str, area: str) -> None:
    stored = None if area == WHOLE_CITY else area
    await subscription_rows.set_area(turn.session, turn.citizen.id, code, stored)
    turn.say("topics_area_changed", topic=_name(turn, code), area=_area_name(turn, stored))
    await _back(turn)


async def _leave(turn: Turn, codes: list[str]) -> None:
    """ "ya no quiero avisos de agua": that topic only. Naming none ("no me manden mas avisos") is BAJA."""
    if not codes:
        await pause(turn)
        await _back(turn)
        return
    left = [c for c in codes if await subscription_rows.leave(turn.session, turn.citizen.id, c)]
    if left:
        turn.say("topics_left", topics=_join(turn, left, "topics_nor"))
    else:
        turn.say("topics_not_in", topics=_join(turn, codes, "topics_nor"))
    await _back(turn)


# --- BAJA (rule stop, bot/ways_out.py) and ALTA (rule come_back). ---


async def pause(turn: Turn) -> None:
    """Every active topic paused, told in one reply that names what stops."""
    turn.state.topics = {}
    paused = await subscription_rows.pause_all(turn.session, turn.citizen.id)
    if paused:
        turn.say("topics_stopped", topics=_join(turn, paused, "topics_nor"))
    else:
        turn.say("topics_stop_none")


def says_come_back(turn: Turn) -> bool:
    _pending(turn)  # the first rule after STOP: from here on an opt-in step is this message's or left
    return turn.said in topic_words.COME_BACK_WORDS


async def come_back(turn: Turn) -> None:
    turn.understood()
    turn.state.topics = {}
    # ALTA on a number that said STOP opens it to the city again (Twilio itself may still want START).
    await citizen_rows.set_opted_out(turn.session, turn.inbound.channel, turn.inbound.address, False)
    resumed = await subscription_rows.resume_all(turn.session, turn.citizen.id)
    if resumed:
        turn.say("topics_resumed", topics=_join(turn, resumed, "topics_and"))
        await _back(turn)
    elif turn.said in MENU_WHEN_NOTHING:
        turn.state.reset_flow()  # as "menu" did before topics existed
        actions.show_menu(turn)
    else:
        _list(turn, [])


# --- Words. ---


def _name(turn: Turn, code: str) -> str:
    topic = turn.settings.participation.topics.get(code)
    # A due-date reminder's topic ("recordar:<slug>") is named from the knowledge base.
    name = topic.name.get(turn.language) if topic else knowledge_reminders.name(turn, code) or code
    return name[:1].lower() + name[1:]


def _area_name(turn: Turn, area: str | None) -> str:
    found = turn.settings.areas.get(area or "")
    return found.name.get(turn.language) if found is not None else turn.t("topics_whole_city")


def described(turn: Turn, code: str, area: str | None, status: str) -> str:
    """ "avisos de cortes de agua (Norte, en pausa)": one of the citizen's topics, for "mis datos"."""
    topic = turn.settings.participation.topics.get(code)
    where = [_area_name(turn, area)] if topic is not None and topic.by_area else []
    return f"{_name(turn, code)} ({', '.join([*where, turn.t(f'topic_status_{status}')])})"


def _join(turn: Turn, codes: list[str], last: str) -> str:
    names = [_name(turn, c) for c in dict.fromkeys(codes)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + turn.t(last) + names[-1]


async def _back(turn: Turn) -> None:
    if in_report(turn):
        await back_to_report(turn)  # the report being filed goes on where it was
