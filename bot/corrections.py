"""Corrections inside a report: a slot the citizen corrects in their own words, and a change of category.

"la dirección era otra: Mitre 450", "es 5800 no 5400", "kra 13" for the carrera of "cll 63 con kra 11";
"no es un árbol, es un poste caído". Each wins over the pending question (the rules `change_category` and
`correction`), changes the slot, says so and asks the next question or shows the summary again.
"""

from __future__ import annotations

import re

from bot import report_words
from bot.reading import in_report, is_button, is_descriptive, service_of
from bot.report_questions import ask_next
from bot.turn import Turn
from bot.words import fold

# A change of category read by the classifier must be this sure.
CHANGE_CONFIDENCE = 0.6

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


# --- A slot corrected. ---


def corrected(turn: Turn) -> tuple[str, str] | None:
    """("place", the new place) or ("description", the new words) when a message in a report corrects one."""
    if not in_report(turn) or is_button(turn):
        return None
    state, slots = turn.state, turn.state.slots
    named = report_words.PLACE_AFTER_NAME.search(turn.text)
    if named is not None:
        place = new_place(turn, after=named.start("place"))
        return "place", place or named.group("place").strip(" .")
    described = report_words.DESCRIPTION_AFTER_NAME.search(turn.text)
    if described is not None and state.step != "description":
        text = described.group("text").strip()
        if not any(e.entity == "address" and e.start >= described.start("text") for e in turn.parse.entities):
            return "description", text
    if state.step == "location":
        return None
    if slots.address and (swapped := swapped_number(turn)) is not None:
        return "place", swapped  # "es Rivadavia 5800 no 5400": the old number was in the place
    cue = report_words.CORRECTION_CUES.search(turn.said) is not None
    place = new_place(turn)
    if place is None:
        return None
    if state.step in {"photo", "confirm"} or (cue and (slots.address or state.step != "service")):
        return "place", place
    return None


def corrects_a_slot(turn: Turn) -> bool:
    return corrected(turn) is not None


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


async def correct(turn: Turn) -> None:
    slot, value = corrected(turn) or ("", "")
    slots = turn.state.slots
    if slot == "place":
        slots.address, slots.location_skipped = value, False
        prefix = turn.t("corrected_place", place=value)
    else:
        slots.description = value
        prefix = turn.t("corrected_description")
    turn.understood()
    await ask_next(turn, prefix=prefix)


# --- Another category. ---


async def other_service(turn: Turn) -> str | None:
    """The service a message in a report switches to ("no es un árbol, es un poste caído"), if any.

    Only a message with a correction cue or a negation changes the category; the cue and the negated part
    are left out and the rest is read again, so "not the road" does not count for the road."""
    if "other_service" in turn.notes:
        return turn.notes["other_service"]  # type: ignore[no-any-return]
    turn.notes["other_service"] = None
    current = turn.state.slots.service
    if not in_report(turn) or is_button(turn) or current is None or turn.state.step == "service":
        return None
    said = turn.said
    if report_words.NEGATED_PART.search(said) is None and report_words.CORRECTION_CUES.search(said) is None:
        return None
    candidate = await affirmed_service(turn)
    if candidate is None:
        at_least = max(turn.settings.nlu.confidence_threshold, CHANGE_CONFIDENCE)
        candidate = service_of(turn, at_least=at_least)
    if candidate == current:
        candidate = None
    turn.notes["other_service"] = candidate
    return candidate


async def changes_category(turn: Turn) -> bool:
    return await other_service(turn) is not None


async def affirmed_service(turn: Turn) -> str | None:
    """The service of what the message affirms once its correction cues and negated parts are left out
    ("me equivoqué, no es un árbol, es un poste caído" → "es un poste caído"); None when nothing was left
    out or the rest names no service confidently."""
    said = turn.said
    for entity in turn.parse.entities:  # a place says nothing of the category
        if entity.entity == "address":
            said = said.replace(fold(entity.value), " ")
    rest = report_words.CORRECTION_CUES.sub(" ", report_words.NEGATED_PART.sub(" ", said))
    rest = " ".join(rest.split())
    if turn.classifier is None or not rest or rest == turn.said:
        return None
    return service_of(turn, await turn.classifier.parse(rest))


async def change_category(turn: Turn) -> None:
    """Another category; the place, description and photo still apply and are kept."""
    service = await other_service(turn)
    if service is None:
        return
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
