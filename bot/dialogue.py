"""The dialogue step: one ordered table of rules, first match wins.

Every message is understood in the context of the conversation: an emergency, a cancel, a request for a
person, a correction or a change of category in the citizen's own words wins over the pending question.
Each rule is a named predicate and an action (tests/bot/test_rules.py tests each one on its own);
docs/conversation.md lists them in order with a transcript of each.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import cast

from prometheus_client import Counter

from bot import actions, followup_dialogue, linking, metrics, publishing, report_flow, words
from bot.messages import Button
from bot.turn import Turn
from nlu.entities import find_code_like
from storage.inbox import EMERGENCY

# The classifier alone calls a message an emergency only when it is this sure; the phrase list needs no model.
EMERGENCY_CONFIDENCE = 0.6
# Inside a report, a person asked for only by the classifier must be this sure (an answer is likelier).
PERSON_IN_FLOW_CONFIDENCE = 0.7
# An unsure emergency reading gives way to a report the classifier ranks next at least this high.
UNSURE_EMERGENCY_REPORT = 0.15
# Inside a report, a cancel read only by the classifier must be this sure.
CANCEL_CONFIDENCE = 0.7
# A change of category read by the classifier must be this sure.
CHANGE_CONFIDENCE = 0.6

# What a button for each intent says, when the bot asks "did you mean…?".
CLARIFY_BUTTONS = {
    "case_status": "button_status",
    "human_handoff": "button_person",
    "report_problem": "button_report",
    "help": "button_help",
}


@dataclass(frozen=True)
class Rule:
    name: str
    # Most predicates only look; one (a change of category) reads part of the message again, so may await.
    applies: Callable[[Turn], bool] | Callable[[Turn], Awaitable[bool]]
    act: Callable[[Turn], Awaitable[None]]

    @cached_property
    def reads_again(self) -> bool:
        return inspect.iscoroutinefunction(self.applies)

    @cached_property
    def counted(self) -> Counter:
        return metrics.DIALOGUE_RULES.labels(self.name)


async def respond(turn: Turn) -> None:
    """Decide what to say to one message: the first rule that applies acts."""
    # What an unclear message before this one said lives for this turn only: a report started now takes
    # it, a clarification keeps it one more turn, anything else lets it go.
    turn.kept, turn.state.draft = turn.state.draft, {}
    # The publishing question is answered by the next message or not at all (no answer publishes nothing).
    turn.publish_asked, turn.state.publish_asked = turn.state.publish_asked, []
    for rule in RULES:
        # Only a predicate that reads again is awaited: a turn asks up to twenty of them.
        holds = rule.applies(turn)
        if await cast(Awaitable[bool], holds) if rule.reads_again else holds:
            turn.rule = rule.name
            rule.counted.inc()
            await rule.act(turn)
            return


# --- What a message says, read in the light of the conversation. ---


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


def is_linked(turn: Turn) -> bool:
    return turn.linked is not None


def is_emergency(turn: Turn) -> bool:
    if is_button(turn):
        return False
    if words.emergency_in(turn.said):
        return True
    # "no sparks, just dangling", "un perro herido", fireworks: the model must not overrule the citizen.
    said = turn.said
    # A hazard to report ("un poste caído con el cable colgando") gets its safety note, not the number.
    ruled_out = (
        words.ABSENT_HAZARD.search(said)
        or words.NOT_EMERGENCY.search(said)
        or words.ANIMAL.search(said)
        or any(pattern.search(said) for _, pattern in words.SAFETY_HAZARDS)
    )
    return not ruled_out and confident(turn, "emergency", EMERGENCY_CONFIDENCE)


def says_stop(turn: Turn) -> bool:
    return turn.said in words.STOP_WORDS


def says_menu(turn: Turn) -> bool:
    return turn.said in words.MENU_WORDS


def wants_to_cancel(turn: Turn) -> bool:
    said = turn.said
    if said in words.CANCEL_WORDS or words.CANCEL_PHRASES.search(said):
        return True
    if not something_open(turn) or turn.inbound.attachments or turn.inbound.location is not None:
        return False  # a photo or a pin sent now answers the report; it does not abandon it
    if said in words.CANCEL_SHORT:
        return True
    if turn.state.step == "photo" and words.PHOTO_REFUSAL.search(said):
        return False  # "no pic sorry, just log it" refuses the photo, not the report
    return confident(turn, "cancel", CANCEL_CONFIDENCE)


def wants_a_person(turn: Turn) -> bool:
    said = turn.said
    if said in words.PERSON_WORDS or words.PERSON_PHRASES.search(said):
        return True
    return confident(turn, "human_handoff", PERSON_IN_FLOW_CONFIDENCE if in_report(turn) else None)


def is_frustrated(turn: Turn) -> bool:
    return not is_button(turn) and (
        bool(words.FRUSTRATION_PHRASES.search(turn.said)) or confident(turn, "frustration")
    )


def language_asked(turn: Turn) -> str | None:
    said = turn.said
    if not said or len(said.split()) > words.MAX_LANGUAGE_REQUEST_WORDS:
        return None
    if words.TO_ENGLISH.search(said):
        return "en"
    if words.TO_SPANISH.search(said):
        return "es"
    return None


def asks_language(turn: Turn) -> bool:
    return language_asked(turn) is not None


def gives_instructions(turn: Turn) -> bool:
    if is_button(turn):
        return False
    return any(words.INSTRUCTIONS.search(t) is not None for t in (turn.said, turn.text.casefold()))


def types_link_code(turn: Turn) -> bool:
    return linking.code_typed(turn) is not None


def answers_link(turn: Turn) -> bool:
    return turn.state.offered_link is not None and _yes_or_no(turn) is not None


def says_link(turn: Turn) -> bool:
    return turn.said in words.LINK_WORDS


def answers_publish(turn: Turn) -> bool:
    return bool(turn.publish_asked) and publishing.answer_of(turn) is not None


def says_do_not_publish(turn: Turn) -> bool:
    return not is_button(turn) and words.DO_NOT_PUBLISH.search(turn.said) is not None


def corrected(turn: Turn) -> tuple[str, str] | None:
    """("place", the new place) or ("description", the new words) when a message in a report corrects one."""
    if not in_report(turn) or is_button(turn):
        return None
    state, slots = turn.state, turn.state.slots
    named = words.PLACE_AFTER_NAME.search(turn.text)
    if named is not None:
        place = report_flow.new_place(turn, after=named.start("place"))
        return "place", place or named.group("place").strip(" .")
    described = words.DESCRIPTION_AFTER_NAME.search(turn.text)
    if described is not None and state.step != "description":
        text = described.group("text").strip()
        if not any(e.entity == "address" and e.start >= described.start("text") for e in turn.parse.entities):
            return "description", text
    if state.step == "location":
        return None
    if slots.address and (swapped := report_flow.swapped_number(turn)) is not None:
        return "place", swapped  # "es Rivadavia 5800 no 5400": the old number was in the place
    cue = words.CORRECTION_CUES.search(turn.said) is not None
    place = report_flow.new_place(turn)
    if place is None:
        return None
    if state.step in {"photo", "confirm"} or (cue and (slots.address or state.step != "service")):
        return "place", place
    return None


def corrects_a_slot(turn: Turn) -> bool:
    return corrected(turn) is not None


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
    if words.NEGATED_PART.search(said) is None and words.CORRECTION_CUES.search(said) is None:
        return None
    candidate = await report_flow.affirmed_service(turn)
    if candidate is None:
        at_least = max(turn.settings.nlu.confidence_threshold, CHANGE_CONFIDENCE)
        candidate = report_flow.service_of(turn, at_least=at_least)
    if candidate == current:
        candidate = None
    turn.notes["other_service"] = candidate
    return candidate


async def changes_category(turn: Turn) -> bool:
    return await other_service(turn) is not None


def asks_status(turn: Turn) -> bool:
    if is_button(turn) and turn.parse.intent != "case_status":
        return False
    code = turn.parse.entity("case_code")
    if in_report(turn):
        # A code inside a report is often a plate, a house number or a postcode: only a question about a
        # case counts.
        cue = bool(words.CODE_CUE.search(turn.said))
        if not confident(turn, "case_status"):
            return cue and code is not None
        # A postcode beside a street ("17 Mill Lane, SE5 8QZ") answers the place question.
        return cue or (code is not None and turn.parse.entity("address") is None)
    if code is not None:
        return report_flow.service_of(turn) is None
    return confident(turn, "case_status") or (
        report_flow.service_of(turn) is None and actions.code_asked_about(turn) is not None
    )


def has_bad_code(turn: Turn) -> bool:
    if is_button(turn) or turn.parse.entity("case_code") is not None or not find_code_like(turn.text):
        return False
    if in_report(turn):  # a plate in a report looks like a code: only a status question counts
        return confident(turn, "case_status")
    short = len(turn.said.split()) <= 3
    return short or confident(turn, "case_status") or bool(words.CODE_CUE.search(turn.said))


def answers_offer(turn: Turn) -> bool:
    state = turn.state
    return (state.offered_person or state.offered_next) and _yes_or_no(turn) is not None


def _yes_or_no(turn: Turn) -> bool | None:
    following = turn.state.next_problem.get("service") if turn.state.offered_next else None
    if following is not None and report_flow.service_of(turn) == following:
        return True  # "go on then, do the pothole as well"
    short = words.short_answer(turn.said)
    if short is not None:
        return short
    if confident(turn, "affirm"):
        return True
    if confident(turn, "deny"):
        return False
    return None


def has_media_only(turn: Turn) -> bool:
    return not turn.text.strip()


def is_unsure(turn: Turn) -> bool:
    return not turn.is_confident()


def names_a_report(turn: Turn) -> bool:
    return turn.parse.intent.startswith("report_")


def always(turn: Turn) -> bool:
    return True


# --- What the bot does. ---


async def linked(turn: Turn) -> None:
    turn.understood()
    turn.say("phone_linked")


async def claim_link(turn: Turn) -> None:
    await linking.claim(turn)


async def give_link_code(turn: Turn) -> None:
    await linking.give_code(turn)


async def answer_link(turn: Turn) -> None:
    await linking.answer(turn, _yes_or_no(turn) is True)


async def answer_publish(turn: Turn) -> None:
    await publishing.answer(turn)


async def do_not_publish(turn: Turn) -> None:
    await publishing.withdraw(turn)
    if in_report(turn):
        await report_flow.ask_next(turn, prefix=turn.t("back_to_report"))


async def emergency(turn: Turn) -> None:
    """The emergency number at once and the offer of a person; never a report."""
    state = turn.state
    turn.understood()
    state.reset_flow()
    state.next_problem, state.offered_next = {}, False
    state.emergency, state.offered_person = True, True
    turn.message.intent = "emergency"
    metrics.EMERGENCIES.labels(turn.inbound.channel).inc()
    turn.say_text(turn.settings.city.emergency.say(turn.language))
    turn.say(
        "emergency_offer",
        buttons=(turn.button("button_person", "/human_handoff"), turn.button("button_menu", "/menu")),
    )


async def emergency_while_held(turn: Turn) -> None:
    """An emergency written while a person holds the conversation or it waits for one: the number at once,
    and the conversation marked so that it heads the queue; the person stays in charge."""
    turn.rule = "emergency_while_held"
    turn.message.intent = "emergency"
    turn.conversation.handoff_reason = EMERGENCY
    metrics.EMERGENCIES.labels(turn.inbound.channel).inc()
    turn.say_text(turn.settings.city.emergency.say(turn.language))


async def stop(turn: Turn) -> None:
    """STOP where the channel has no opt-out keywords (web chat, Telegram): the bot only answers."""
    turn.understood()
    turn.state.reset_flow()
    turn.say("stop_here")


async def menu(turn: Turn) -> None:
    turn.understood()
    turn.state.reset_flow()
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
        await report_flow.start(turn, instead)
        return
    actions.show_menu(turn, "cancelled" if had_something else "nothing_to_cancel")


async def _instead(turn: Turn) -> str | None:
    """The service a cancel message asks for instead of the abandoned report, if it names one."""
    if turn.classifier is None or len(turn.said.split()) < 5:
        return None
    rest = " ".join(words.CANCEL_PHRASES.sub(" ", turn.said).split())
    if not rest or rest == turn.said:
        return None
    return report_flow.service_of(turn, await turn.classifier.parse(rest), at_least=CHANGE_CONFIDENCE)


async def person(turn: Turn) -> None:
    await hand_off(turn)


async def hand_off(turn: Turn, reason: str = "requested") -> None:
    state = turn.state
    if in_report(turn):
        state.unfinished = asdict(state.slots)  # the agent sees the report the citizen was filing
    await actions.hand_off(turn, EMERGENCY if state.emergency else reason)


async def frustration(turn: Turn) -> None:
    """An apology and a person, not service buttons. A report being filed stays where it was."""
    turn.state.misunderstandings = 0
    turn.state.offered_person = True
    turn.say(
        "frustration",
        buttons=(turn.button("button_person", "/human_handoff"), turn.button("button_menu", "/menu")),
    )


async def switch_language(turn: Turn) -> None:
    language = language_asked(turn) or turn.language
    turn.language = language
    turn.message.language = language
    turn.say("language_switched")
    if in_report(turn):
        await report_flow.ask_next(turn)  # the pending question again, in the new language
    else:
        turn.understood()
        actions.show_menu(turn)


async def not_instructions(turn: Turn) -> None:
    """Text written to steer a model: the bot has no instructions to ignore and shows nobody's data.
    A report being filed stays where it was; nothing is ever filed without the citizen's yes."""
    turn.say("instructions")
    if in_report(turn):
        await report_flow.ask_next(turn, prefix=turn.t("back_to_report"))
    else:
        actions.show_menu(turn)


