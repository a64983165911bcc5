"""The citizen's answers to "was it fixed?": Sí, No, No sé in their own words, a rating, a comment, a reason.

One rule in the dialogue's table (`followup_answer`, docs/conversation.md), before a cancel, since "ya lo
arreglaron" cancels a report but answers a follow-up. The first question ("¿Lo arreglaron?", or the
satisfaction question of a rejected case) waits for its answer until it no longer counts; the questions
after it (the rating, the comment, the reason) take the next message only, so anything else is handled as
if they had not been asked. What the answers do to the case is bot/followup_answers.py's.
"""

from __future__ import annotations

import re

from bot import anytime_words, report_words
from bot import followup_answers as answers
from bot.followup_channels import FIXED
from bot.followups import NO, SATISFACTION, UNKNOWN, YES
from bot.turn import Turn

# "No sé" in its many forms; "no se ha arreglado" is a no, not a don't-know.
UNKNOWN_PHRASES = re.compile(
    r"\bno se\b(?! (ha|han|hizo|arreglo|arreglaron|reparo|repararon|soluciono|ve|nota|puede|tapo))|"
    r"\bnose\b|\bni idea\b|\bno (lo )?sabria\b|\bno estoy segur[oa]\b|\bno tengo (ni )?idea\b|"
    r"\bno (lo )?he (visto|pasado|ido|revisado|mirado|podido ver)\b|\bquien sabe\b|\bsabra dios\b|"
    r"\bno me consta\b|\bdon ?t know\b|\bdo not know\b|\bdunno\b|\bnot sure\b|\bno idea\b|\bidk\b|"
    r"\bno clue\b|\bhaven ?t (checked|seen|been|looked)\b|\bcan ?t tell\b|\bno sabemos\b|\bni se\b"
)
NOT_FIXED = re.compile(
    r"\bsigue\b|\bsiguen\b|\btodavia\b|\baun\b|\bcontinua\b|\bpersiste\b|\bigualito\b|\bigual\b|"
    r"\bpeor\b|\bempeoro\b|\bnunca\b|\bnadie (vino|ha venido|arreglo)\b|\bmentira\b|\bni lo tocaron\b|"
    r"\bno (lo |la |los |las )?(han )?(arreglaron|arreglado|repararon|reparado|taparon|tapado|"
    r"solucionaron|solucionado|vinieron|venido|hicieron|hecho|cambiaron|recogieron)\b|\bno se ha\b|"
    r"\bnot (fixed|yet|repaired|done|sorted)\b|\bstill\b|\bnever\b|\bnobody\b|\bsame\b|\bworse\b|"
    r"\bisn ?t\b|\bwasn ?t\b|\bhasn ?t\b|\bhaven ?t\b"
)
FIXED_WORDS = re.compile(
    r"\barreglaron\b|\barreglad[oa]s?\b|\brepararon\b|\breparad[oa]\b|\btaparon\b|\btapad[oa]\b|"
    r"\bsolucionad[oa]\b|\bsolucionaron\b|\bya (quedo|esta|funciona|prende|sirve|pasaron|vinieron)\b|"
    r"\bquedo (bien|perfecto|listo|impecable)\b|\bfunciona\b|\bprende\b|\brecogieron\b|"
    r"\bfixed\b|\brepaired\b|\bsorted\b|\bsolved\b|\bworks\b|\bworking\b|\ball good\b"
)
NO_START = frozenset(
    {*report_words.NO_FIRST, "nop", "nopes", "nones", "noo", "nooo", "nunca", "todavia", "aun"}
)
YES_START = frozenset({*report_words.YES_FIRST, "ya", "yess", "siii", "sip", "sep", "yep"})
# Words that only say "no" (or "not yet"): a no made of these alone has no reason in it yet.
BARE_NO = frozenset({
    "no", "nop", "nope", "nah", "nel", "negativo", "nones", "noo", "todavia", "aun", "not", "yet", "para",
    "nada", "senor", "señor", "gracias", "thanks", "sorry", "lo", "la", "han", "arreglado", "fixed", "it",
    "isn", "t", "has", "hasn", "hecho", "ya", "pues", "la verdad", "verdad", "mmm", "eh",
})  # fmt: skip
NUMBER_WORDS = {"uno": 1, "una": 1, "un": 1, "one": 1, "dos": 2, "two": 2, "tres": 3, "three": 3,
                "cuatro": 4, "four": 4, "cinco": 5, "five": 5}  # fmt: skip
MAX_ANSWER_WORDS = 30
MAX_RATING_WORDS = 8


