"""`ventanilla opendata export [--now ISO-8601]`: today's open data files at once, up to this moment,
where /datos/ serves them (serve also writes them once a day)."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime

from bot import opendata
from bot.followup_commands import EXIT_USAGE, _fail, _migrated
from bot.settings import Settings
from storage.engine import create_engine, session_factory
from storage.models import utcnow


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("opendata", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    exported = asyncio.run(_export(settings, args.now or utcnow()))
    folder = opendata.root(settings) / exported.day
    print(f"opendata: {exported.cases} cases written to {folder}")
    if exported.removed:
        print(
            f"opendata: removed days older than {settings.opendata.keep_days}: {', '.join(exported.removed)}"
        )
    if exported.rewritten:
        print(f"opendata: descriptions taken back from {', '.join(exported.rewritten)}")
    return 0


async def _export(settings: Settings, now: datetime) -> opendata.Exported:
    engine = create_engine(settings.database.url)
    try:
        return await opendata.export(session_factory(engine), settings, now)
    finally:
        await engine.dispose()
