"""Filing a case by slot filling: service → description → location → photo → confirmation.

Each step validates its answer (a place prompt does not take "sí" as a place); corrections and changes of
category arrive through the dialogue's rules and land here, and the summary is shown again after any change.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot import actions, joining, words
from bot.messages import Button
from bot.texts import text
from bot.turn import Slots, Turn
from bot.words import fold
from nlu.base import Parse

# A message this long describes the problem itself, so the bot does not ask for a description.
DESCRIPTIVE_WORDS = 4
MIN_DESCRIPTION_CHARS = 3
# An answer to the place question this short is taken whole when it adds a number or a name to the street.
WHOLE_PLACE_WORDS = 10
# Intents that answer a question rather than name a place, when the classifier is sure of them.
NOT_A_PLACE = frozenset({"affirm", "deny", "greet", "goodbye", "thanks", "help", "case_status"})


def service_of(turn: Turn, parse: Parse | None = None, *, at_least: float | None = None) -> str | None:
    """The service a confidently understood report_<service> intent names, if any."""
    parse = parse or turn.parse
    intent = parse.intent
    threshold = turn.settings.nlu.confidence_threshold if at_least is None else at_least
    if intent.startswith("report_") and parse.confidence >= threshold:
        service = intent.removeprefix("report_")
        if service in turn.settings.services:
            return service
    return None


# Street words of one kind, so "la kra 13" corrects the carrera of "cll 63 con kra 11".
_STREET_KINDS = (
    frozenset({"calle", "cll", "cl", "clle", "cale"}),
    frozenset({"carrera", "cra", "kra", "kr", "cr", "crr", "carr"}),
    frozenset({"avenida", "av", "avda", "avd"}),
    frozenset({"diagonal", "dg", "diag"}),
    frozenset({"transversal", "tv", "tr", "trans", "transv"}),
)
_NEGATED_BEFORE = re.compile(
    r"(?:\bno|\bnot|\bni|\bisn t|\bwasn t)(?:\s+(?:es|era|is|was|on|at|en|in|sobre))?"
    r"(?:\s+(?:la|el|the|a|al|del))?\s*$"
)
_SWAP = (
    # "es Rivadavia 5800 no 5400", "it's 2381 N Halsted not 2318": (new, old)
    re.compile(
        r"\b(?P<new>\d+[a-z]?)\b[^\d]{0,40}?\b(?:no|not|ni|y no|instead of|en vez de)\s+"
        r"(?:(?:el|la|the|es)\s+)?(?P<old>\d+[a-z]?)\b"
    ),
    # "no es el 5400 sino el 5800", "not 2318 but 2381"
    re.compile(
        r"\b(?:no|not)\s+(?:es\s+|is\s+)?(?:(?:el|la|the)\s+)?(?P<old>\d+[a-z]?)\b\s*"
        r"(?:sino|but|es|it s|its)\s+(?:(?:el|la|the)\s+)?(?P<new>\d+[a-z]?)\b"
    ),
)


def new_place(turn: Turn, *, after: int = 0) -> str | None:
    """The place a correction gives: the last address in the message (from `after`) that is not the one
    negated ("no es la kra 11 sino la kra 13") nor the current one, merged into the current place when it
    only names one of its streets."""
    current = turn.state.slots.address
    candidates = []
    for entity in turn.parse.entities:
        if entity.entity != "address" or entity.start < after or entity.value == current:
            continue
        if _NEGATED_BEFORE.search(fold(turn.text[max(0, entity.start - 16) : entity.start])):
            continue
        candidates.append(entity.value)
    if not candidates:
        return None
    return merge_place(current, candidates[0])


def merge_place(current: str | None, new: str) -> str:
    """ "cll 63 con kra 11" corrected by "kra 13" is "cll 63 con kra 13"; any other place replaces it."""
    new_words = fold(new).split()
    if current is None or len(new_words) != 2 or not new_words[1][:1].isdigit():
        return new
    kind = next((k for k in _STREET_KINDS if new_words[0] in k), None)
    if kind is None:
        return new
    old_words = current.split()
    for index in range(len(old_words) - 1):
        if fold(old_words[index]) in kind and old_words[index + 1][:1].isdigit():
            return " ".join([*old_words[:index], *new.split(), *old_words[index + 2 :]])
    return new


def swapped_number(turn: Turn) -> str | None:
    """The current place with a number swapped ("5800, not 5400"), if the message does that."""
    current = turn.state.slots.address or ""
    said = turn.said
    for pattern in _SWAP:
        match = pattern.search(said)
        if match is None:
            continue
        old, new = match.group("old"), match.group("new")
        replaced = re.sub(rf"\b{re.escape(old)}\b", new, current, count=1, flags=re.IGNORECASE)
        if replaced != current:
            return replaced
    return None


async def affirmed_service(turn: Turn) -> str | None:
    """The service of what the message affirms once its correction cues and negated parts are left out
    ("me equivoqué, no es un árbol, es un poste caído" → "es un poste caído"); None when nothing was left
    out or the rest names no service confidently."""
    said = turn.said
    for entity in turn.parse.entities:  # a place says nothing of the category
        if entity.entity == "address":
            said = said.replace(fold(entity.value), " ")
    rest = words.CORRECTION_CUES.sub(" ", words.NEGATED_PART.sub(" ", said))
    rest = " ".join(rest.split())
    if turn.classifier is None or not rest or rest == turn.said:
        return None
    return service_of(turn, await turn.classifier.parse(rest))


def is_descriptive(said: str) -> bool:
    return not said.startswith("/") and len(said.split()) >= DESCRIPTIVE_WORDS


def absorb_media(turn: Turn) -> None:
    """A pin or a photo is kept whatever step the citizen sends it at."""
    slots = turn.state.slots
    location = turn.inbound.location
    if location is not None:
        slots.latitude, slots.longitude = location.latitude, location.longitude
        slots.location_skipped = False
        if location.address and not slots.address:
            slots.address = location.address
    for attachment in turn.inbound.attachments:
        if attachment.kind == "photo":
            slots.attachments.append({"url": attachment.url, "content_type": attachment.content_type})


def what_was_said(turn: Turn, *, description: bool = True) -> dict[str, Any]:
    """The place, description and media of this message (and of an unclear one before it, `turn.kept`),
    as slot values: kept when a clarification follows, taken when a report starts."""
    said: dict[str, Any] = dict(turn.kept)
    if description and is_descriptive(turn.text):
        said["description"] = turn.text
    address = turn.parse.entity("address")
    if address is not None:
        said["address"] = address.value
    location = turn.inbound.location
    if location is not None:
        said["latitude"], said["longitude"] = location.latitude, location.longitude
        if location.address and "address" not in said:
            said["address"] = location.address
    photos = [
        {"url": a.url, "content_type": a.content_type} for a in turn.inbound.attachments if a.kind == "photo"
    ]
    if photos:
        said["attachments"] = [*said.get("attachments", []), *photos]
    return said


async def start(turn: Turn, service: str | None, *, carry: dict[str, Any] | None = None) -> None:
    """Open a report with everything already said: this message, what an unclear message before it said
    (`turn.kept`), or `carry` (a second problem's text with the place of the report just filed)."""
    turn.understood()
    turn.state.reset_flow()
    turn.state.flow = "report"
    turn.state.next_problem, turn.state.offered_next = {}, False
    if carry is not None:
        said = dict(carry)
    else:
        turn.state.publish_due = []  # a report of its own: earlier cases are not asked about any more
        # A report's opening words describe it once the service is known ("quiero reportar algo" does not).
        said = what_was_said(turn, description=service is not None)
        if service is not None and words.NEGATED_PART.search(turn.said):
            service = await affirmed_service(turn) or service  # "no es un árbol, es un poste caído"
        if service is not None:
            service, first = await _first_of_two(turn, service)
            if first is not None:
                said["description"] = first
    slots = turn.state.slots
    slots.service = service
    for name in ("description", "address", "latitude", "longitude", "attachments"):
        if said.get(name):
            setattr(slots, name, said[name])
    await ask_next(turn, recap=service is not None)


async def _first_of_two(turn: Turn, service: str) -> tuple[str, str | None]:
    """Two problems in one message ("hay un hueco y además la luminaria no prende"): the first is filed,
    the second kept to offer once the first is filed; nothing is dropped silently. Returns the service to
    file first and its own words (None when the message holds one problem)."""
    said = turn.text
    if turn.classifier is None or said.startswith("/") or not words.may_hold_two(turn.said, said):
        return service, None
    found: list[tuple[str, str]] = []
    for part in words.SECOND_PROBLEM.split(said):
        part = part.strip(" ,.;")
        if not part:
            continue
        part_service = service_of(turn, await turn.classifier.parse(part))
        if part_service is not None and all(part_service != s for s, _ in found):
            found.append((part_service, part))
    if len(found) < 2:
        return service, None
    (first, first_text), (second, second_text) = found[0], found[1]
    turn.state.next_problem = {"service": second, "text": second_text}
    turn.say(
        "two_problems",
        first=turn.settings.service_name(first, turn.language),
        second=turn.settings.service_name(second, turn.language),
    )
    return first, first_text


def service_buttons(turn: Turn) -> tuple[Button, ...]:
    return tuple(
        Button(turn.settings.service_name(code, turn.language), f"/report_{code}")
        for code in turn.settings.services
    )


def place_of(turn: Turn, slots: Slots | None = None) -> str | None:
    slots = slots or turn.state.slots
    pin = None
    if slots.latitude is not None and slots.longitude is not None:
        pin = text("place_pin", turn.language, lat=slots.latitude, lon=slots.longitude)
    if slots.address and pin:
        return f"{slots.address}, {pin}"
    return slots.address or pin


def note_safety(turn: Turn) -> None:
    """A one-line safety note for a report about a hazard (a fallen cable, an open manhole), once."""
    if turn.state.safety_noted or not turn.said:
        return
    for hazard, pattern in words.SAFETY_HAZARDS:
        if pattern.search(turn.said):
            turn.state.safety_noted = True
            turn.say(f"safety_{hazard}", numbers=" / ".join(turn.settings.city.emergency.numbers))
            return


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
    skip = (turn.button("button_skip", "/skip"),)
    if slots.service is None:
        state.step = "service"
        _ask(turn, lead, turn.t("ask_service"), service_buttons(turn))
    elif not slots.description:
        state.step = "description"
        name = turn.settings.service_name(slots.service, turn.language)
        _ask(turn, lead, turn.t("ask_description", service=name))
    elif not slots.has_place:
        state.step = "location"
        _ask(turn, lead, turn.t("ask_location"), skip)
    elif not slots.attachments and not slots.photo_skipped and wants_photo(turn):
        state.step = "photo"
        _ask(turn, lead, turn.t("ask_photo"), skip)
    elif not await joining.offer(turn, lead):  # "¿Es el mismo?" first, when an open one is near
        state.step = "confirm"
        _ask(turn, lead, confirmation(turn), yes_no(turn))
    note_safety(turn)


def _ask(turn: Turn, lead: str, question: str, buttons: tuple[Button, ...] = ()) -> None:
    turn.say_text(f"{lead}\n{question}" if lead else question, buttons=buttons)


def wants_photo(turn: Turn) -> bool:
    service = turn.settings.services.get(turn.state.slots.service or "")
    return service is None or service.photo == "ask"


def yes_no(turn: Turn) -> tuple[Button, ...]:
    return (turn.button("button_yes", "/affirm"), turn.button("button_no", "/deny"))


def confirmation(turn: Turn) -> str:
    slots, language = turn.state.slots, turn.language
    return turn.t(
        "confirm",
        service=turn.settings.service_name(slots.service or "", language),
        description=slots.description,
        place=place_of(turn) or text("place_none", language),
        photo=turn.t("confirm_photo") if slots.attachments else "",
    )


# --- Corrections and changes, from the dialogue's rules. ---


async def correct_place(turn: Turn, place: str) -> None:
    slots = turn.state.slots
    slots.address, slots.location_skipped = place, False
    turn.understood()
    await ask_next(turn, prefix=turn.t("corrected_place", place=place))


async def correct_description(turn: Turn, description: str) -> None:
    turn.state.slots.description = description
    turn.understood()
    await ask_next(turn, prefix=turn.t("corrected_description"))


async def change_service(turn: Turn, service: str) -> None:
    """Another category; the place, description and photo still apply and are kept."""
    slots = turn.state.slots
    slots.service = service
    if (place := new_place(turn)) is not None and (not slots.address or turn.state.step == "location"):
        slots.address, slots.location_skipped = place, False
    if is_descriptive(turn.text):
        # The citizen's own correction stays with the description the agent reads.
        slots.description = f"{slots.description} ({turn.text})" if slots.description else turn.text
    turn.understood()
    name = turn.settings.service_name(service, turn.language)
    await ask_next(turn, prefix=turn.t("changed_service", service=name))


# --- The pending step's answer. ---


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
    address = turn.parse.entity("address")
    if address is not None and not slots.address:
        slots.address = address.value
    await ask_next(turn, recap=True)


async def on_description(turn: Turn) -> None:
    said = turn.text.strip()
    if not said:
        await ask_next(turn)  # a photo or pin alone: kept, and the description is still due
        return
    if (
        len(said) < MIN_DESCRIPTION_CHARS
        or said.startswith("/")
        or turn.said in words.YES_WORDS | words.NO_WORDS
    ):
        turn.say("description_too_short")
        return
    turn.state.slots.description = said
    address = turn.parse.entity("address")
    if address is not None and not turn.state.slots.address:
        turn.state.slots.address = address.value
    await ask_next(turn)


def _skips(turn: Turn) -> bool:
    return turn.said in words.SKIP_WORDS


def _looks_like_a_place(turn: Turn) -> bool:
    said = turn.said
    if said in words.YES_WORDS or said in words.NO_WORDS or said.startswith("/"):
        return False
    if turn.parse.intent in NOT_A_PLACE and turn.is_confident() and turn.parse.entity("address") is None:
        return False
    return sum(c.isalpha() for c in said) >= 3 or any(c.isdigit() for c in said)


_LEADING = re.compile(r"^(?:(?:es|queda|esta|está|it s|it is|its|en|at|in|on|the)\s+)+", re.IGNORECASE)


def _whole_place(turn: Turn, found: str, start: int, end: int) -> str:
    """At the place question the answer is the place: keep what the citizen added to the street the finder
    saw ("17 Mill Lane, SE5 8QZ", "Av. Constitución 405 Ote, col. Centro") when it carries a number or a
    name, rather than a fragment of it."""
    text = turn.text.strip()
    rest = (turn.text[:start] + " " + turn.text[end:]).strip(" ,.;:")
    if len(text.split()) > WHOLE_PLACE_WORDS or not rest or not any(c.isdigit() or c.isupper() for c in rest):
        return found
    return _LEADING.sub("", text).strip(" .") or found


async def on_location(turn: Turn) -> None:
    slots = turn.state.slots
    if turn.inbound.location is None and turn.said:
        if _skips(turn):
            slots.location_skipped = True
        elif (address := turn.parse.entity("address")) is not None:
            slots.address = _whole_place(turn, address.value, address.start, address.end)
        elif _looks_like_a_place(turn):
            slots.address = turn.text.strip()
        else:
            turn.say("location_nudge", buttons=(turn.button("button_skip", "/skip"),))
            return
    await ask_next(turn)


async def on_photo(turn: Turn) -> None:
    slots, said = turn.state.slots, turn.said
    if not slots.attachments and said:
        refuses = said in words.SKIP_WORDS or words.PHOTO_REFUSAL.search(said) is not None
        if refuses or (turn.parse.intent == "deny" and turn.is_confident()):
            slots.photo_skipped = True
        else:
            # "sí" with no photo, or anything else: a short nudge, not the same question again.
            turn.say("photo_nudge", buttons=(turn.button("button_skip", "/skip"),))
            return
    await ask_next(turn)


async def on_confirm(turn: Turn) -> None:
    said = turn.said
    short = len(said.split()) <= words.MAX_CONFIRM_WORDS
    intent = turn.parse.intent if turn.is_confident() and short else None
    answer = words.short_answer(said)
    if answer is True or (answer is None and intent == "affirm"):
        if turn.state.next_problem:
            slots = turn.state.slots
            place = {"address": slots.address, "latitude": slots.latitude, "longitude": slots.longitude}
            turn.state.next_problem["place"] = {k: v for k, v in place.items() if v is not None}
        await actions.confirm_case(turn)
        await offer_next(turn)
    elif answer is False or (answer is None and intent == "deny"):
        turn.state.reset_flow()
        turn.state.next_problem = {}
        actions.show_menu(turn, "cancelled")
    elif turn.inbound.location is not None or turn.inbound.attachments:
        await ask_next(turn)  # a pin or photo at the confirmation: kept, and the summary shown again
    else:
        turn.say_text(f"{turn.t('confirm_again')}\n{confirmation(turn)}", buttons=yes_no(turn))


async def offer_next(turn: Turn) -> None:
    """After filing the first of two problems, offer the second (its place carried over)."""
    following = turn.state.next_problem
    if not following:
        return
    turn.state.offered_next = True
    name = turn.settings.service_name(following["service"], turn.language)
    turn.say("offer_next", service=name, buttons=yes_no_next(turn))


def yes_no_next(turn: Turn) -> tuple[Button, ...]:
    return (turn.button("button_yes_next", "/affirm"), turn.button("button_no_next", "/deny"))


STEPS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    "service": on_service,
    "description": on_description,
    "location": on_location,
    "photo": on_photo,
    "confirm": on_confirm,
    joining.STEP: lambda turn: joining.answer(turn, then=ask_next),
}


async def continue_flow(turn: Turn) -> None:
    absorb_media(turn)
    await STEPS.get(turn.state.step or "service", on_service)(turn)
