"""The citizen's ways out of whatever is open: "menú", STOP and "cancelar", in words too.

A cancel files nothing and says so; "olvida lo del bache, mejor reporto la fuga" cancels and starts the
other report.
"""

from __future__ import annotations

from bot import actions, anytime_words, report_words, topics
from bot.corrections import CHANGE_CONFIDENCE
from bot.reading import confident, service_of, something_open
from bot.report_start import start
from bot.turn import Turn
from bot.words import fold

# Inside a report, a cancel read only by the classifier must be this sure.
CANCEL_CONFIDENCE = 0.7


def says_stop(turn: Turn) -> bool:
    said = turn.said
    if said in anytime_words.STOP_UNLESS_OPEN and _flow_open(turn):
        return False  # "salir" in the middle of a report leaves the report, not the city's topics
    return said in anytime_words.STOP_WORDS


def _flow_open(turn: Turn) -> bool:
    """A report, an offer, or one of the steps answered by the next message (an opt-in, an erasure, a
    follow-up's or a survey's question)."""
    state = turn.state
    return something_open(turn) or bool(state.topics or turn.erasure or state.followup or state.survey)


def says_menu(turn: Turn) -> bool:
    return turn.said in anytime_words.MENU_WORDS


def wants_to_cancel(turn: Turn) -> bool:
    said = turn.said
    if said in anytime_words.CANCEL_WORDS or anytime_words.CANCEL_PHRASES.search(said):
        return True
    if said in anytime_words.STOP_UNLESS_OPEN and _flow_open(turn):
        return True
    if not something_open(turn) or turn.inbound.attachments or turn.inbound.location is not None:
        return False  # a photo or a pin sent now answers the report; it does not abandon it
    if said in anytime_words.CANCEL_SHORT:
        return True
    if turn.state.step == "photo" and report_words.PHOTO_REFUSAL.search(said):
        return False  # "no pic sorry, just log it" refuses the photo, not the report
    if turn.state.step == "location" and _names_an_area(turn):
        return False  # "el norte" answers "¿dónde es?" (the classifier once read it as a cancel)
    return confident(turn, "cancel", CANCEL_CONFIDENCE)


def _names_an_area(turn: Turn) -> bool:
    """The message names one of the city's areas ("el norte", "por el centro", "downtown")."""
    words = f" {turn.said} "
    for code, area in turn.settings.areas.items():
        names = {fold(code), fold(area.name.es), fold(area.name.en)}
        if any(f" {name} " in words for name in names if name):
            return True
    return False


async def stop(turn: Turn) -> None:
    """BAJA / STOP: whatever is open stops, and so does every topic, confirmed in one reply."""
    turn.understood()
    turn.state.reset_flow()
    turn.state.survey = {}  # a survey being answered stops too: its questions are the city's initiative
    await topics.pause(turn)


async def menu(turn: Turn) -> None:
    turn.understood()
    turn.state.reset_flow()
    turn.state.topics = {}  # an opt-in being asked is left
    actions.show_menu(turn)


async def cancel(turn: Turn) -> None:
    state = turn.state
    had_something = something_open(turn)
    state.reset_flow()
    state.next_problem, state.offered_next = {}, False
    turn.understood()
    instead = await _instead(turn)
    if instead is not None:
        # "olvida lo del bache, mejor reporto la fuga de agua en calle Morelos 88": cancel, then the other.
        turn.say("cancelled")
        await start(turn, instead)
        return
    actions.show_menu(turn, "cancelled" if had_something else "nothing_to_cancel")


async def _instead(turn: Turn) -> str | None:
    """The service a cancel message asks for instead of the abandoned report, if it names one."""
    if turn.classifier is None or len(turn.said.split()) < 5:
        return None
    rest = " ".join(anytime_words.CANCEL_PHRASES.sub(" ", turn.said).split())
    if not rest or rest == turn.said:
        return None
    return service_of(turn, await turn.classifier.parse(rest), at_least=CHANGE_CONFIDENCE)
