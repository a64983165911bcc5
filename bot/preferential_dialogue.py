"""Preferential attention in the chat (issue 19): the bot notices a cue and offers it once, with consent;
a citizen may ask for it or take it back; anyone may ask for simpler replies.

The offer never stands in the way. An emergency's turn makes none (its cue is kept: the built-in classifier
reads "mi papá tiene 80 años y no puede salir" as an emergency, and the offer then follows the emergency's own
question). A cue inside a report (or while any other question waits) is kept in the state, and the offer comes
at the first turn with nothing pending: after the publishing question that follows a filing has been answered
(or let go), so the two never share a message. The offer is answered by the next message or not at all;
anything but a yes records nothing, and the offer is not made again in the conversation. A yes is recorded
with the citizen's words (storage.preferential.grant, the same record staff make by hand).
"""

from __future__ import annotations

from bot import actions, followups, knowledge_dialogue, publishing, ratings
from bot.preferential_words import asks, asks_normal, asks_plain, cue_of, withdraws
from bot.reading import in_report, is_button, service_of, yes_or_no
from bot.report_questions import ask_next, back_to_report
from bot.turn import Turn
from storage import preferential
from storage.models import Holder, utcnow

MAX_WORDS = 500  # of the citizen's message kept with the consent
KIND_PAYLOAD = "/preferential_"
# Rules of this module: the cue of their message is theirs, not one to keep for later.
OWN_RULES = frozenset(
    {"preferential_answer", "preferential_which", "preferential_withdraw", "preferential_ask", "plain",
     "normal", "preferential_cue", "preferential_cue_again"}
)  # fmt: skip
# A turn whose reply must not carry the offer: an emergency's, or one asking "did you mean…?".
BUSY_RULES = frozenset({"emergency", "unsure", "listen", "unheard", "instructions"})


def _words(turn: Turn) -> str:
    return turn.text.strip()[:MAX_WORDS]


def offerable(turn: Turn) -> bool:
    """The city offers it, the citizen has none yet, and it was not offered in this conversation."""
    return (
        turn.settings.dialogue.offer_preferential
        and turn.citizen.preferential is None
        and not turn.state.preferential.get("offered")
    )


def nothing_pending(turn: Turn) -> bool:
    """No question waits for the citizen's answer, so an offer does not push one aside."""
    state = turn.state
    # A report, an offer, the publishing question, a follow-up's question still in time (bot/followups.py).
    if followups.busy(state, utcnow(), idle=False):
        return False
    return not (
        state.publish_asked
        # A rating asked stays on the state until answered; it waits only while its buttons are the last.
        or (state.rating_asked is not None and state.choices == list(ratings.PAYLOADS))
        or state.erasure
        or state.correction_asked is not None
        or state.topics
        or state.survey
        or state.knowledge
        or state.draft
        or turn.erase is not None
        or turn.conversation.holder not in (None, Holder.BOT)
    )


def _cue(turn: Turn) -> str | None:
    return None if is_button(turn) else cue_of(turn.said)


def _offer(turn: Turn, kind: str, words: str) -> None:
    turn.state.preferential.update(offered=True, asked={"step": "offer", "kind": kind, "words": words})
    turn.state.preferential.pop("due", None)
    buttons = (
        turn.button("button_preferential_yes", "/affirm"),
        turn.button("button_preferential_no", "/deny"),
    )
    turn.say("preferential_offer", buttons=buttons)


async def _grant(turn: Turn, kind: str, words: str) -> None:
    await preferential.grant(turn.session, turn.citizen, kind=kind, words=words, channel=turn.inbound.channel)
    turn.state.preferential.pop("due", None)
    turn.understood()
    turn.say("preferential_granted")
    if in_report(turn):
        await back_to_report(turn)


# --- A cue in a message that starts nothing: the offer now. ---


def has_cue(turn: Turn) -> bool:
    if _cue(turn) is None or not offerable(turn) or not nothing_pending(turn):
        return False
    # A report, or a question the city's answers cover ("mi papá tiene 70 años, ¿qué programas hay?"), goes
    # on as it would have, and the offer follows once it is done. Only a question marked as one: the city's
    # answers find a topic in many a plain statement ("soy adulto mayor"), which is the cue and no question.
    asked = "?" in turn.text and knowledge_dialogue.asks(turn)
    return service_of(turn) is None and not asked


async def offer_now(turn: Turn) -> None:
    turn.understood()
    _offer(turn, _cue(turn) or "other", _words(turn))


def repeats_cue(turn: Turn) -> bool:
    """A cue and nothing else after the offer was answered ("y además tengo 79 años" after a no), or from
    a citizen who has the attention: not a misunderstanding, and not a second offer. Or a cue instead of
    a yes or no while the offer waits ("also im 80 myself lol"): the offer again, since only a yes counts."""
    if _cue(turn) is None or service_of(turn) is not None:
        return False
    if turn.preferential_asked.get("step") == "offer":
        return True
    if not nothing_pending(turn):
        return False
    # "soy adulta mayor, dnd pago el predial" asks something besides: the city's answer, not a thank-you.
    if knowledge_dialogue.asks(turn):
        return False
    if turn.citizen.preferential is not None:
        return True
    return turn.settings.dialogue.offer_preferential and bool(turn.state.preferential.get("offered"))


