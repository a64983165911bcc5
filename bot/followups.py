""" "Was it fixed?": a follow-up scheduled when a case is closed, and sent when due through the one way out.

A case becoming `resolved` schedules the question "¿Lo arreglaron?" after `followup.after_days` (the
service's own value if the catalog sets one); `rejected` or `duplicate` schedules only the satisfaction
question, with the reason. Sending decides, for each due follow-up, in its own transaction with the row
locked (two workers never take the same one): the case moved meanwhile (not asked), the citizen is busy
(with a report or a person: it waits), the channel (opted out: not sent; WhatsApp outside its window: the
approved template, else SMS, else not sent). The answers are bot/followup_dialogue.py's.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.followup_channels import FIXED, NotSent, route
from bot.followup_settings import for_service
from bot.housekeeping import every
from bot.messages import Button
from bot.outbound import send_to_citizen
from bot.settings import Settings
from bot.texts import status_name, text
from bot.turn import DialogueState
from connectors.channels import channel as channel_of
from storage import cases as case_rows
from storage import citizens as citizen_rows
from storage import followups as rows
from storage.conversations import conversation_for_update
from storage.engine import AsyncSession, async_sessionmaker
from storage.models import (
    Author,
    Case,
    CaseEvent,
    CaseStatus,
    FollowUp,
    FollowUpStatus,
    Holder,
    utcnow,
)

log = logging.getLogger(__name__)

SATISFACTION = "satisfaction"
# What each closing asks, and the statuses in which the question still makes sense when it is due.
KIND_OF = {CaseStatus.RESOLVED: FIXED, CaseStatus.REJECTED: SATISFACTION, CaseStatus.DUPLICATE: SATISFACTION}
ASKED_WHILE = {FIXED: (CaseStatus.RESOLVED,), SATISFACTION: (CaseStatus.REJECTED, CaseStatus.DUPLICATE)}
# The answers' buttons: their payloads come back as the citizen's message (and as "1", "2", "3" on SMS).
YES, NO, UNKNOWN = "/affirm", "/deny", "/dont_know"
# A citizen silent this long is no longer in the middle of anything: what they left open lapses.
ABANDONED_AFTER = timedelta(hours=2)


async def schedule(
    session: AsyncSession, settings: Settings, case: Case, event: CaseEvent
) -> FollowUp | None:
    """The follow-up of a status change that closed the case, if it did (and has a citizen to ask)."""
    kind = KIND_OF.get(CaseStatus(case.status)) if case.status in KIND_OF else None
    if kind is None or case.citizen_id is None:
        return None
    days = for_service(settings, case.service_code).after_days
    return await rows.schedule(
        session, case, event, kind=kind, due_at=event.created_at + timedelta(days=days)
    )


def busy(state: DialogueState, now: datetime, *, idle: bool) -> bool:
    """The citizen is in the middle of a conversation with the bot: another follow-up's question whose
    answer still counts; or, unless they have been silent for `ABANDONED_AFTER`, a report, an offer."""
    until = state.followup.get("until")
    if isinstance(until, str) and datetime.fromisoformat(until) > now:
        return True
    if idle:
        return False
    return bool(
        state.flow or state.offered_person or state.offered_next or state.offered_link or state.publish_due
    )


def lapse(state: DialogueState) -> None:
    """What a citizen silent for long left open lapses when the follow-up is asked: its answer must not
    be read as the step of a report abandoned days ago, or as the publishing question's."""
    state.reset_flow()
    state.offered_person = state.offered_next = False
    state.offered_link, state.next_problem, state.publish_asked = None, {}, []


def place_of(case: Case, language: str) -> str:
    if case.address:
        return case.address
    if case.latitude is not None:
        return "el punto que marcaste" if language != "en" else "the point you marked"
    return ""


def about(settings: Settings, case: Case, language: str) -> str:
    """ "bache o hueco en la vía, calle 45 con carrera 27": which report the question is about."""
    service = settings.service_name(case.service_code, language)
    service = service[:1].lower() + service[1:] if language != "en" else service
    place = place_of(case, language)
    return f"{service}, {place}" if place else service


@dataclass
class Pass:
    """What one sending pass did."""

    counts: Counter[str]

    def __str__(self) -> str:
        order = ("sent", "waiting", "not_sent", "skipped", "expired")
        return ", ".join(f"{self.counts[k]} {k.replace('_', ' ')}" for k in order)


async def send_due(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime | None = None
) -> Pass:
    """Send every follow-up due by `now` (the present, or a rehearsal's "as if it were then"); each in its
    own transaction, so one that fails does not hold back the others. Preferential citizens' go first
    (issue 19): a pass cut short leaves the others, never theirs."""
    now = now or utcnow()
    done = Pass(Counter())
    async with sessions() as session, session.begin():
        done.counts["expired"] += await rows.expire(session, now)
    for preferential in (True, False):
        after = 0
        while True:
            async with sessions() as session, session.begin():
                followup = await rows.next_due(session, now, after_id=after, preferential=preferential)
                if followup is None:
                    break
                after = followup.id
                done.counts[await ask(session, settings, followup, now)] += 1
    return done


