"""The dialogue step: one ordered table of rules, first match wins.

Every message is understood in the context of the conversation: an emergency, a cancel, a request for a
person, a correction or a change of category in the citizen's own words wins over the pending question.
Each rule is a named predicate and an action (tests/bot/test_rules.py tests each one on its own), kept
with its idea (emergencies, ways_out, handoff, corrections, status_answers, report_answers, intents);
the few rules too small for a module of their own (linking, publishing, language, instructions) are
here. docs/conversation.md lists them in order with a transcript of each.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property
from typing import cast

from prometheus_client import Counter

from bot import (
    actions,
    anytime_words,
    correction_requests,
    corrections,
    data_rights,
    emergencies,
    erasure_dialogue,
    followup_dialogue,
    handoff,
    intents,
    knowledge_dialogue,
    knowledge_reminders,
    linking,
    metrics,
    preferential_dialogue,
    publishing,
    ratings,
    status_answers,
    survey_dialogue,
    topics,
    voice_dialogue,
    ways_out,
)
from bot.reading import in_report, is_button, yes_or_no
from bot.report_answers import continue_flow
from bot.report_questions import ask_next, back_to_report
from bot.turn import Turn


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
    voice_dialogue.say_heard(turn)
    for rule in RULES:
        # Only a predicate that reads again is awaited: a turn asks up to twenty of them.
        holds = rule.applies(turn)
        if await cast(Awaitable[bool], holds) if rule.reads_again else holds:
            turn.rule = rule.name
            rule.counted.inc()
            await rule.act(turn)
            preferential_dialogue.after(turn)  # a cue kept for later, or a kept offer made now
            return


# --- Linking two channels (bot/linking.py). ---


def is_linked(turn: Turn) -> bool:
    return turn.linked is not None


async def linked(turn: Turn) -> None:
    turn.understood()
    turn.say("phone_linked")


def types_link_code(turn: Turn) -> bool:
    return linking.code_typed(turn) is not None


def says_link(turn: Turn) -> bool:
    return turn.said in anytime_words.LINK_WORDS


def answers_link(turn: Turn) -> bool:
    return turn.state.offered_link is not None and yes_or_no(turn) is not None


async def answer_link(turn: Turn) -> None:
    await linking.answer(turn, yes_or_no(turn) is True)


# --- Publishing a report's description (bot/publishing.py). ---


def answers_publish(turn: Turn) -> bool:
    return bool(turn.publish_asked) and publishing.answer_of(turn) is not None


def says_do_not_publish(turn: Turn) -> bool:
    return not is_button(turn) and anytime_words.DO_NOT_PUBLISH.search(turn.said) is not None


async def do_not_publish(turn: Turn) -> None:
    await publishing.withdraw(turn)
    await back_to_report(turn)


# --- The citizen's language. ---


def language_asked(turn: Turn) -> str | None:
    said = turn.said
    if not said or len(said.split()) > anytime_words.MAX_LANGUAGE_REQUEST_WORDS:
        return None
    if anytime_words.TO_ENGLISH.search(said):
        return "en"
    if anytime_words.TO_SPANISH.search(said):
        return "es"
    return None


def asks_language(turn: Turn) -> bool:
    return language_asked(turn) is not None


async def switch_language(turn: Turn) -> None:
    language = language_asked(turn) or turn.language
    turn.language = language
    turn.message.language = language
    turn.say("language_switched")
    if in_report(turn):
        await ask_next(turn)  # the pending question again, in the new language
    elif await survey_dialogue.ask_again(turn):
        turn.understood()  # a survey's question, likewise
    else:
        turn.understood()
        actions.show_menu(turn)


# --- Text written to steer a model. ---


def gives_instructions(turn: Turn) -> bool:
    if is_button(turn):
        return False
    return any(anytime_words.INSTRUCTIONS.search(t) is not None for t in (turn.said, turn.text.casefold()))


async def not_instructions(turn: Turn) -> None:
    """The bot has no instructions to ignore and shows nobody's data. A report being filed stays where it
    was; nothing is ever filed without the citizen's yes."""
    turn.say("instructions")
    if in_report(turn):
        await back_to_report(turn)
    else:
        actions.show_menu(turn)