async def note_cue(turn: Turn) -> None:
    turn.understood()
    asked = turn.preferential_asked
    if asked.get("step") == "offer":
        turn.say("preferential_noted")
        _offer(turn, asked["kind"], f"{asked['words']}\n{_words(turn)}"[:MAX_WORDS])
        return
    turn.say("preferential_already" if turn.citizen.preferential is not None else "preferential_noted")
    actions.show_menu(turn)


def after(turn: Turn) -> None:
    """After any other rule acted: keep a cue for later, and make a kept offer once nothing is pending."""
    if turn.rule in OWN_RULES or not offerable(turn):
        return
    kind = _cue(turn)
    if kind is not None and not turn.state.preferential.get("due"):
        turn.state.preferential["due"] = {"kind": kind, "words": _words(turn)}
    due = turn.state.preferential.get("due")
    if due and turn.rule not in BUSY_RULES and nothing_pending(turn):
        _offer(turn, due["kind"], due["words"])


# --- The offer answered. ---


def consent(turn: Turn) -> bool | None:
    """Yes or no to the offer, the last thought winning ("no sé... bueno sí" is a yes); None otherwise."""
    answer = publishing.answer_of(turn)
    return answer if answer is not None else yes_or_no(turn)


def answers_offer(turn: Turn) -> bool:
    return turn.preferential_asked.get("step") == "offer" and consent(turn) is not None


async def answer_offer(turn: Turn) -> None:
    asked = turn.preferential_asked
    if consent(turn):
        await _grant(turn, asked["kind"], asked["words"])
    else:
        turn.understood()
        actions.show_menu(turn, "preferential_declined")


# --- Asking for it in so many words; the reason asked when the words do not say it. ---


def asks_for_it(turn: Turn) -> bool:
    return not is_button(turn) and asks(turn.said)


async def ask_for_it(turn: Turn) -> None:
    kind = cue_of(turn.said)
    if kind is not None:
        await _grant(turn, kind, _words(turn))
        return
    if turn.citizen.preferential is not None:
        turn.understood()
        turn.say("preferential_already")
        if in_report(turn):
            await back_to_report(turn)
        return
    turn.state.preferential["asked"] = {"step": "which", "words": _words(turn)}
    buttons = tuple(turn.button(f"preferential_kind_{k}", f"{KIND_PAYLOAD}{k}") for k in preferential.KINDS)
    turn.say("preferential_which", buttons=buttons)


def kind_answered(turn: Turn) -> str | None:
    """The reason chosen (a button) or written (a cue) in answer to "¿por qué motivo?"."""
    if turn.preferential_asked.get("step") != "which":
        return None
    chosen = turn.text.strip().removeprefix(KIND_PAYLOAD) if turn.text.startswith(KIND_PAYLOAD) else None
    return chosen if chosen in preferential.KINDS else _cue(turn)


def answers_which(turn: Turn) -> bool:
    return kind_answered(turn) is not None


async def answer_which(turn: Turn) -> None:
    words = turn.preferential_asked.get("words") or ""
    if not is_button(turn):
        words = f"{words}\n{_words(turn)}"[:MAX_WORDS]
    await _grant(turn, kind_answered(turn) or "other", words)


# --- Taking it back. ---


def takes_it_back(turn: Turn) -> bool:
    return not is_button(turn) and withdraws(turn.said)


async def take_it_back(turn: Turn) -> None:
    had = turn.citizen.preferential is not None
    await preferential.withdraw(turn.session, turn.citizen, channel=turn.inbound.channel, words=_words(turn))
    turn.understood()
    turn.say("preferential_withdrawn" if had else "preferential_none")
    if in_report(turn):
        await back_to_report(turn)


# --- Simpler replies, and back to the usual ones. ---


def asks_simpler(turn: Turn) -> bool:
    return not is_button(turn) and asks_plain(turn.said)


def asks_usual(turn: Turn) -> bool:
    # "normal" is also a rating of 3 of the person who answered: a rating waiting takes it.
    return preferential.wants_plain(turn.citizen) and asks_normal(turn.said) and not ratings.answers(turn)


async def plain(turn: Turn) -> None:
    turn.citizen.plain_language = True
    turn.say("plain_on")
    await _again(turn)


async def normal(turn: Turn) -> None:
    turn.citizen.plain_language = False
    turn.say("plain_off")
    await _again(turn)


async def _again(turn: Turn) -> None:
    """The pending question again, in the words the citizen now gets; else the menu."""
    if in_report(turn):
        await ask_next(turn)
    else:
        turn.understood()
        actions.show_menu(turn)
