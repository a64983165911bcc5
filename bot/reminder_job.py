"""Queueing the due-date reminders whose day has come: one broadcast per topic and date ("occasion").

For each date a topic file declares, from `knowledge.remind_days_before` days before it until the date
itself (city dates), the reminder is a broadcast of kind "reminder" to the topic "recordar:<slug>", made
once: its occasion ("impuesto-predial@2027-04-30") is unique, so a second worker or a second run finds it
and only adds deliveries for citizens who opted in since. The broadcast sender (bot/broadcasts.py) then
sends them as it sends alerts: paced, never in quiet hours, on the citizen's chat, after BAJA not at all.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from bot import reminder_words as words
from bot.knowledge_files import DueDate, Topic, load_topics
from bot.settings import Settings
from bot.texts import text
from storage import broadcasts as rows
from storage.engine import AsyncSession, async_sessionmaker
from storage.models import Broadcast

log = logging.getLogger(__name__)


def reminder_text(topic: Topic, due: DueDate) -> dict[str, str]:
    """ "⏰ Recordatorio: vence el pago del predial… el 30 de abril. Impuesto predial: <link>" and how to
    stop, in each language the topic speaks."""
    found: dict[str, str] = {}
    for language in ("es", "en"):
        if language not in topic.title and language not in due.what:
            continue
        found[language] = text(
            "reminder_body",
            language,
            what=topic.in_language(due.what, language),
            day=words.day_words(due.day, language),
            title=topic.in_language(topic.title, language),
            link=f": {topic.link}" if topic.link else ".",
        )
    return found


def occasions(settings: Settings, topics: list[Topic], now: datetime) -> list[tuple[Topic, DueDate]]:
    """The topic dates whose reminder is due now."""
    today = words.city_today(settings, now)
    return [(t, d) for t in topics for d in t.dates if words.is_due(settings, d, today)]


async def queue_occasion(
    session: AsyncSession, settings: Settings, topic: Topic, due: DueDate, now: datetime
) -> int:
    """The occasion's broadcast (made if missing) and a queued delivery for each citizen opted into the
    topic who has none yet; how many were queued now."""
    made = Broadcast(
        kind=words.REMINDER,
        topic=words.topic_code(topic.slug),
        text=reminder_text(topic, due),
        template_sid=settings.knowledge.reminder_template_sid,
        created_at=now,
        occasion=words.occasion(topic.slug, due),
    )
    broadcast = await rows.occasion_broadcast(session, made)
    audience = await rows.audience(session, broadcast.topic)
    reached = await rows.citizens_of(session, broadcast.id)
    return await rows.add_deliveries(session, broadcast, [c for c in audience if c not in reached], now)


async def queue_reminders(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime,
    topics: list[Topic] | None = None,
) -> Counter[str]:
    """Queue every reminder due at `now` (each occasion in its own transaction): the count per occasion.
    The topics are read from the knowledge folder unless given."""
    if topics is None:
        topics, _ = load_topics(settings.knowledge.dir)
    done: Counter[str] = Counter()
    for topic, due in occasions(settings, topics, now):
        async with sessions() as session, session.begin():
            done[words.occasion(topic.slug, due)] += await queue_occasion(session, settings, topic, due, now)
    if sum(done.values()):
        log.info("reminders queued: %s", dict(done))
    return done
