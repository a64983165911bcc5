"""`ventanilla retention run [--dry-run] [--now ISO-8601]`: the retention rules now (serve runs them daily).

A dry run lists, per rule, the citizens it concerns by id with their message counts (no names, numbers or
text) and changes nothing; a run does what the dry run at the same `--now` listed and says what it did."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from typing import Any

from bot import retention
from bot.followup_commands import EXIT_USAGE, _fail, _migrated, _moment
from bot.settings import Settings
from storage.engine import create_engine, session_factory
from storage.models import utcnow
from storage.stores import open_store


def add_retention_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `retention run` on the application's sub-parsers."""
    group = subparsers.add_parser("retention", help="keep data only as long as config.yml's retention: says")
    commands = group.add_subparsers(dest="retention_command", required=True, metavar="{run}")
    run = commands.add_parser("run", help="apply the retention rules now (serve does it daily)")
    run.add_argument("--dry-run", action="store_true", help="list what would be done; change nothing")
    run.add_argument(
        "--now", type=_moment, help="decide as if it were this ISO 8601 time (previews, rehearsals, tests)"
    )
    run.set_defaults(func=run_command)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("retention", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    now = args.now or utcnow()
    print("\n".join(asyncio.run(_run(settings, now, args.dry_run))))
    return 0


async def _run(settings: Settings, now: datetime, dry_run: bool) -> list[str]:
    engine = create_engine(settings.database.url)
    try:
        sessions = session_factory(engine)
        if dry_run:  # no store: a dry run touches no file, not even the media folder's creation
            async with sessions() as session:
                return listing(await retention.plan(session, settings, now))
        async with open_store(settings) as store:
            planned, done = await retention.run(sessions, settings, store, now)
    finally:
        await engine.dispose()
    assert done is not None
    return report(planned, done)


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _rule(title: str, found: tuple[retention.Listed, ...]) -> list[str]:
    total = sum(x.messages for x in found)
    lines = [f"{title}: {_count(len(found), 'citizen')}, {_count(total, 'message')}"]
    lines += [f"  citizen {x.citizen_id}: {_count(x.messages, 'message')}" for x in found]
    return lines


def headings(planned: retention.Plan) -> tuple[str, str, str]:
    return (
        f"message text and media from before {_day(planned.messages_before)}, of citizens with no open "
        "or recently closed case",
        f"web chat visitors who filed nothing, silent since {_day(planned.webchat_before)}",
        f"inactive citizens, silent since {_day(planned.inactive_before)} with no open case",
    )


def questions(planned: retention.Plan) -> str:
    return (
        f"questions to the knowledge base asked before {_day(planned.questions_before)} "
        "(the counts stay; the words and who asked go)"
    )


def listing(planned: retention.Plan) -> list[str]:
    """The dry run: each rule's citizens by id, with message counts; nothing else about them."""
    messages, webchats, inactive = headings(planned)
    return [
        f"retention as of {_day(planned.now)}: dry run, nothing is changed",
        *_rule(messages, planned.messages),
        *_rule(webchats + " (to remove entirely)", planned.webchats),
        *_rule(inactive + " (to anonymise)", planned.inactive),
        *_rule("held by a supervisor (skipped)", planned.held),
        f"{questions(planned)}: {_count(planned.questions, 'question')} to lose their words",
    ]


def report(planned: retention.Plan, done: retention.Done) -> list[str]:
    messages, webchats, inactive = headings(planned)
    files = f"{_count(done.files_deleted, 'file')} deleted from the media store"
    if done.files_not_deleted:
        files += f", {done.files_not_deleted} could not be (see the log)"
    return [
        f"retention as of {_day(planned.now)}: done",
        f"{messages}: {_count(done.messages_blanked, 'message')} of "
        f"{_count(done.message_citizens, 'citizen')} blanked",
        f"{webchats}: {done.webchats_removed} removed with "
        f"{_count(done.webchat_messages_removed, 'message')}",
        f"{inactive}: {done.inactive_anonymised} anonymised",
        f"{questions(planned)}: {_count(done.questions_blanked, 'question')} lost their words",
        f"held by a supervisor (skipped): {done.held}",
        f"changed since the plan (a new case or message), left alone: {done.changed_meanwhile}",
        files,
    ]
