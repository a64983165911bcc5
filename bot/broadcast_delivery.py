"""One citizen's copy of a survey, an alert or a due-date reminder: whether it goes now, waits, or is
skipped (and why), where to, in which words, and its state once handed to the one way out.

The caller holds the delivery locked. Skipped (permanent): the survey closed, an alert waited past
`alert_expire_hours` (a reminder: its date passed), the citizen left the topic or said STOP on their
channel, has no chat channel, is on WhatsApp outside the 24-hour window without an approved template (never
SMS instead: the citizen chose a topic on one channel, not every channel), or the number erased its data.
Waiting: a report under way or a person holding the conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot import reminder_words as words
from bot import survey_dialogue
from bot.followup_channels import in_window
from bot.followups import ABANDONED_AFTER, busy, lapse
from bot.messages import Button
from bot.outbound import send_to_citizen
from bot.settings import Settings
from bot.texts import text
from bot.turn import DialogueState
from connectors.channels import channel as channel_of
from storage import broadcasts as rows
from storage import citizens as citizen_rows
from storage.conversations import conversation_for_update
from storage.engine import AsyncSession
from storage.models import (
    Author,
    Broadcast,
    Conversation,
    Delivery,
    DeliveryStatus,
    Holder,
    SubscriptionStatus,
    Survey,
)

SENT, WAITING, SKIPPED = "sent", "waiting", "skipped"


class Skip(Exception):
    """This citizen does not get this broadcast; `reason` is a short code the inbox shows in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Way:
    channel: str
    address: str
    template: str | None = None  # the approved WhatsApp template's SID, outside the window


async def deliver(session: AsyncSession, settings: Settings, delivery: Delivery, now: datetime) -> str:
    """Send, keep waiting or skip one queued delivery: "sent", "waiting" or "skipped"."""
    broadcast = await rows.broadcast(session, delivery.broadcast_id)
    assert broadcast is not None  # a delivery goes with its broadcast (ON DELETE CASCADE)
    survey = await session.get(Survey, broadcast.survey_id) if broadcast.survey_id else None
    try:
        return await _deliver(session, settings, delivery, broadcast, survey, now)
    except Skip as skip:
        delivery.status, delivery.reason = DeliveryStatus.SKIPPED, skip.reason
        return SKIPPED


async def _deliver(
    session: AsyncSession,
    settings: Settings,
    delivery: Delivery,
    broadcast: Broadcast,
    survey: Survey | None,
    now: datetime,
) -> str:
    if survey is not None and now >= survey.closes_at:
        raise Skip("closed")
    if survey is None and _expired(settings, broadcast, now):
        raise Skip("expired")  # still waiting for the citizen after a day: too late to be news
    if delivery.citizen_id is None:
        raise Skip("erased")  # the citizen erased their data after it was queued
    citizen = await citizen_rows.get_citizen(session, delivery.citizen_id)
    if citizen.erased_at is not None:
        raise Skip("erased")
    subscribed = await rows.subscription(session, citizen.id, broadcast.topic)
    if subscribed is None or subscribed.status != SubscriptionStatus.ACTIVE:
        raise Skip("opted_out")  # BAJA (or leaving the topic) after the broadcast was queued
    conversation = await conversation_for_update(session, citizen.id)
    state = DialogueState.load(conversation.state)
    identity = await citizen_rows.find_identity(
        session, conversation.last_channel or "", conversation.last_address or ""
    )
    last_seen = identity.last_inbound_at if identity is not None else None
    idle = last_seen is None or now - last_seen > ABANDONED_AFTER
    if _busy(conversation, state, now, idle=idle):
        return WAITING
    way = _way(settings, conversation, identity, broadcast, survey, now)
    language = citizen.language or settings.city.default_language
    buttons: tuple[Button, ...] = ()
    opened: dict[str, Any] = {}
    if survey is not None:
        body, buttons, opened = survey_dialogue.opening(
            settings, survey, delivery.id, language, channel_of(way.channel).buttons
        )
        variable = survey.title.get(language) or survey.title["es"]
    elif broadcast.kind == words.REMINDER:
        body = alert_text(broadcast, language)  # its own words: "⏰ Recordatorio: …"
        variable = " ".join(body.split("\n"))  # WhatsApp refuses a template variable with a line break
    else:
        body, variable = alert_body(settings, broadcast, language), alert_text(broadcast, language)
    message = await send_to_citizen(
        session,
        citizen.id,
        body,
        author=Author.SYSTEM,
        language=language,
        to=(way.channel, way.address),
        buttons=buttons,
        template=(way.template, (variable,)) if way.template else None,
    )
    if message is None:
        raise Skip("suppressed")  # the number erased its data: the city writes to it no more
    delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
    delivery.channel, delivery.message_id, delivery.reason = way.channel, message.id, None
    if survey is not None:
        if idle:
            lapse(state)  # a report abandoned days ago must not read the survey's answer as its step
        state.survey = opened
        state.choices = [b.payload for b in buttons]
        conversation.state = state.dump()
    return SENT


def _expired(settings: Settings, broadcast: Broadcast, now: datetime) -> bool:
    """An alert waiting past `alert_expire_hours`; a reminder once its date has passed (city date)."""
    if broadcast.kind == words.REMINDER:
        day = words.occasion_day(broadcast.occasion)
        return day is None or words.city_today(settings, now) > day
    return now - broadcast.created_at > timedelta(hours=settings.participation.alert_expire_hours)


def _busy(conversation: Conversation, state: DialogueState, now: datetime, *, idle: bool) -> bool:
    """With a person, in a report, answering a follow-up or another survey: it waits for the end."""
    if conversation.holder != Holder.BOT:
        return True
    return busy(state, now, idle=idle) or (bool(state.survey) and not idle)


def _way(
    settings: Settings,
    conversation: Conversation,
    identity: Any,
    broadcast: Broadcast,
    survey: Survey | None,
    now: datetime,
) -> Way:
    """The citizen's last chat channel; on WhatsApp outside its window only the approved template."""
    name, address = conversation.last_channel, conversation.last_address
    declared = channel_of(name)
    if not name or not address or not declared.chat:
        raise Skip("no_channel")
    if identity is not None and identity.opted_out:
        raise Skip("opted_out")  # STOP on that channel
    window = declared.reply_window
    if window is None or in_window(identity.last_inbound_at if identity else None, window, now):
        return Way(name, address)
    sid = settings.participation.alert_template_sid
    if survey is not None:
        sid = survey.template_sid
    elif broadcast.kind == words.REMINDER:
        sid = settings.knowledge.reminder_template_sid
    if sid and settings.secrets.twilio_whatsapp_from:
        return Way(name, address, template=sid)
    raise Skip("outside_window")


def alert_text(broadcast: Broadcast, language: str) -> str:
    words = broadcast.text or {}
    return words.get(language) or words.get("es", "")


def alert_body(settings: Settings, broadcast: Broadcast, language: str) -> str:
    """ "📢 Aviso de la ciudad — Cortes de agua, Norte: …" and how to stop them."""
    topic = settings.participation.topics.get(broadcast.topic)
    about = topic.name.get(language) if topic is not None else broadcast.topic
    area = settings.areas.get(broadcast.area) if broadcast.area else None
    if area is not None:
        about = f"{about}, {area.name.get(language)}"
    return text("alert_body", language, about=about, text=alert_text(broadcast, language))
