"""'Borrar mis datos' in the chat: the bot says what goes and what the city keeps, and asks twice; a
citizen with more than one channel also types a code sent to another of them (whoever holds one phone
must not erase a person's every channel). A supervisor's hold is told with its reason.

The answers are the next messages only (`DialogueState.erasure`, moved to `Turn.erasure` for the turn):
anything else leaves the erasure, and its request is cancelled (`settle`). The erasure itself runs in
the pipeline once the turn's replies are stored (bot/pipeline.py), so the last reply can still leave."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from bot import data_requests, masks
from bot.outbound import send_to_citizen
from bot.reading import in_report, yes_or_no
from bot.report_questions import back_to_report
from bot.texts import channel_name
from bot.turn import Turn
from connectors.channels import channel
from storage import citizens as citizen_rows
from storage import data_requests as request_rows
from storage.models import Author, DataRequestKind, DataRequestStatus, utcnow

FIRST, SECOND, CODE = "first", "second", "code"
FINAL_WORDS = frozenset({
    "borrar", "borrar todo", "borralo", "borralo todo", "borrenlo", "borra", "borren", "si borrar",
    "si borrar todo", "si borralo", "confirmo", "confirmo borrar", "/erase_final", "delete", "erase",
    "yes delete", "delete everything", "delete it", "confirm", "i confirm", "yes erase",
})  # fmt: skip
MAX_CODE_TRIES = 3


def answers(turn: Turn) -> bool:
    """An answer to the step being asked: yes or no, the final word, or a code."""
    step = turn.erasure.get("step")
    if step is None:
        return False
    if step == CODE:  # a code, right or wrong, or a no: `answer` tells which
        return any(c.isdigit() for c in turn.text) or yes_or_no(turn) is False
    return yes_or_no(turn) is not None or turn.said in FINAL_WORDS


async def start(turn: Turn) -> None:
    request = await data_requests.record(
        turn.session, turn.settings, turn.citizen.id, DataRequestKind.ERASE, turn.inbound.channel
    )
    turn.say("erase_explain")
    if turn.citizen.erasure_hold:  # told now; a confirmed request waits, held, until it is lifted
        turn.say("erase_hold_notice", reason=turn.citizen.erasure_hold)
    turn.say(
        "erase_confirm_first",
        buttons=(turn.button("button_erase_yes", "/affirm"), turn.button("button_erase_no", "/deny")),
    )
    turn.state.erasure = {"step": FIRST, "request": request.id}


async def answer(turn: Turn) -> None:
    step, request_id = turn.erasure["step"], int(turn.erasure["request"])
    if step == CODE:
        await _check_code(turn, request_id)
        return
    if yes_or_no(turn) is False and turn.said not in FINAL_WORDS:
        await _keep(turn, request_id)
    elif step == FIRST:
        final = turn.button("button_erase_final", "/erase_final")
        turn.say("erase_confirm_second", buttons=(final, turn.button("button_erase_no", "/deny")))
        turn.state.erasure = {"step": SECOND, "request": request_id}
    else:
        await _confirmed(turn, request_id)


async def _confirmed(turn: Turn, request_id: int) -> None:
    """Both yeses given: erase now, or first the code on another channel."""
    identities = await citizen_rows.identities_of(turn.session, turn.citizen.id)
    here = (turn.inbound.channel, turn.inbound.address)
    others = [i for i in identities if (i.channel, i.address) != here and not i.opted_out]
    proven = channel(turn.inbound.channel).proves_sender
    if len(identities) < 2 and proven:
        await _erase_now(turn, request_id)
        return
    if not others and proven:
        turn.say("erase_no_other_channel")  # a person checks who asks (the request stays open)
        return
    # A mail's From proves nothing, but the code goes back to that mailbox, which only its owner reads.
    candidates = others or [i for i in identities if (i.channel, i.address) == here]
    other = max(candidates, key=lambda i: i.last_inbound_at or i.created_at)
    code = f"{secrets.randbelow(1_000_000):06d}"
    until = utcnow() + timedelta(minutes=turn.settings.privacy.erase_code_minutes)
    await send_to_citizen(
        turn.session,
        turn.citizen.id,
        turn.t("erase_code_message", code=code, channel=channel_name(turn.inbound.channel, turn.language)),
        author=Author.BOT,
        language=turn.language,
        to=(other.channel, other.address),
    )
    turn.say("erase_code_sent", where=masks.masked(other.channel, other.address, turn.language))
    turn.state.erasure = {
        "step": CODE,
        "request": request_id,
        "code": _digest(code, request_id),
        "until": until.isoformat(),
        "tries": 0,
    }


async def _check_code(turn: Turn, request_id: int) -> None:
    state = turn.erasure
    typed = "".join(c for c in turn.text if c.isdigit())
    if datetime.fromisoformat(state["until"]) < utcnow():
        await _keep(turn, request_id, key="erase_code_expired")
    elif typed and secrets.compare_digest(_digest(typed, request_id), state["code"]):
        await _erase_now(turn, request_id)
    elif yes_or_no(turn) is False or not typed:
        await _keep(turn, request_id)
    elif state["tries"] + 1 >= MAX_CODE_TRIES:
        await _keep(turn, request_id, key="erase_code_failed")
    else:
        turn.say("erase_code_wrong")
        turn.state.erasure = {**state, "tries": state["tries"] + 1}


async def _erase_now(turn: Turn, request_id: int) -> None:
    """Confirmed: the pipeline erases once the replies are stored (`Turn.erase`), unless a supervisor
    holds it (read under a lock, so a hold set at this moment is seen); then it waits, held."""
    hold = await citizen_rows.erasure_hold_for_update(turn.session, turn.citizen.id)
    if hold:
        await request_rows.hold(turn.session, request_id, hold)
        turn.say("erase_held", reason=hold)
        return
    turn.erase = request_id
    turn.say("erase_done")


async def _keep(turn: Turn, request_id: int, key: str = "erase_kept") -> None:
    await request_rows.close(turn.session, request_id, DataRequestStatus.CANCELLED)
    turn.say(key)
    if in_report(turn):
        await back_to_report(turn)  # the report being filed goes on where it was


def _digest(code: str, request_id: int) -> str:
    return hashlib.sha256(f"{request_id}:{code}".encode()).hexdigest()


async def settle(turn: Turn) -> None:
    """An erasure left unanswered (the citizen wrote something else) is cancelled."""
    if turn.erasure and turn.rule != "erasure_answer" and not turn.state.erasure:
        await request_rows.close(turn.session, int(turn.erasure["request"]), DataRequestStatus.CANCELLED)