def fixed_answer(turn: Turn) -> str | None:
    """ "yes", "no" or "unknown" in a button, a number or the citizen's words; None if it is not one."""
    payload = turn.text.strip()
    if payload in (YES, NO, UNKNOWN):
        return {YES: "yes", NO: "no", UNKNOWN: "unknown"}[payload]
    said = turn.said
    tokens = said.split()
    if not tokens or len(tokens) > MAX_ANSWER_WORDS or payload.startswith("/"):
        return None
    if UNKNOWN_PHRASES.search(said):
        return "unknown"
    if tokens[0] in NO_START:
        return "no"
    if tokens[0] in YES_START:
        return "no" if NOT_FIXED.search(said) and not FIXED_WORDS.search(said) else "yes"
    if NOT_FIXED.search(said):
        return "no"
    if FIXED_WORDS.search(said):
        return "yes"
    if len(tokens) <= report_words.MAX_SHORT_ANSWER_WORDS and turn.is_confident():
        return {"affirm": "yes", "deny": "no"}.get(turn.parse.intent)
    return None


def reason_in(turn: Turn) -> str | None:
    """The citizen's own words when a no says more than no ("nop, sigue igual"); None for a bare no."""
    if turn.text.startswith("/"):
        return None
    rest = [w for w in turn.said.split() if w not in BARE_NO]
    return turn.text.strip() if any(len(w) >= 3 for w in rest) else None


def rating_of(turn: Turn) -> int | None:
    """1–5 from "4", "un 4", "4/5", "cinco", "five stars", "⭐⭐⭐"; None otherwise."""
    tokens = re.findall(r"\w+", turn.said)
    if len(tokens) > MAX_RATING_WORDS:
        return None
    digits = [int(t) for t in tokens if t.isdigit() and 1 <= int(t) <= 5]
    if digits:
        return digits[0]
    named = [NUMBER_WORDS[t] for t in tokens if t in NUMBER_WORDS]
    if named:
        return named[-1]  # "una calificación de cinco": the last number said
    stars = turn.text.count("⭐")
    return stars if 1 <= stars <= 5 else None


def skips(turn: Turn) -> bool:
    return turn.said in report_words.SKIP_WORDS or turn.said in report_words.NO_WORDS


def elsewhere(turn: Turn) -> bool:
    """Something else is open (a report, an offer, a question just asked) or the citizen asks for a person or
    to cancel: the follow-up's answer waits."""
    state, said = turn.state, turn.said
    if state.flow or state.offered_person or state.offered_next or state.offered_link is not None:
        return True
    if turn.publish_asked:
        return True
    return (
        said in anytime_words.PERSON_WORDS
        or said in anytime_words.CANCEL_WORDS
        or bool(anytime_words.PERSON_PHRASES.search(said))
    )


def answers_followup(turn: Turn) -> bool:
    """The message answers the follow-up's pending question."""
    step = turn.followup.get("step")
    if not step or elsewhere(turn):
        return False
    if step == FIXED:
        return fixed_answer(turn) is not None
    if step in (SATISFACTION, "rating"):
        return rating_of(turn) is not None or (step == "rating" and skips(turn))
    if step == "comment":  # anything but a button, or a new report the classifier is sure of
        new_report = turn.parse.intent.startswith("report_") and turn.is_confident() and not skips(turn)
        return bool(turn.said) and (not turn.text.startswith("/") or turn.text == "/skip") and not new_report
    if step == "reason":
        return bool(turn.inbound.attachments) or (bool(turn.said) and not turn.text.startswith("/"))
    return False


async def answer_followup(turn: Turn) -> None:
    step = turn.followup["step"]
    turn.understood()
    turn.state.followup = {}
    found = await answers.open_followup(turn)
    if found is None:
        turn.say("followup_rating_kept" if step != FIXED else "thanks")
        return
    followup, case = found
    if step == FIXED:
        answer = fixed_answer(turn) or "unknown"
        if answer == "yes":
            await answers.fixed(turn, followup, case)
        elif answer == "no":
            await answers.not_fixed(turn, followup, case, reason_in(turn))
        else:
            await answers.dont_know(turn, followup, case)
    elif step in (SATISFACTION, "rating"):
        await answers.rated(turn, followup, case, None if skips(turn) else rating_of(turn))
    elif step == "comment":
        await answers.commented(
            turn, followup, case, None if skips(turn) or turn.text == "/skip" else turn.text
        )
    else:
        await answers.not_fixed(turn, followup, case, turn.text.strip() or None)
