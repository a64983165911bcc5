"""The report's next question: the first thing still missing, or the summary to confirm.

Service → description → location → photo → confirmation; whatever the citizen already said is not asked
again, and the summary is shown again after any change.
"""

from __future__ import annotations

from bot import danger_words, joining
from bot.messages import Button
from bot.reading import in_report
from bot.texts import text
from bot.turn import Turn


async def ask_next(turn: Turn, *, recap: bool = False, prefix: str = "") -> None:
    """Ask for the first thing still missing, or for confirmation when nothing is.

    `recap` starts the question with what was understood (service and place); `prefix` with a line such
    as "I changed the place"."""
    state, slots = turn.state, turn.state.slots
    lead = prefix
    if recap and slots.service is not None:
        place = place_of(turn)
        service = turn.settings.service_name(slots.service, turn.language)
        understood = turn.t("understood_place", service=service, place=place) if place else None
        understood = understood or turn.t("understood", service=service)
        lead = f"{lead}\n{understood}".strip() if lead else understood
    if slots.service is None:
        state.step = "service"
        _ask(turn, lead, turn.t("ask_service"), service_buttons(turn))
    elif not slots.description:
        state.step = "description"
        name = turn.settings.service_name(slots.service, turn.language)
        _ask(turn, lead, turn.t("ask_description", service=name))
    elif not slots.has_place:
        state.step = "location"
        _ask(turn, lead, turn.t("ask_location"), skip(turn))
    elif not slots.attachments and not slots.photo_skipped and wants_photo(turn):
        state.step = "photo"
        _ask(turn, lead, turn.t("ask_photo"), skip(turn))
    elif not await joining.offer(turn, lead):  # "¿Es el mismo?" first, when an open one is near
        state.step = "confirm"
        _ask(turn, lead, confirmation(turn), yes_no(turn))
    note_safety(turn)


async def back_to_report(turn: Turn) -> None:
    """After answering something else inside a report (a case's status, a question), its pending question."""
    if in_report(turn):
        await ask_next(turn, prefix=turn.t("back_to_report"))


def _ask(turn: Turn, lead: str, question: str, buttons: tuple[Button, ...] = ()) -> None:
    turn.say_text(f"{lead}\n{question}" if lead else question, buttons=buttons)


def service_buttons(turn: Turn) -> tuple[Button, ...]:
    return tuple(
        Button(turn.settings.service_name(code, turn.language), f"/report_{code}")
        for code in turn.settings.services
    )


def skip(turn: Turn) -> tuple[Button, ...]:
    return (turn.button("button_skip", "/skip"),)


def yes_no(turn: Turn) -> tuple[Button, ...]:
    return (turn.button("button_yes", "/affirm"), turn.button("button_no", "/deny"))


def wants_photo(turn: Turn) -> bool:
    service = turn.settings.services.get(turn.state.slots.service or "")
    return service is None or service.photo == "ask"


def place_of(turn: Turn) -> str | None:
    slots = turn.state.slots
    pin = None
    if slots.latitude is not None and slots.longitude is not None:
        pin = text("place_pin", turn.language, lat=slots.latitude, lon=slots.longitude)
    if slots.address and pin:
        return f"{slots.address}, {pin}"
    return slots.address or pin


def confirmation(turn: Turn) -> str:
    """The summary the citizen confirms: service, description, place, and whether a photo goes with it."""
    slots, language = turn.state.slots, turn.language
    return turn.t(
        "confirm",
        service=turn.settings.service_name(slots.service or "", language),
        description=slots.description,
        place=place_of(turn) or text("place_none", language),
        photo=turn.t("confirm_photo") if slots.attachments else "",
    )


def note_safety(turn: Turn) -> None:
    """A one-line safety note for a report about a hazard (a fallen cable, an open manhole), once."""
    if turn.state.safety_noted or not turn.said:
        return
    for hazard, pattern in danger_words.SAFETY_HAZARDS:
        if pattern.search(turn.said):
            turn.state.safety_noted = True
            turn.say(f"safety_{hazard}", numbers=" / ".join(turn.settings.city.emergency.numbers))
            return
