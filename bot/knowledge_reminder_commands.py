"""`ventanilla knowledge remind [--now ISO]`: the due-date reminders whose day has come are queued (once per
topic date, whoever else runs it), then one sending pass, as `serve` does every few minutes."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from typing import Any

from bot.broadcast_commands import _first_pass
from bot.followup_commands import EXIT_USAGE, _fail, _migrated, _moment
from bot.knowledge_files import load_topics
from bot.reminder_job import occasions, queue_reminders
from bot.settings import Settings
from storage.engine import create_engine, session_factory
from storage.models import utcnow


def add_remind(commands: argparse._SubParsersAction[Any]) -> None:
    """`knowledge remind [--now ISO]`, among the `knowledge` commands (bot/knowledge_commands.py)."""
    remind = commands.add_parser(
        "remind", help="queue the due-date reminders whose day has come and send what may go now"
    )
    remind.add_argument("--now", type=_moment, help="as if it were this ISO 8601 time (rehearsals, tests)")
    remind.set_defaults(func=remind_command)


def remind_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("knowledge", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    return asyncio.run(_remind(settings, args.now or utcnow()))


async def _remind(settings: Settings, now: datetime) -> int:
    topics, problems = load_topics(settings.knowledge.dir)
    for problem in problems:
        print(f"left out: {problem}")
    engine = create_engine(settings.database.url)
    try:
        sessions = session_factory(engine)
        done = await queue_reminders(sessions, settings, now, topics)
        if not occasions(settings, topics, now):
            print("reminders: no topic date is due for a reminder now")
        for occasion, queued in sorted(done.items()):
            print(f"reminders {occasion}: {queued} queued")
        await _first_pass(sessions, settings, now)
    finally:
        await engine.dispose()
    return 0
