"""The turn's dispatch by intent, once no rule before took the message; "did you mean…?" when unsure.

A report intent opens a report with everything the message said; a photo or a pin alone does too; the rest
(greet, help, thanks, goodbye, out of scope…) is one table from intent to answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot import actions, knowledge_dialogue
from bot.emergencies import unsure_emergency
from bot.handoff import frustration, offer, person
from bot.messages import Button
from bot.reading import reported_service, service_of, what_was_said
from bot.report_start import start
from bot.status_answers import case_status
from bot.turn import Turn
from bot.ways_out import cancel, menu

# What a button for each intent says, when the bot asks "did you mean…?".
CLARIFY_BUTTONS = {
    "case_status": "button_status",
    "human_handoff": "button_person",
    "report_problem": "button_report",
    "help": "button_help",
}


def has_media_only(turn: Turn) -> bool:
    return not turn.text.strip()


def is_unsure(turn: Turn) -> bool:
    return not turn.is_confident()


def names_a_report(turn: Turn) -> bool:
    return turn.parse.intent.startswith("report_")


def always(turn: Turn) -> bool:
    return True


async def media_only(turn: Turn) -> None:
    # A photo or pin with no words most likely starts a report; keep it and ask what it is about.
    kinds = {a.kind for a in turn.inbound.attachments}
    if "voice" in kinds:
        turn.say("cannot_listen")
    elif turn.inbound.location is not None or "photo" in kinds:
        await start(turn, None)
    else:
        turn.say("unreadable")


async def clarify(turn: Turn) -> None:
    """Offer the likeliest readings as choices; after repeated misses, offer a person. What the message
    said (a place, a description, a photo) is kept for the report the citizen's choice starts."""
    turn.state.draft = what_was_said(turn)
    turn.state.misunderstandings += 1
    if turn.state.misunderstandings >= turn.patience():
        offer(turn, "offer_person")
        return
    choices: list[Button] = []
    for score in turn.parse.ranking:
        button = _clarify_button(turn, score.intent)
        if button is not None and button not in choices:
            choices.append(button)
        if len(choices) == 3:
            break
    if not choices:
        choices = list(actions.main_menu(turn))
    choices.append(turn.button("button_menu", "/menu"))
    turn.say("clarify", buttons=tuple(choices))


def _clarify_button(turn: Turn, intent: str) -> Button | None:
    service = reported_service(turn.settings, intent)
    if service is not None:
        return Button(turn.settings.service_name(service, turn.language), f"/{intent}")
    key = CLARIFY_BUTTONS.get(intent)
    return turn.button(key, f"/{intent}") if key else None


async def report(turn: Turn) -> None:
    await start(turn, service_of(turn))


async def by_intent(turn: Turn) -> None:
    await INTENTS.get(turn.parse.intent, clarify)(turn)


async def greet(turn: Turn) -> None:
    turn.understood()
    turn.say("greeting", city=turn.settings.city.name.get(turn.language))
    actions.show_menu(turn)


async def help_(turn: Turn) -> None:
    turn.understood()
    turn.say("help", buttons=actions.main_menu(turn))


async def goodbye(turn: Turn) -> None:
    turn.understood()
    turn.say("goodbye")


async def thanks(turn: Turn) -> None:
    turn.understood()
    turn.say("thanks")


async def out_of_scope(turn: Turn) -> None:
    turn.understood()
    await knowledge_dialogue.missed(turn)  # recorded for the city, and a person offered


async def report_problem(turn: Turn) -> None:
    await start(turn, None)


INTENTS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    "case_status": case_status,
    "human_handoff": person,
    "report_problem": report_problem,
    "help": help_,
    "greet": greet,
    "goodbye": goodbye,
    "thanks": thanks,
    "affirm": menu,
    "deny": menu,
    "cancel": cancel,
    "emergency": unsure_emergency,
    "frustration": frustration,
    "out_of_scope": out_of_scope,
}