# The turn's rules, in order; the first whose predicate holds acts.
RULES: tuple[Rule, ...] = (
    Rule("linked", is_linked, linked),
    Rule("link_claim", types_link_code, linking.claim),
    Rule("emergency", emergencies.is_emergency, emergencies.emergency),
    Rule("listen", voice_dialogue.is_voice_note, voice_dialogue.listen),
    Rule("unheard", voice_dialogue.was_unheard, voice_dialogue.ask_to_type),
    Rule("stop", ways_out.says_stop, ways_out.stop),
    Rule("come_back", topics.says_come_back, topics.come_back),
    Rule("menu", ways_out.says_menu, ways_out.menu),
    Rule("language", asks_language, switch_language),
    Rule("erasure_answer", erasure_dialogue.answers, erasure_dialogue.answer),
    Rule("correction_answer", correction_requests.answers, correction_requests.answer),
    Rule("topic_answer", topics.answers, topics.answer),
    Rule("data_rights", data_rights.asks, data_rights.act),
    Rule("topics", topics.asks, topics.offer),
    Rule("reminder", knowledge_reminders.asks, knowledge_reminders.opt_in),
    Rule("followup_answer", followup_dialogue.answers_followup, followup_dialogue.answer_followup),
    Rule("survey_answer", survey_dialogue.answers, survey_dialogue.answer),
    Rule("survey_start", survey_dialogue.asks, survey_dialogue.start),
    Rule("knowledge_answer", knowledge_dialogue.answers, knowledge_dialogue.answer),
    Rule("preferential_answer", preferential_dialogue.answers_offer, preferential_dialogue.answer_offer),
    Rule("preferential_which", preferential_dialogue.answers_which, preferential_dialogue.answer_which),
    Rule("preferential_withdraw", preferential_dialogue.takes_it_back, preferential_dialogue.take_it_back),
    Rule("preferential_ask", preferential_dialogue.asks_for_it, preferential_dialogue.ask_for_it),
    Rule("plain", preferential_dialogue.asks_simpler, preferential_dialogue.plain),
    Rule("normal", preferential_dialogue.asks_usual, preferential_dialogue.normal),
    Rule("cancel", ways_out.wants_to_cancel, ways_out.cancel),
    Rule("person", handoff.wants_a_person, handoff.person),
    Rule("rating", ratings.answers, ratings.answer),
    Rule("frustration", handoff.is_frustrated, handoff.frustration),
    Rule("instructions", gives_instructions, not_instructions),
    Rule("link", says_link, linking.give_code),
    Rule("publish_answer", answers_publish, publishing.answer),
    Rule("do_not_publish", says_do_not_publish, do_not_publish),
    Rule("change_category", corrections.changes_category, corrections.change_category),
    Rule("correction", corrections.corrects_a_slot, corrections.correct),
    Rule("bad_code", status_answers.has_bad_code, status_answers.bad_code),
    Rule("case_status", status_answers.asks_status, status_answers.status),
    Rule("status_by_problem", status_answers.asks_by_its_problem, status_answers.status_by_problem),
    Rule("link_answer", answers_link, answer_link),
    Rule("offer_answer", handoff.answers_offer, handoff.answer_offer),
    Rule("pending_step", in_report, continue_flow),
    Rule("preferential_cue", preferential_dialogue.has_cue, preferential_dialogue.offer_now),
    Rule("preferential_cue_again", preferential_dialogue.repeats_cue, preferential_dialogue.note_cue),
    Rule("knowledge", knowledge_dialogue.asks, knowledge_dialogue.respond),
    Rule("media_only", intents.has_media_only, intents.media_only),
    Rule("unsure", intents.is_unsure, intents.clarify),
    Rule("report", intents.names_a_report, intents.report),
    Rule("intent", intents.always, intents.by_intent),
)
