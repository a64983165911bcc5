"""Sending surveys and alerts to the citizens opted into a topic: queued once per citizen, sent paced.

A broadcast (`ventanilla surveys send`, `alerts send`, the inbox's alerts page) queues one delivery per
citizen of its audience. A sending pass (inside `serve` every few seconds, and once after each command)
takes the queued deliveries one at a time, each in its own transaction with the row locked (two workers
never send one twice): nothing in quiet hours, at most `participation.per_minute` sent in any minute by all
workers together; bot/broadcast_delivery.py decides each one.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.broadcast_delivery import deliver
from bot.housekeeping import every
from bot.reminder_job import queue_reminders
from bot.settings import Settings
from storage import broadcasts as rows
from storage.engine import AsyncSession, async_sessionmaker
from storage.models import Broadcast, Survey, utcnow

log = logging.getLogger(__name__)
EVERY_SECONDS = 5.0
REMINDERS_EVERY = timedelta(minutes=10)  # due-date reminders whose day has come are queued this often
ALERT, SURVEY = "alert", "survey"


class Refused(Exception):
    """The broadcast cannot be made as asked: the message says why (the command line's words); `key` and
    `values`, for the inbox to say it in the staff member's language."""

    def __init__(self, message: str, key: str, **values: object) -> None:
        super().__init__(message)
        self.key, self.values = key, values


@dataclass(frozen=True)
class Queued:
    broadcast_id: int
    queued: int
    already: int  # a survey's citizens an earlier broadcast of it already reached


def quiet(settings: Settings, now: datetime) -> bool:
    """Quiet hours in the city's own time: nothing the city starts goes out then."""
    return settings.participation.quiet_hours.holds(now.astimezone(settings.city.zone).time())


def check_audience(settings: Settings, topic: str, area: str | None) -> None:
    if topic not in settings.participation.topics:
        known = ", ".join(settings.participation.topics) or "none"
        raise Refused(f"unknown topic {topic!r} (topics: {known})", "unknown_topic")
    if area is not None and area not in settings.areas:
        raise Refused(f"unknown area {area!r} (areas: {', '.join(settings.areas) or 'none'})", "unknown_area")


def check_alert(settings: Settings, topic: str, area: str | None, words: dict[str, str]) -> None:
    """An alert must go to a known topic (and area) and say something short in Spanish."""
    check_audience(settings, topic, area)
    most = settings.participation.alert_max_chars
    if not words.get("es", "").strip():
        raise Refused("the alert needs its text in Spanish", "no_text")
    for language, said in words.items():
        if len(said) > most:
            raise Refused(
                f"the alert's {language} text has {len(said)} characters; at most {most}",
                "too_long", language=language, n=len(said), most=most,
            )  # fmt: skip


def alert_words(text_es: str, text_en: str | None) -> dict[str, str]:
    words = {"es": text_es.strip()}
    if text_en and text_en.strip():
        words["en"] = text_en.strip()
    return words


async def audience_size(session: AsyncSession, topic: str, area: str | None) -> int:
    return len(await rows.audience(session, topic, area))


async def queue_alert(
    session: AsyncSession,
    settings: Settings,
    *,
    topic: str,
    area: str | None,
    words: dict[str, str],
    now: datetime,
    staff_id: int | None = None,
) -> Queued:
    """An alert queued for every citizen of the topic (and area); `Refused` when it cannot be."""
    check_alert(settings, topic, area, words)
    citizens = await rows.audience(session, topic, area)
    broadcast = Broadcast(
        kind=ALERT,
        topic=topic,
        area=area,
        text=words,
        template_sid=settings.participation.alert_template_sid,
        staff_id=staff_id,
        created_at=now,
    )
    return Queued(await _add(session, broadcast, citizens), len(citizens), 0)


async def queue_survey(
    session: AsyncSession, settings: Settings, survey: Survey, *, now: datetime, staff_id: int | None = None
) -> Queued:
    """A survey queued for the citizens of its audience it has not reached yet; only while it is open."""
    if now < survey.opens_at:
        raise Refused(
            f"survey {survey.slug!r} opens at {survey.opens_at.isoformat()}: not sent yet", "not_open"
        )
    if now >= survey.closes_at:
        raise Refused(f"survey {survey.slug!r} closed at {survey.closes_at.isoformat()}: not sent", "closed")
    check_audience(settings, survey.topic, survey.area)
    audience = await rows.audience(session, survey.topic, survey.area, survey.channel)
    reached = await rows.reached_by_survey(session, survey.id)
    citizens = [c for c in audience if c not in reached]
    broadcast = Broadcast(
        kind=SURVEY,
        survey_id=survey.id,
        topic=survey.topic,
        area=survey.area,
        channel=survey.channel,
        template_sid=survey.template_sid,
        staff_id=staff_id,
        created_at=now,
    )
    return Queued(await _add(session, broadcast, citizens), len(citizens), len(audience) - len(citizens))


async def _add(session: AsyncSession, broadcast: Broadcast, citizens: list[int]) -> int:
    await rows.add_broadcast(session, broadcast, citizens)
    return broadcast.id


async def send_pass(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime | None = None
) -> Counter[str]:
    """Send what the pace allows now (the present, or a rehearsal's "as if it were then"): "sent",
    "waiting", "skipped" counted; "quiet" when quiet hours hold, "paced" when the minute is full."""
    now = now or utcnow()
    done: Counter[str] = Counter()
    if quiet(settings, now):
        done["quiet"] = 1
        return done
    # Preferential citizens' deliveries first within the pace (issue 19), then everyone else's.
    for preferential in (True, False):
        after = 0
        while True:
            async with sessions() as session, session.begin():
                await rows.hold_pace(session)
                if await rows.sent_in_minute_before(session, now) >= settings.participation.per_minute:
                    done["paced"] = 1
                    return done
                delivery = await rows.next_queued(session, after_id=after, preferential=preferential)
                if delivery is None:
                    break
                after = delivery.id
                done[await deliver(session, settings, delivery, now)] += 1
    return done


class BroadcastSending:
    """Inside `serve`: due-date reminders are queued (bot/reminder_job.py) and queued survey, alert and
    reminder deliveries go out, paced. Every worker runs it; the pace and each delivery's lock are shared
    through the database."""

    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        every: float = EVERY_SECONDS,
    ) -> None:
        self.settings, self.sessions, self.every = settings, sessions, every
        self._stop = asyncio.Event()
        self._reminders_at: datetime | None = None

    async def run(self) -> None:
        await every(self.every, self._stop, self.once, "broadcast")

    async def once(self) -> None:
        now = utcnow()
        if self._reminders_at is None or now - self._reminders_at >= REMINDERS_EVERY:
            self._reminders_at = now  # the occasion is unique: every worker may queue, none twice
            try:
                await queue_reminders(self.sessions, self.settings, now)
            except Exception:  # a reminder that cannot be queued must not hold up the alerts and surveys
                log.exception("due-date reminders could not be queued; tried again in a few minutes")
        done = await send_pass(self.sessions, self.settings)
        if done["sent"] or done["skipped"]:
            log.info("broadcasts: %d sent, %d skipped", done["sent"], done["skipped"])

    def stop(self) -> None:
        self._stop.set()
