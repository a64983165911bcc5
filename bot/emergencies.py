"""An emergency (violence, fire, gas, someone hurt) is answered at once with the city's number and the
offer of a person; it never starts a report, and a hazard to report is a report with a safety note.
"""

from __future__ import annotations

from bot import danger_words, metrics
from bot.handoff import offer
from bot.reading import confident, is_button, reported_service
from bot.report_start import start
from bot.turn import Turn
from storage.conversations import EMERGENCY

# The classifier alone calls a message an emergency only when it is this sure; the phrase list needs no model.
EMERGENCY_CONFIDENCE = 0.6
# An unsure emergency reading gives way to a report the classifier ranks next at least this high.
UNSURE_EMERGENCY_REPORT = 0.15


def is_emergency(turn: Turn) -> bool:
    if is_button(turn):
        return False
    if danger_words.emergency_in(turn.said):
        return True
    # "no sparks, just dangling", "un perro herido", fireworks: the model must not overrule the citizen.
    said = turn.said
    # A hazard to report ("un poste caído con el cable colgando") gets its safety note, not the number.
    ruled_out = (
        danger_words.ABSENT_HAZARD.search(said)
        or danger_words.NOT_EMERGENCY.search(said)
        or danger_words.ANIMAL.search(said)
        or any(pattern.search(said) for _, pattern in danger_words.SAFETY_HAZARDS)
    )
    return not ruled_out and confident(turn, "emergency", EMERGENCY_CONFIDENCE)


async def emergency(turn: Turn) -> None:
    """The emergency number at once and the offer of a person; never a report."""
    state = turn.state
    turn.understood()
    state.reset_flow()
    state.next_problem, state.offered_next = {}, False
    state.emergency = True
    turn.message.intent = "emergency"
    metrics.EMERGENCIES.labels(turn.inbound.channel).inc()
    turn.say_text(turn.settings.city.emergency.say(turn.language))
    offer(turn, "emergency_offer")


async def emergency_while_held(turn: Turn) -> None:
    """An emergency written while a person holds the conversation or it waits for one: the number at once,
    and the conversation marked so that it heads the queue; the person stays in charge."""
    turn.rule = "emergency_while_held"
    turn.message.intent = "emergency"
    turn.conversation.handoff_reason = EMERGENCY
    metrics.EMERGENCIES.labels(turn.inbound.channel).inc()
    turn.say_text(turn.settings.city.emergency.say(turn.language))


async def unsure_emergency(turn: Turn) -> None:
    """The classifier leans to an emergency but is not sure (the emergency rule took the sure ones): a
    report it also sees ("un poste caído con el cable en el piso") goes on as a report with its safety
    note; otherwise the emergency answer, as the safe side."""
    hazard = next((name for name, pattern in danger_words.SAFETY_HAZARDS if pattern.search(turn.said)), None)
    ranked = [(s, reported_service(turn.settings, s.intent)) for s in turn.parse.ranking]
    if hazard is not None:
        # "un poste caído con el cable colgando": a report with its safety note, not the emergency number.
        known = [service for _, service in ranked if service is not None]
        likely = danger_words.HAZARD_SERVICES[hazard]
        service = likely if likely in known or not known else known[0]
        await start(turn, service if service in turn.settings.services else None)
        return
    for score, reported in ranked[1:]:
        if reported is not None and score.confidence >= UNSURE_EMERGENCY_REPORT:
            await start(turn, reported)
            return
    await emergency(turn)