async def correct(turn: Turn) -> None:
    slot, value = corrected(turn) or ("", "")
    if slot == "place":
        await report_flow.correct_place(turn, value)
    else:
        await report_flow.correct_description(turn, value)


async def change_category(turn: Turn) -> None:
    service = await other_service(turn)
    if service is not None:
        await report_flow.change_service(turn, service)


async def status(turn: Turn) -> None:
    await actions.case_status(turn)
    if in_report(turn):
        await report_flow.ask_next(turn, prefix=turn.t("back_to_report"))


async def bad_code(turn: Turn) -> None:
    typed = {fold_code(c) for c in find_code_like(turn.text)}
    example = next(c for c in actions.CODE_EXAMPLES if fold_code(c) not in typed)
    turn.say("not_a_code", example=example)
    if in_report(turn):
        await report_flow.ask_next(turn, prefix=turn.t("back_to_report"))


def fold_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


async def answer_offer(turn: Turn) -> None:
    state, yes = turn.state, _yes_or_no(turn)
    if state.offered_next:
        following = state.next_problem
        state.offered_next, state.next_problem = False, {}
        if yes and following:
            carry = {"description": following.get("text"), **following.get("place", {})}
            await report_flow.start(turn, following["service"], carry=carry)
        elif turn.state.publish_due:
            turn.understood()
            publishing.ask(turn, lead=turn.t("next_not_filed"))  # about the one filed
        else:
            turn.understood()
            actions.show_menu(turn, "next_declined")
        return
    if yes:
        await hand_off(turn, "misunderstood")
    else:
        await menu(turn)


