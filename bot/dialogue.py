"""The dialogue step: global commands first, then the open flow, then the intent table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot import actions, report_flow
from bot.messages import Button
from bot.turn import Turn, fold
from storage import queries

LINK_CODE_MINUTES = 15

# Words the citizen can always say, whatever the bot asked (DESIGN: conversation rules).
MENU_WORDS = {"menu", "/menu", "inicio", "/start", "start", "main menu", "menu principal"}
LINK_WORDS = {"vincular", "link", "vincular cuenta", "link account"}
CANCEL_WORDS = {"cancelar", "cancela", "cancel", "/cancel", "anular", "salir", "exit", "quit"}
PERSON_WORDS = {
    "humano", "human", "agente", "agent", "persona", "una persona", "person", "asesor", "asesora",
    "operador", "operadora", "operator", "/human_handoff",
}  # fmt: skip

# What a button for each intent says, when the bot asks "did you mean…?".
CLARIFY_BUTTONS = {
    "case_status": "button_status",
    "human_handoff": "button_person",
    "report_problem": "button_report",
    "help": "button_help",
}


async def respond(turn: Turn) -> None:
    """Decide what to say to one message, updating the dialogue state on the turn."""
    said = fold(turn.text)
    command = COMMANDS.get(_command_of(said))
    if turn.linked is not None:
        await linked(turn)
    elif command is not None:
        await command(turn)
    elif turn.state.flow == "report":
        await report_flow.continue_flow(turn)
    elif turn.state.offered_person and said and turn.parse.intent in {"affirm", "deny"}:
        await (actions.hand_off(turn, "misunderstood") if turn.parse.intent == "affirm" else menu(turn))
    else:
        await understand(turn)


def _command_of(said: str) -> str | None:
    if said in MENU_WORDS:
        return "menu"
    if said in CANCEL_WORDS:
        return "cancel"
    if said in PERSON_WORDS:
        return "person"
    if said in LINK_WORDS:
        return "link"
    return None


async def menu(turn: Turn) -> None:
    turn.understood()
    turn.state.reset_flow()
    actions.show_menu(turn)


async def cancel(turn: Turn) -> None:
    had_flow = turn.state.flow is not None
    turn.state.reset_flow()
    turn.understood()
    actions.show_menu(turn, "cancelled" if had_flow else "nothing_to_cancel")


async def person(turn: Turn) -> None:
    await actions.hand_off(turn)


async def link(turn: Turn) -> None:
    """Give a one-time code to type on another channel, which joins both into one history."""
    turn.understood()
    minutes = LINK_CODE_MINUTES
    code = await queries.new_link_code(turn.session, turn.citizen.id, timedelta(minutes=minutes))
    turn.say("link_code", code=code.code, minutes=minutes)


async def linked(turn: Turn) -> None:
    turn.understood()
    turn.say({"contact": "phone_linked", "code": "linked"}.get(turn.linked or "", "bad_link_code"))


COMMANDS: dict[str | None, Callable[[Turn], Awaitable[None]]] = {
    "menu": menu,
    "cancel": cancel,
    "person": person,
    "link": link,
}


async def understand(turn: Turn) -> None:
    """No flow is open: act on the intent, or ask when the classifier is unsure."""
    parse = turn.parse
    if not turn.text.strip():
        await _media_only(turn)
        return
    if parse.entity("case_code") is not None and not report_flow.service_of(turn):
        await actions.case_status(turn)
        return
    if not turn.is_confident():
        await clarify(turn)
        return
    if parse.intent.startswith("report_"):
        await report_flow.start(turn, report_flow.service_of(turn))
        return
    handler = INTENTS.get(parse.intent, clarify)
    await handler(turn)


async def _media_only(turn: Turn) -> None:
    # A photo or pin with no words most likely starts a report; keep it and ask what it is about.
    kinds = {a.kind for a in turn.inbound.attachments}
    if "voice" in kinds:
        turn.say("cannot_listen")
    elif turn.inbound.location is not None or "photo" in kinds:
        await report_flow.start(turn, None)
    else:
        turn.say("unreadable")


async def clarify(turn: Turn) -> None:
    """Offer the likeliest readings as choices; after repeated misses, offer a person."""
    turn.state.misunderstandings += 1
    if turn.state.misunderstandings >= turn.settings.dialogue.max_misunderstandings:
        turn.state.offered_person = True
        turn.say(
            "offer_person",
            buttons=(turn.button("button_person", "/human_handoff"), turn.button("button_menu", "/menu")),
        )
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
    service = intent.removeprefix("report_")
    if intent.startswith("report_") and service in turn.settings.services:
        return Button(turn.settings.service_name(service, turn.language), f"/{intent}")
    key = CLARIFY_BUTTONS.get(intent)
    return turn.button(key, f"/{intent}") if key else None


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
    turn.say("out_of_scope", buttons=actions.main_menu(turn))


async def report_problem(turn: Turn) -> None:
    await report_flow.start(turn, None)


INTENTS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    "case_status": actions.case_status,
    "human_handoff": actions.hand_off,
    "report_problem": report_problem,
    "help": help_,
    "greet": greet,
    "goodbye": goodbye,
    "thanks": thanks,
    "affirm": menu,
    "deny": menu,
    "out_of_scope": out_of_scope,
}
