"""`ventanilla surveys send ID|SLUG` and `ventanilla alerts send`: queued for their topic's citizens, then
one sending pass, so a laptop without `serve` sends the first batch (serve sends the rest at the pace)."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime

from bot import broadcasts
from bot.followup_commands import EXIT_USAGE, _fail, _migrated
from bot.settings import Settings
from storage import surveys
from storage.audit import audit
from storage.engine import AsyncSession, async_sessionmaker, create_engine, session_factory
from storage.models import utcnow


def survey_send_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("surveys", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    return asyncio.run(_survey_send(args, settings))


def alert_send_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("alerts", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    words = broadcasts.alert_words(args.text, args.text_en)
    try:  # before touching the database: a typo in the topic is the usual mistake
        broadcasts.check_alert(settings, args.topic, args.area, words)
    except broadcasts.Refused as refused:
        return _fail("alerts", str(refused), EXIT_USAGE)
    return asyncio.run(_alert_send(args, settings, words))


async def _survey_send(args: argparse.Namespace, settings: Settings) -> int:
    now: datetime = args.now or utcnow()
    engine = create_engine(settings.database.url)
    try:
        sessions = session_factory(engine)
        async with sessions() as session, session.begin():
            survey = await surveys.by_reference(session, args.survey)
            if survey is None:
                return _fail("surveys", f"there is no survey {args.survey!r}", EXIT_USAGE)
            try:
                queued = await broadcasts.queue_survey(session, settings, survey, now=now)
            except broadcasts.Refused as refused:
                return _fail("surveys", str(refused))
            await _audit(session, queued, "survey_sent", survey.slug)
        print(f"survey {survey.slug}: {queued.queued} queued, {queued.already} already reached")
        await _first_pass(sessions, settings, now)
    finally:
        await engine.dispose()
    return 0


async def _alert_send(args: argparse.Namespace, settings: Settings, words: dict[str, str]) -> int:
    now: datetime = args.now or utcnow()
    engine = create_engine(settings.database.url)
    try:
        sessions = session_factory(engine)
        async with sessions() as session, session.begin():
            queued = await broadcasts.queue_alert(
                session, settings, topic=args.topic, area=args.area, words=words, now=now
            )
            await _audit(session, queued, "alert_sent", f"{args.topic}/{args.area or '*'}")
        print(f"alert to {args.topic}{'/' + args.area if args.area else ''}: {queued.queued} queued")
        await _first_pass(sessions, settings, now)
    finally:
        await engine.dispose()
    return 0


async def _audit(session: AsyncSession, queued: broadcasts.Queued, action: str, what: str) -> None:
    await audit(
        session,
        actor="cli",
        action=action,
        target_type="broadcast",
        target_id=str(queued.broadcast_id),
        to_value=what,
        detail={"queued": queued.queued, "already": queued.already},
    )


async def _first_pass(sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime) -> None:
    done = await broadcasts.send_pass(sessions, settings, now)
    if done["quiet"]:
        print("quiet hours: nothing sent now; serve sends them when they end")
        return
    more = " (the pace is reached: serve sends the rest)" if done["paced"] else ""
    print(f"sent now: {done['sent']}, waiting: {done['waiting']}, skipped: {done['skipped']}{more}")
