"""`ventanilla surveys create FILE.yml` (store a checked definition) and `surveys results ID|SLUG [--csv]`
(the public results: small counts hidden, no free text)."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from pathlib import Path

from bot.followup_commands import EXIT_FAILED, EXIT_USAGE, _fail, _migrated
from bot.settings import Settings
from bot.survey_results import SurveyResults, csv_rows, label, results
from bot.surveys import SurveyError, load
from storage import surveys as rows
from storage.engine import create_engine, session_factory
from storage.models import Survey


def create_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("surveys", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    try:
        source = Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        return _fail("surveys", f"cannot read {args.file}: {exc.strerror}", EXIT_USAGE)
    try:
        checked = load(source, settings)
    except SurveyError as exc:
        return _fail("surveys", f"{args.file}: {exc}", EXIT_USAGE)
    return asyncio.run(_create(settings, checked.as_row()))


async def _create(settings: Settings, survey: Survey) -> int:
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            if await rows.by_slug(session, survey.slug) is not None:
                return _fail(
                    "surveys", f"slug: a survey {survey.slug!r} already exists (choose another slug)"
                )
            await rows.add(session, survey)
            print(f"survey {survey.id} {survey.slug} created; send it: ventanilla surveys send {survey.id}")
    finally:
        await engine.dispose()
    return 0


def results_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("surveys", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    found = asyncio.run(_results(settings, args.survey))
    if found is None:
        return _fail("surveys", f"there is no survey {args.survey!r}", EXIT_FAILED)
    if args.csv:
        csv.writer(sys.stdout, lineterminator="\n").writerows(csv_rows(found))
    else:
        print("\n".join(as_text(found, "es")))
    return 0


async def _results(settings: Settings, reference: str) -> SurveyResults | None:
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session:
            survey = await rows.by_reference(session, reference)
            return None if survey is None else await results(session, settings, survey, public=True)
    finally:
        await engine.dispose()


def as_text(found: SurveyResults, language: str) -> list[str]:
    """The public results as lines for a terminal."""
    cell = found.min_cell
    kind = "binding" if found.binding else "advisory"
    state = "open" if found.is_open else "closed"
    lines = [
        f"{found.slug}: {label(found.title, language)} ({kind}, {state})",
        f"respondents: {found.respondents_shown()}",
        "recipients: "
        + ", ".join(f"{s} {n if n is not None else f'<{cell}'}" for s, n in found.recipients.items()),
    ]
    for q in found.questions:
        lines.append(f"\n{q.key} ({q.kind}): {label(q.text, language)} — answers {q.total_shown(cell)}")
        lines += [f"  {c.key:<14} {c.shown(cell):>6}  {label(c.labels, language)}" for c in q.cells]
        if q.kind == "scale":
            lines.append(f"  {'mean':<14} {'-' if q.mean is None else f'{q.mean:.2f}':>6}")
    return lines
