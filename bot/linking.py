"""Joining two channels into one history with a code, only with the owner's yes.

"vincular" on channel A gives a code (8 characters, 15 minutes). "vincular <code>" on channel B only
claims it: A is asked "¿Unir <B> a tu conversación? sí/no", and nothing is joined until A says yes. Wrong
codes are limited per identity and overall, logged and counted (docs/security.md): knowing or guessing a
code is never enough to read or take over someone's conversation.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from bot import citizens, metrics
from bot.messages import Button
from bot.outbound import send_to_citizen
from bot.texts import channel_name, text
from bot.turn import DialogueState, Turn
from connectors.channels import channel
from storage import citizens as citizen_rows
from storage import conversations, links
from storage.models import Author, utcnow

log = logging.getLogger(__name__)

CODE_MINUTES = 15
# "vincular K7M4-QP2X", "link k7m4 qp2x": the honest citizen's shape, any case, dash or space or none.
WITH_CODE = re.compile(r"^\s*(?:vincular|link)\s+([A-Za-z0-9]{4})[\s\-]?([A-Za-z0-9]{4})\s*$", re.IGNORECASE)
# Wrong codes one identity may type in an hour, and everybody together in ten minutes, before claims wait.
FAILURES_PER_IDENTITY = 5
IDENTITY_WINDOW = timedelta(hours=1)
FAILURES_OVERALL = 30
OVERALL_WINDOW = timedelta(minutes=10)


def code_typed(turn: Turn) -> str | None:
    match = WITH_CODE.match(turn.text)
    return (match.group(1) + match.group(2)).upper() if match else None


async def give_code(turn: Turn) -> None:
    """A one-time code to type on another channel; this channel will be asked to confirm the join."""
    turn.understood()
    inbound = turn.inbound
    code = await links.new_link_code(
        turn.session,
        turn.citizen.id,
        timedelta(minutes=CODE_MINUTES),
        channel=inbound.channel,
        address=inbound.address,
    )
    turn.say("link_code", code=links.show_link_code(code.code), minutes=CODE_MINUTES)


async def claim(turn: Turn) -> None:
    """A code typed on a second channel: checked against the limits, then the owner is asked."""
    turn.understood()
    session, inbound = turn.session, turn.inbound
    if not channel(inbound.channel).proves_sender:  # a forged From would join the forger's chat to it
        turn.say("link_claim_elsewhere")
        return
    now = utcnow()
    mine = await links.failed_link_attempts(session, now - IDENTITY_WINDOW, inbound.channel, inbound.address)
    if mine >= FAILURES_PER_IDENTITY:
        metrics.LINK_REFUSED.labels("identity_limit").inc()
        turn.say("link_too_many")
        return
    if await links.failed_link_attempts(session, now - OVERALL_WINDOW) >= FAILURES_OVERALL:
        metrics.LINK_REFUSED.labels("overall_limit").inc()
        log.warning("link codes paused: %d wrong codes in %s", FAILURES_OVERALL, OVERALL_WINDOW)
        turn.say("link_paused")
        return
    link = await links.live_link_code(session, code_typed(turn) or "")
    if link is None or link.claimed_at is not None:
        links.record_link_attempt(session, inbound.channel, inbound.address, succeeded=False)
        metrics.LINK_REFUSED.labels("bad_code").inc()
        log.warning("wrong link code from %s/%s", inbound.channel, inbound.address)
        turn.say("bad_link_code")
        return
    links.record_link_attempt(session, inbound.channel, inbound.address, succeeded=True)
    if link.citizen_id == turn.citizen.id:
        link.used_at = now
        turn.say("linked_already")
        return
    link.claimed_channel, link.claimed_address, link.claimed_at = inbound.channel, inbound.address, now
    turn.say("link_waiting")
    await _ask_owner(turn, link.citizen_id, link.id, (link.channel or "", link.address or ""))


async def _ask_owner(turn: Turn, owner_id: int, link_id: int, to: tuple[str, str]) -> None:
    session = turn.session
    owner = await citizen_rows.get_citizen(session, owner_id)
    language = owner.language
    conversation = await conversations.conversation_for_update(session, owner_id)
    state = DialogueState.load(conversation.state)  # the owner's own dialogue, not this turn's
    state.offered_link = link_id
    state.choices = ["/affirm", "/deny"]
    conversation.state = state.dump()
    body = text("link_confirm", language, channel=channel_name(turn.inbound.channel, language))
    buttons = (
        Button(text("button_link_yes", language), "/affirm"),
        Button(text("button_link_no", language), "/deny"),
    )
    await send_to_citizen(
        session,
        owner_id,
        body,
        author=Author.BOT,
        language=language,
        to=to if all(to) else None,
        buttons=buttons,
    )


async def answer(turn: Turn, yes: bool) -> None:
    """The owner's yes joins the claiming channel into this conversation; a no burns the code."""
    session, state = turn.session, turn.state
    link_id, state.offered_link = state.offered_link, None
    turn.understood()
    link = await links.link_code_by_id(session, link_id or 0)
    now = utcnow()
    if (
        link is None
        or link.citizen_id != turn.citizen.id
        or link.used_at is not None
        or link.claimed_at is None
        or link.expires_at <= now
    ):
        turn.say("link_expired")
        return
    link.used_at = now
    to = (link.claimed_channel or "", link.claimed_address or "")
    claimer = await citizen_rows.find_identity(session, *to)
    if claimer is None:
        turn.say("link_expired")
        return
    if not yes:
        turn.say("link_refused")
        await _tell(turn, claimer.citizen_id, "link_not_confirmed", to)
        return
    owner_id = turn.citizen.id
    joined = await citizens.join(
        session, await citizen_rows.get_citizen(session, claimer.citizen_id), turn.citizen
    )
    # Joining moved rows in bulk and forgot every loaded object: this turn goes on with fresh ones.
    turn.citizen = joined
    turn.conversation = await conversations.conversation_for_update(session, owner_id)
    turn.say("linked_owner", channel=channel_name(to[0], turn.language))
    await _tell(turn, owner_id, "linked", to)


async def _tell(turn: Turn, citizen_id: int, key: str, to: tuple[str, str]) -> None:
    citizen = await citizen_rows.get_citizen(turn.session, citizen_id)
    await send_to_citizen(
        turn.session,
        citizen_id,
        text(key, citizen.language),
        author=Author.BOT,
        language=citizen.language,
        to=to,
    )
