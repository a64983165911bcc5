"""Filing a case by slot filling: service → description → location → photo → confirmation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot import actions
from bot.messages import Button
from bot.texts import text
from bot.turn import Turn, fold

SKIP_WORDS = {
    "omitir", "omite", "saltar", "salta", "skip", "no", "nop", "no tengo", "no se", "nose", "ninguna",
    "ninguno", "sin foto", "paso", "next", "none", "no photo", "no thanks", "no gracias", "/skip", "/deny",
}  # fmt: skip
YES_WORDS = {"si", "sí", "s", "y", "yes", "ok", "dale", "confirmo", "confirmar", "/affirm"}
NO_WORDS = {"no", "n", "nop", "nope", "/deny"}

# A first message this long describes the problem itself, so the bot does not ask for a description.
DESCRIPTIVE_WORDS = 4
MIN_DESCRIPTION_CHARS = 3


def service_of(turn: Turn) -> str | None:
    """The service a confidently understood report_<service> intent names, if any."""
    intent = turn.parse.intent
    if intent.startswith("report_") and turn.is_confident():
        service = intent.removeprefix("report_")
        if service in turn.settings.services:
            return service
    return None


def is_descriptive(turn: Turn) -> bool:
    return not turn.text.startswith("/") and len(turn.text.split()) >= DESCRIPTIVE_WORDS


def absorb_media(turn: Turn) -> None:
    """A pin or a photo is kept whatever step the citizen sends it at."""
    slots = turn.state.slots
    location = turn.inbound.location
    if location is not None:
        slots.latitude, slots.longitude = location.latitude, location.longitude
        if location.address and not slots.address:
            slots.address = location.address
    for attachment in turn.inbound.attachments:
        if attachment.kind == "photo":
            slots.attachments.append({"url": attachment.url, "content_type": attachment.content_type})


def absorb_first_message(turn: Turn, service: str | None) -> None:
    """Take everything the opening message already said, so it is never asked again."""
    slots = turn.state.slots
    slots.service = service
    if service and is_descriptive(turn):
        slots.description = turn.text
    address = turn.parse.entity("address")
    if address is not None:
        slots.address = address.value
    absorb_media(turn)


async def start(turn: Turn, service: str | None) -> None:
    turn.understood()
    turn.state.reset_flow()
    turn.state.flow = "report"
    absorb_first_message(turn, service)
    await ask_next(turn)


def service_buttons(turn: Turn) -> tuple[Button, ...]:
    return tuple(
        Button(turn.settings.service_name(code, turn.language), f"/report_{code}")
        for code in turn.settings.services
    )


async def ask_next(turn: Turn) -> None:
    """Ask for the first thing still missing, or for confirmation when nothing is."""
    state, slots = turn.state, turn.state.slots
    skip = (turn.button("button_skip", "/skip"),)
    if slots.service is None:
        state.step = "service"
        turn.say("ask_service", buttons=service_buttons(turn))
    elif not slots.description:
        state.step = "description"
        turn.say("ask_description", service=turn.settings.service_name(slots.service, turn.language))
    elif not slots.has_place:
        state.step = "location"
        turn.say("ask_location", buttons=skip)
    elif not slots.attachments and not slots.photo_skipped:
        state.step = "photo"
        turn.say("ask_photo", buttons=skip)
    else:
        state.step = "confirm"
        turn.say_text(confirmation(turn), buttons=yes_no(turn))


def yes_no(turn: Turn) -> tuple[Button, ...]:
    return (turn.button("button_yes", "/affirm"), turn.button("button_no", "/deny"))


def confirmation(turn: Turn) -> str:
    slots, language = turn.state.slots, turn.language
    pin = None
    if slots.latitude is not None and slots.longitude is not None:
        pin = text("place_pin", language, lat=slots.latitude, lon=slots.longitude)
    if slots.address and pin:
        place = f"{slots.address}, {pin}"
    else:
        place = slots.address or pin or text("place_none", language)
    return turn.t(
        "confirm",
        service=turn.settings.service_name(slots.service or "", language),
        description=slots.description,
        place=place,
        photo=turn.t("confirm_photo") if slots.attachments else "",
    )


async def on_service(turn: Turn) -> None:
    service = service_of(turn)
    if service is None:
        turn.state.misunderstandings += 1
        turn.say("ask_service", buttons=service_buttons(turn))
        return
    turn.state.slots.service = service
    if is_descriptive(turn) and not turn.state.slots.description:
        turn.state.slots.description = turn.text
    await ask_next(turn)


async def on_description(turn: Turn) -> None:
    words = turn.text.strip()
    if not words:
        await ask_next(turn)  # a photo or pin alone: kept, and the description is still due
        return
    if len(words) < MIN_DESCRIPTION_CHARS or words.startswith("/"):
        turn.say("description_too_short")
        return
    turn.state.slots.description = words
    address = turn.parse.entity("address")
    if address is not None and not turn.state.slots.address:
        turn.state.slots.address = address.value
    await ask_next(turn)


async def on_location(turn: Turn) -> None:
    slots = turn.state.slots
    said = fold(turn.text)
    if slots.latitude is None and said:
        if said in SKIP_WORDS:
            slots.location_skipped = True
        else:
            address = turn.parse.entity("address")
            slots.address = address.value if address is not None else turn.text.strip()
    await ask_next(turn)


async def on_photo(turn: Turn) -> None:
    said = fold(turn.text)
    if not turn.state.slots.attachments:
        if said in SKIP_WORDS or (turn.parse.intent == "deny" and turn.is_confident()):
            turn.state.slots.photo_skipped = True
        elif said:
            turn.say("ask_photo", buttons=(turn.button("button_skip", "/skip"),))
            return
    await ask_next(turn)


async def on_confirm(turn: Turn) -> None:
    said = fold(turn.text)
    intent = turn.parse.intent if turn.is_confident() else None
    if said in YES_WORDS or intent == "affirm":
        await actions.confirm_case(turn)
    elif said in NO_WORDS or intent == "deny":
        turn.state.reset_flow()
        actions.show_menu(turn, "cancelled")
    else:
        turn.say("confirm_again", buttons=yes_no(turn))


STEPS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    "service": on_service,
    "description": on_description,
    "location": on_location,
    "photo": on_photo,
    "confirm": on_confirm,
}


async def continue_flow(turn: Turn) -> None:
    absorb_media(turn)
    await STEPS.get(turn.state.step or "service", on_service)(turn)
