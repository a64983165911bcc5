"""May the city publish what a citizen wrote? Asked once, right after filing; recorded on the case.

The question never stands in the way: the case is filed before it is asked, a short yes or no answers it,
and anything else is handled as if it had not been asked (and publishes nothing). Open311 reads the answer
(connectors/open311/privacy.py); a citizen can take a yes back at any time ("no lo publiquen").
"""

from __future__ import annotations

from bot import report_words
from bot.turn import Turn
from storage import cases


def due(turn: Turn, code: str, service: str) -> None:
    """Remember to ask about a case just filed; a sensitive service's words are never asked for."""
    if not turn.settings.is_sensitive(service):
        turn.state.publish_due.append(code)


def ask(turn: Turn, *, lead: str) -> None:
    """`lead` ("Registrado…") and the question, about every case filed since it was last asked: one,
    or two problems filed in a row. Only `lead` when there is nothing to ask (a sensitive service)."""
    codes, turn.state.publish_due = turn.state.publish_due, []
    if not codes:
        turn.say_text(lead)
        return
    turn.state.publish_asked = codes
    if len(codes) == 1:
        question = turn.t("publish_ask")
    else:
        question = turn.t("publish_ask_many", codes=(" y " if turn.language == "es" else " and ").join(codes))
    buttons = (turn.button("button_publish_yes", "/affirm"), turn.button("button_publish_no", "/deny"))
    turn.say_text(f"{lead}\n{question}", buttons=buttons)


def answer_of(turn: Turn) -> bool | None:
    """Yes or no in a short answer, the last thought winning ("si... mejor no" is a no); None otherwise."""
    said = turn.said
    last = report_words.SECOND_THOUGHT.split(said)[-1].strip() or said
    short = report_words.short_answer(last)
    if short is not None:
        return short
    if len(said.split()) <= report_words.MAX_CONFIRM_WORDS and turn.is_confident():
        return {"affirm": True, "deny": False}.get(turn.parse.intent)
    return None


async def answer(turn: Turn) -> None:
    yes = answer_of(turn) is True
    await cases.set_publish_consent(turn.session, turn.publish_asked, yes, citizen_id=turn.citizen.id)
    turn.understood()
    turn.say("publish_yes" if yes else "publish_no")


async def withdraw(turn: Turn) -> None:
    """ "No publiquen mi reporte": none of this citizen's descriptions is published from now on."""
    await cases.withdraw_publish_consent(turn.session, turn.citizen.id)
    turn.say("unpublished")