async def pending_step(turn: Turn) -> None:
    await report_flow.continue_flow(turn)


async def media_only(turn: Turn) -> None:
    # A photo or pin with no words most likely starts a report; keep it and ask what it is about.
    kinds = {a.kind for a in turn.inbound.attachments}
    if "voice" in kinds:
        turn.say("cannot_listen")
    elif turn.inbound.location is not None or "photo" in kinds:
        await report_flow.start(turn, None)
    else:
        turn.say("unreadable")


async def clarify(turn: Turn) -> None:
    """Offer the likeliest readings as choices; after repeated misses, offer a person. What the message
    said (a place, a description, a photo) is kept for the report the citizen's choice starts."""
    turn.state.draft = report_flow.what_was_said(turn)
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


async def report(turn: Turn) -> None:
    await report_flow.start(turn, report_flow.service_of(turn))


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
    turn.say("out_of_scope", buttons=actions.main_menu(turn))


async def unsure_emergency(turn: Turn) -> None:
    """The classifier leans to an emergency but is not sure (the emergency rule took the sure ones): a
    report it also sees ("un poste caído con el cable en el piso") goes on as a report with its safety
    note; otherwise the emergency answer, as the safe side."""
    hazard = next((name for name, pattern in words.SAFETY_HAZARDS if pattern.search(turn.said)), None)
    if hazard is not None:
        # "un poste caído con el cable colgando": a report with its safety note, not the emergency number.
        ranked = [
            s.intent.removeprefix("report_") for s in turn.parse.ranking if s.intent.startswith("report_")
        ]
        known = [s for s in ranked if s in turn.settings.services]
        likely = words.HAZARD_SERVICES[hazard]
        service = likely if likely in known or not known else known[0]
        await report_flow.start(turn, service if service in turn.settings.services else None)
        return
    for score in turn.parse.ranking[1:]:
        service = score.intent.removeprefix("report_")
        is_report = score.intent.startswith("report_") and service in turn.settings.services
        if is_report and score.confidence >= UNSURE_EMERGENCY_REPORT:
            await report_flow.start(turn, service)
            return
    await emergency(turn)


