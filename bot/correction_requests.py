"""'Mi nombre está mal': a correction goes to the supervisors' data-requests queue, for a person.

The bot never changes a citizen's data by itself. It records the request in the citizen's words with its
legal deadline and says by when the city answers; a message that does not say what the right value is gets
one question ("¿Cuál es el dato correcto?"), answered by the next message only: that message is added to
the request, a second thought ("olvídalo, está bien") cancels it, and anything else is handled as if the
question had not been asked."""

from __future__ import annotations

import re

from bot import data_requests
from bot.data_rights_words import CORRECT, request_in
from bot.handoff import wants_a_person
from bot.reading import is_button
from bot.report_words import short_answer
from bot.turn import Turn
from bot.words import any_of
from storage import data_requests as request_rows
from storage.models import DataRequest, DataRequestKind, DataRequestStatus, utcnow

MAX_DETAIL = 2000
# Words around a request that say nothing of the right value: "porfa cambien mi dirección".
FILLER = frozenset(
    str.split(
        "hola buenas buenos buen dia dias tardes noches porfa porfavor por favor plis pls please plz gracias "
        "thanks thank you hi hello hey oye che es is are que el la los las lo mi my me ya y and to be quiero "
        "quisiera necesito queria pueden podrian puedes podes podrias i want would like can could you ahi "
        "aca aqui alla todo eso esto that this it there pues bueno ok okay vale senor senora sir escrito "
        "escrita escritos spelled written should oigan oiga mire miren disculpe disculpen perdon vea ey "
        "amigo sorry excuse hmm"
    )
)
# A second thought instead of the right value: the request is cancelled.
WITHDRAW = any_of(
    r"\b(olvidalo|olvidenlo|olvida|olvidate|dejalo|dejelo|dejalo asi|deja asi|dejemoslo|no importa|"
    r"mejor no|ya no|ya esta bien|esta bien asi|esta bien|estan bien|no era nada|"
    r"cancela|cancelar|cancelalo|never ?mind|forget it|it s fine|its fine|it is fine|all good|"
    r"my bad|no worries|cancel|don t bother|it s ok|its ok|it s correct|its correct)\b"
)
MAX_WITHDRAW_WORDS = 10
_ = re  # patterns above are compiled by any_of


def gives_the_value(said: str) -> bool:
    """Whether the message says more than "my name is wrong": the right value, presumably."""
    rest = CORRECT.sub(" ", said)
    return any(len(word) > 1 and word not in FILLER for word in rest.split())


async def ask(turn: Turn) -> None:
    """Record the citizen's correction for a person, with its deadline; ask for the right value once."""
    request = await data_requests.record(
        turn.session,
        turn.settings,
        turn.citizen.id,
        DataRequestKind.CORRECT,
        turn.inbound.channel,
        detail=turn.text.strip()[:MAX_DETAIL],
    )
    by = data_requests.day_in_words(request.due_on, turn.language)
    if gives_the_value(turn.said):
        turn.say("correction_recorded", ref=request.id, date=by)
    else:
        turn.say("correction_ask_value", ref=request.id, date=by)
        turn.state.correction_asked = request.id


def answers(turn: Turn) -> bool:
    """The message after "¿Cuál es el dato correcto?", unless it is another request, a button, or a
    request for a person (those are handled as if nothing had been asked)."""
    if turn.correction_asked is None or is_button(turn) or not turn.said:
        return False
    return request_in(turn.said) is None and not wants_a_person(turn)


def withdraws(said: str) -> bool:
    words = said.split()
    if short_answer(said) is False and len(words) <= 2:
        return True  # a bare "no", "nop"
    return len(words) <= MAX_WITHDRAW_WORDS and WITHDRAW.search(said) is not None


async def answer(turn: Turn) -> None:
    turn.understood()
    request = await _still_open(turn)
    if request is None:
        turn.say("correction_gone")
        return
    if withdraws(turn.said):
        request.status, request.done_at = DataRequestStatus.CANCELLED, utcnow()
        turn.say("correction_withdrawn", ref=request.id)
        return
    request.detail = f"{request.detail or ''}\n{turn.text.strip()}".strip()[:MAX_DETAIL]
    turn.say("correction_added", ref=request.id)


async def _still_open(turn: Turn) -> DataRequest | None:
    """The request the question was about: this citizen's, and still open (staff may have closed it)."""
    if turn.correction_asked is None:
        return None
    request = await request_rows.get(turn.session, turn.correction_asked)
    if request is None or request.citizen_id != turn.citizen.id or request.status != DataRequestStatus.OPEN:
        return None
    return request
