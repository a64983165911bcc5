"""`ventanilla cases set-status` and `ventanilla followups send-due`: a case changed as a staff member would
change it in the inbox, and the "was it fixed?" follow-ups that are due sent now (or as if it were then)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import Any

from bot import case_status, followups
from bot.settings import Settings
from storage import cases as case_rows
from storage.engine import create_engine, session_factory
from storage.migrate import current_revision_sync, head_revision
from storage.models import CaseStatus
from storage.scope import scope_of
from storage.staff import staff_by_username

EXIT_FAILED = 1
EXIT_USAGE = 2


def add_followup_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `cases set-status` and `followups send-due` on the application's sub-parsers."""
    cases = subparsers.add_parser("cases", help="cases, as staff change them in the inbox")
    case_commands = cases.add_subparsers(dest="cases_command", required=True, metavar="{set-status}")
    set_status = case_commands.add_parser(
        "set-status", help="change a case's status as a staff member (audited; the citizen is told)"
    )
    set_status.add_argument("code", help="the case code, e.g. F4Q-488")
    set_status.add_argument("status", choices=[s.value for s in CaseStatus])
    set_status.add_argument("--staff", required=True, help="the username of the staff member who acts")
    set_status.add_argument("--note", help="why (in the case's history; the reason of a rejection)")
    set_status.add_argument("--tell-note", action="store_true", help="also send the note to the citizen")
    set_status.set_defaults(func=set_status_command)
    due = subparsers.add_parser("followups", help='"was it fixed?" follow-ups')
    due_commands = due.add_subparsers(dest="followups_command", required=True, metavar="{send-due}")
    send = due_commands.add_parser("send-due", help="send the follow-ups that are due (serve does it too)")
    send.add_argument(
        "--now", type=_moment, help="decide what is due as if it were this ISO 8601 time (rehearsals, tests)"
    )
    send.set_defaults(func=send_due_command)


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _code(value: str) -> str:
    bare = "".join(c for c in value.upper() if c.isalnum())
    return f"{bare[:3]}-{bare[3:]}" if len(bare) == 6 else value.upper()


def _fail(command: str, message: str, code: int = EXIT_FAILED) -> int:
    print(f"ventanilla {command}: {message}", file=sys.stderr)
    return code


def _migrated(settings: Settings) -> bool:
    return current_revision_sync(settings.database.url) == head_revision()


def set_status_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("cases", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    return asyncio.run(_set_status(args, settings))


async def _set_status(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            staff = await staff_by_username(session, args.staff)
            if staff is None or not staff.active:
                return _fail("cases", f"there is no active account named {args.staff!r}")
            # As in the inbox: a case outside the person's departments is as if it did not exist.
            case = await case_rows.case_by_code(
                session, _code(args.code), lock=True, scope=scope_of(staff.departments)
            )
            if case is None:
                return _fail("cases", f"there is no case {_code(args.code)} that {args.staff} can see")
            before = case.status
            try:
                done = await case_status.change_status(
                    session, settings, case, args.status, staff=case_status.Staff(staff.id, staff.username),
                    note=args.note, tell_note=args.tell_note,
                )  # fmt: skip
            except case_status.TransitionRefused:
                allowed = ", ".join(case_status.next_statuses(case)) or "none"
                return _fail(
                    "cases", f"{case.code} cannot go from {before} to {args.status} (can: {allowed})"
                )
    finally:
        await engine.dispose()
    told = f"{done.told} told (its citizen and supporters)" if done.told else "nobody could be told"
    print(f"{case.code}: {before} → {args.status} by {staff.username}; {told}")
    return 0


def send_due_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("followups", "the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    return asyncio.run(_send_due(settings, args.now))


async def _send_due(settings: Settings, now: datetime | None) -> int:
    engine = create_engine(settings.database.url)
    try:
        done = await followups.send_due(session_factory(engine), settings, now)
    finally:
        await engine.dispose()
    print(f"follow-ups: {done}")
    return 0