async def report_problem(turn: Turn) -> None:
    await report_flow.start(turn, None)


INTENTS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    "case_status": actions.case_status,
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

# The turn's rules, in order; the first whose predicate holds acts.
RULES: tuple[Rule, ...] = (
    Rule("linked", is_linked, linked),
    Rule("link_claim", types_link_code, claim_link),
    Rule("emergency", is_emergency, emergency),
    Rule("stop", says_stop, stop),
    Rule("menu", says_menu, menu),
    Rule("language", asks_language, switch_language),
    Rule("followup_answer", followup_dialogue.answers_followup, followup_dialogue.answer_followup),
    Rule("cancel", wants_to_cancel, cancel),
    Rule("person", wants_a_person, person),
    Rule("frustration", is_frustrated, frustration),
    Rule("instructions", gives_instructions, not_instructions),
    Rule("link", says_link, give_link_code),
    Rule("publish_answer", answers_publish, answer_publish),
    Rule("do_not_publish", says_do_not_publish, do_not_publish),
    Rule("change_category", changes_category, change_category),
    Rule("correction", corrects_a_slot, correct),
    Rule("bad_code", has_bad_code, bad_code),
    Rule("case_status", asks_status, status),
    Rule("link_answer", answers_link, answer_link),
    Rule("offer_answer", answers_offer, answer_offer),
    Rule("pending_step", in_report, pending_step),
    Rule("media_only", has_media_only, media_only),
    Rule("unsure", is_unsure, clarify),
    Rule("report", names_a_report, report),
    Rule("intent", always, by_intent),
)