async def ask(session: AsyncSession, settings: Settings, followup: FollowUp, now: datetime) -> str:
    """Ask one due follow-up (the row locked by the caller): "sent", "waiting", "not_sent" or "skipped"."""
    case = await rows.case_for_update(session, followup.case_id)
    if case is None or case.status not in ASKED_WHILE.get(followup.kind, ()):
        followup.status, followup.note = FollowUpStatus.NOT_SENT, "case_changed"
        return "skipped"  # staff moved the case again before the question was due: nothing to ask
    if followup.citizen_id is None:
        return await _not_sent(session, followup, case, "no_citizen")
    conversation = await conversation_for_update(session, followup.citizen_id)
    state = DialogueState.load(conversation.state)
    answer_days = for_service(settings, case.service_code).answer_days
    identity = await citizen_rows.find_identity(
        session, conversation.last_channel or "", conversation.last_address or ""
    )
    last_seen = identity.last_inbound_at if identity is not None else None
    idle = last_seen is None or now - last_seen > ABANDONED_AFTER
    if conversation.holder != Holder.BOT or busy(state, now, idle=idle):
        followup.note = "waiting_person" if conversation.holder != Holder.BOT else "waiting_conversation"
        if now > followup.due_at + timedelta(days=answer_days):
            return await _not_sent(session, followup, case, "busy_too_long")
        return "waiting"
    try:
        way = await route(session, settings, conversation, followup.kind, now)
    except NotSent as refused:
        return await _not_sent(session, followup, case, refused.reason)
    citizen = await citizen_rows.get_citizen(session, followup.citizen_id)
    language = citizen.language or case.language
    body, buttons, step = question(settings, case, followup, language, await _closing_note(session, followup))
    if step == SATISFACTION and not channel_of(way.channel).buttons:
        buttons = ()  # "Responde del 1 al 5" says it; "1. 1, 2. 2…" would only lengthen an SMS
    template = None
    if way.template is not None:
        place = place_of(case, language) or "-"
        template = (way.template[0], (case.code, settings.service_name(case.service_code, language), place))
    message = await send_to_citizen(
        session,
        followup.citizen_id,
        body,
        author=Author.SYSTEM,
        language=language,
        to=(way.channel, way.address),
        buttons=buttons,
        template=template,
    )
    if message is None:
        return await _not_sent(session, followup, case, "no_channel")
    until = now + timedelta(days=answer_days)
    followup.status, followup.asked, followup.sent_at = FollowUpStatus.SENT, followup.asked + 1, now
    followup.answer_until, followup.channel, followup.message_id = until, way.channel, message.id
    followup.case_updated_at, followup.note = case.updated_at, None
    if idle:
        lapse(state)
    state.publish_asked = []  # answered by the next message only, and the next one is about this
    state.followup = {"id": followup.id, "step": step, "until": until.isoformat()}
    state.choices = [b.payload for b in buttons]
    conversation.state = state.dump()
    how = "sent_template" if template else "sent_sms" if way.channel != conversation.last_channel else "sent"
    await case_rows.add_case_event(session, case, "followup", actor=Author.SYSTEM, to_value=how)
    return "sent"


def question(
    settings: Settings, case: Case, followup: FollowUp, language: str, note: str | None
) -> tuple[str, tuple[Button, ...], str]:
    """The question's text, its buttons and the step its answer is for."""
    what = about(settings, case, language)
    if followup.kind == FIXED:
        buttons = tuple(
            Button(text(key, language), payload)
            for key, payload in (
                ("button_fixed_yes", YES),
                ("button_fixed_no", NO),
                ("button_fixed_unknown", UNKNOWN),
            )
        )
        return text("followup_fixed", language, code=case.code, about=what), buttons, FIXED
    reason = text("followup_reason", language, note=note.rstrip(".")) if note else ""
    status = status_name(case.status, language)
    body = text("followup_closed", language, code=case.code, about=what, status=status, reason=reason)
    return body, rating_buttons(), SATISFACTION


def rating_buttons() -> tuple[Button, ...]:
    return tuple(Button(str(n), str(n)) for n in range(1, 6))


async def _closing_note(session: AsyncSession, followup: FollowUp) -> str | None:
    event = await rows.closing_event(session, followup.closing_event_id)
    return event.note if event is not None else None


async def _not_sent(session: AsyncSession, followup: FollowUp, case: Case, reason: str) -> str:
    """Not asked, and the case's timeline says why (the inbox shows the reason in words)."""
    followup.status, followup.note = FollowUpStatus.NOT_SENT, reason
    await case_rows.add_case_event(
        session, case, "followup", actor=Author.SYSTEM, to_value=f"not_sent_{reason}"
    )
    log.info("follow-up %d of case %s not sent: %s", followup.id, case.code, reason)
    return "not_sent"


class Sending:
    """Inside `serve`: due follow-ups sent every minute. Every worker runs it; each follow-up is taken
    locked and skipped by the others (FOR UPDATE SKIP LOCKED; SQLite has one writer at a time), so two
    workers never ask the same question, and the one that finds nothing left simply waits again."""

    def __init__(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession], every: float = 60
    ) -> None:
        self.settings, self.sessions, self.every = settings, sessions, every
        self._stop = asyncio.Event()

    async def run(self) -> None:
        await every(self.every, self._stop, self.once, "follow-up")

    async def once(self) -> None:
        done = await send_due(self.sessions, self.settings)
        if done.counts["sent"] or done.counts["not_sent"]:
            log.info("follow-ups: %s", done)

    def stop(self) -> None:
        self._stop.set()
