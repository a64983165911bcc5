"""The answer to the report's pending question, validated by its step.

The place question does not take "sí" as a place; the photo question takes natural refusals and nudges a
bare "sí"; the confirmation takes a yes only in a short message and otherwise shows the summary again.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from bot import actions, joining, report_words
from bot.reading import is_descriptive, photos_of, service_of
from bot.report_questions import ask_next, confirmation, service_buttons, skip, yes_no
from bot.report_start import carry_place, offer_next
from bot.turn import Turn

MIN_DESCRIPTION_CHARS = 3
# An answer to the place question this short is taken whole when it adds a number or a name to the street.
WHOLE_PLACE_WORDS = 10
# Intents that answer a question rather than name a place, when the classifier is sure of them.
NOT_A_PLACE = frozenset({"affirm", "deny", "greet", "goodbye", "thanks", "help", "case_status"})
_LEADING = re.compile(r"^(?:(?:es|queda|esta|está|it s|it is|its|en|at|in|on|the)\s+)+", re.IGNORECASE)


async def continue_flow(turn: Turn) -> None:
    absorb_media(turn)
    await STEPS.get(turn.state.step or "service", on_service)(turn)


def absorb_media(turn: Turn) -> None:
    """A pin or a photo is kept whatever step the citizen sends it at."""
    slots = turn.state.slots
    location = turn.inbound.location
    if location is not None:
        slots.latitude, slots.longitude = location.latitude, location.longitude
        slots.location_skipped = False
        if location.address and not slots.address:
            slots.address = location.address
    slots.attachments.extend(photos_of(turn))


def _take_address(turn: Turn) -> None:
    """An address in an answer to another question is kept, unless the report has one already."""
    address = turn.parse.entity("address")
    if address is not None and not turn.state.slots.address:
        turn.state.slots.address = address.value


async def on_service(turn: Turn) -> None:
    service = service_of(turn)
    if service is None:
        turn.state.misunderstandings += 1
        turn.say("ask_service", buttons=service_buttons(turn))
        return
    slots = turn.state.slots
    slots.service = service
    if is_descriptive(turn.text) and not slots.description:
        slots.description = turn.text
    _take_address(turn)
    await ask_next(turn, recap=True)


async def on_description(turn: Turn) -> None:
    said = turn.text.strip()
    if not said:
        await ask_next(turn)  # a photo or pin alone: kept, and the description is still due
        return
    if (
        len(said) < MIN_DESCRIPTION_CHARS
        or said.startswith("/")
        or turn.said in report_words.YES_WORDS | report_words.NO_WORDS
    ):
        turn.say("description_too_short")
        return
    turn.state.slots.description = said
    _take_address(turn)
    await ask_next(turn)


async def on_location(turn: Turn) -> None:
    slots = turn.state.slots
    if turn.inbound.location is None and turn.said:
        if turn.said in report_words.SKIP_WORDS:
            slots.location_skipped = True
        elif (address := turn.parse.entity("address")) is not None:
            slots.address = _whole_place(turn, address.value, address.start, address.end)
        elif _looks_like_a_place(turn):
            slots.address = turn.text.strip()
        else:
            turn.say("location_nudge", buttons=skip(turn))
            return
    await ask_next(turn)


def _looks_like_a_place(turn: Turn) -> bool:
    said = turn.said
    if said in report_words.YES_WORDS or said in report_words.NO_WORDS or said.startswith("/"):
        return False
    if turn.parse.intent in NOT_A_PLACE and turn.is_confident() and turn.parse.entity("address") is None:
        return False
    return sum(c.isalpha() for c in said) >= 3 or any(c.isdigit() for c in said)


def _whole_place(turn: Turn, found: str, start: int, end: int) -> str:
    """At the place question the answer is the place: keep what the citizen added to the street the finder
    saw ("17 Mill Lane, SE5 8QZ", "Av. Constitución 405 Ote, col. Centro") when it carries a number or a
    name, rather than a fragment of it."""
    text = turn.text.strip()
    rest = (turn.text[:start] + " " + turn.text[end:]).strip(" ,.;:")
    if len(text.split()) > WHOLE_PLACE_WORDS or not rest or not any(c.isdigit() or c.isupper() for c in rest):
        return found
    return _LEADING.sub("", text).strip(" .") or found


async def on_photo(turn: Turn) -> None:
    slots, said = turn.state.slots, turn.said
    if not slots.attachments and said:
        refuses = said in report_words.SKIP_WORDS or report_words.PHOTO_REFUSAL.search(said) is not None
        if refuses or (turn.parse.intent == "deny" and turn.is_confident()):
            slots.photo_skipped = True
        else:
            # "sí" with no photo, or anything else: a short nudge, not the same question again.
            turn.say("photo_nudge", buttons=skip(turn))
            return
    await ask_next(turn)


async def on_confirm(turn: Turn) -> None:
    said = turn.said
    short = len(said.split()) <= report_words.MAX_CONFIRM_WORDS
    intent = turn.parse.intent if turn.is_confident() and short else None
    answer = report_words.short_answer(said)
    if answer is True or (answer is None and intent == "affirm"):
        carry_place(turn)
        await actions.confirm_case(turn)
        offer_next(turn)
    elif answer is False or (answer is None and intent == "deny"):
        turn.state.reset_flow()
        turn.state.next_problem = {}
        actions.show_menu(turn, "cancelled")
    elif turn.inbound.location is not None or turn.inbound.attachments:
        await ask_next(turn)  # a pin or photo at the confirmation: kept, and the summary shown again
    else:
        turn.say_text(f"{turn.t('confirm_again')}\n{confirmation(turn)}", buttons=yes_no(turn))


STEPS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    "service": on_service,
    "description": on_description,
    "location": on_location,
    "photo": on_photo,
    "confirm": on_confirm,
    joining.STEP: lambda turn: joining.answer(turn, then=ask_next),
}
