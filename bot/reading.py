"""What a message says, read in the light of the conversation: the readings the rules and the report share.

Nothing here answers or changes the dialogue; each reading is a plain function of the turn.
"""

from __future__ import annotations

from typing import Any

from bot import report_words
from bot.settings import Settings
from bot.turn import Turn
from nlu.base import Parse

# A message this long describes the problem itself, so the bot does not ask for a description.
DESCRIPTIVE_WORDS = 4


def in_report(turn: Turn) -> bool:
    return turn.state.flow == "report"


def something_open(turn: Turn) -> bool:
    state = turn.state
    return in_report(turn) or state.offered_person or state.offered_next


def confident(turn: Turn, intent: str, at_least: float | None = None) -> bool:
    threshold = turn.settings.nlu.confidence_threshold if at_least is None else at_least
    return turn.parse.intent == intent and turn.parse.confidence >= threshold


def is_button(turn: Turn) -> bool:
    return turn.text.startswith("/")


def reported_service(settings: Settings, intent: str) -> str | None:
    """The catalog's service a report_<service> intent names, however sure the classifier was."""
    service = intent.removeprefix("report_")
    return service if intent.startswith("report_") and service in settings.services else None


def service_of(turn: Turn, parse: Parse | None = None, *, at_least: float | None = None) -> str | None:
    """The service a confidently understood report_<service> intent names, if any."""
    parse = parse or turn.parse
    threshold = turn.settings.nlu.confidence_threshold if at_least is None else at_least
    return reported_service(turn.settings, parse.intent) if parse.confidence >= threshold else None


def yes_or_no(turn: Turn) -> bool | None:
    """A yes or a no to what the bot offered (a person, the second problem, a link), or None."""
    following = turn.state.next_problem.get("service") if turn.state.offered_next else None
    if following is not None and service_of(turn) == following:
        return True  # "go on then, do the pothole as well"
    short = report_words.short_answer(turn.said)
    if short is not None:
        return short
    if confident(turn, "affirm"):
        return True
    if confident(turn, "deny"):
        return False
    return None


def is_descriptive(said: str) -> bool:
    return not said.startswith("/") and len(said.split()) >= DESCRIPTIVE_WORDS


def photos_of(turn: Turn) -> list[dict[str, Any]]:
    """The message's photos, as a report's attachments hold them."""
    return [
        {"url": a.url, "content_type": a.content_type} for a in turn.inbound.attachments if a.kind == "photo"
    ]


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
    photos = photos_of(turn)
    if photos:
        said["attachments"] = [*said.get("attachments", []), *photos]
    return said
