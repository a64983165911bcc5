"""`ventanilla staff add|list|deactivate|reactivate|reset-password|revoke-sessions`: inbox accounts from
the command line, every change audited (actor `cli`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import re
import sys
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from inbox import auth
from storage import queries
from storage import staff as store
from storage.engine import create_engine, session_factory
from storage.migrate import current_revision_sync, head_revision
from storage.models import StaffUser, utcnow

USERNAME = re.compile(r"[A-Za-z0-9._@-]{2,80}")
EXIT_FAILED = 1
EXIT_USAGE = 2


@contextlib.asynccontextmanager
async def _transaction(settings: Settings) -> AsyncIterator[AsyncSession]:
    """One transaction on the configured database, for one command."""
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


class AccountExists(Exception):
    """The username is taken."""


def add_staff_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `staff` and its sub-commands on the application's top-level sub-parsers."""
    staff = subparsers.add_parser("staff", help="staff inbox accounts")
    commands = staff.add_subparsers(
        dest="staff_command",
        required=True,
        metavar="{add,list,deactivate,reactivate,reset-password,revoke-sessions}",
    )
    add = commands.add_parser("add", help="create an account (the password is asked for)")
    add.add_argument("username")
    add.add_argument("--role", choices=auth.ROLES, required=True)
    add.add_argument("--department", help="the department the person works in (see config.yml)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of stdin"
    )
    add.set_defaults(func=add_command)
    listing = commands.add_parser("list", help="every account: role, department, state, open sessions")
    listing.set_defaults(func=list_command)
    for name, helps in (
        ("deactivate", "the account can no longer log in; its sessions end now"),
        ("reactivate", "the account can log in again"),
        ("revoke-sessions", "end every session of the account (log it out everywhere)"),
    ):
        command = commands.add_parser(name, help=helps)
        command.add_argument("username")
        command.set_defaults(func=change_command, change=name)
    reset = commands.add_parser("reset-password", help="a new password; unlocks and ends every session")
    reset.add_argument("username")
    reset.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of stdin"
    )
    reset.set_defaults(func=reset_command)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"ventanilla staff: {message}", file=sys.stderr)
    return code


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        return None
    return first


def _refuse_password(password: str | None, settings: Settings) -> int | None:
    """The exit code for a password (or database) that cannot be used; None when both can."""
    if password is None:
        return _fail("the passwords do not match", EXIT_USAGE)
    if len(password) < auth.MIN_PASSWORD:
        return _fail(f"the password needs at least {auth.MIN_PASSWORD} characters", EXIT_USAGE)
    if not _migrated(settings):
        return _fail("the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    return None


def add_command(args: argparse.Namespace, settings: Settings) -> int:
    if not USERNAME.fullmatch(args.username):
        return _fail("the username takes 2-80 letters, digits and . _ @ -", EXIT_USAGE)
    if args.department is not None and args.department not in settings.departments:
        known = ", ".join(sorted(settings.departments))
        return _fail(f"unknown department {args.department!r} (known: {known})", EXIT_USAGE)
    password = _password(args)
    if (refused := _refuse_password(password, settings)) is not None:
        return refused
    assert password is not None
    try:
        staff_id = asyncio.run(_add(settings, args.username, password, args.role, args.department))
    except (AccountExists, IntegrityError):
        return _fail(f"there is already an account named {args.username!r}")
    print(f"staff account {args.username!r} ({args.role}) created with id {staff_id}")
    return 0


async def _add(settings: Settings, username: str, password: str, role: str, department: str | None) -> int:
    async with _transaction(settings) as session:
        if await store.staff_by_username(session, username) is not None:
            raise AccountExists(username)
        staff = await auth.add_staff(session, username, password, role, department)
        return staff.id


def _actor() -> str:
    return "cli"  # as `staff add` records it


def _migrated(settings: Settings) -> bool:
    return current_revision_sync(settings.database.url) == head_revision()


def list_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    rows = asyncio.run(_list(settings))
    print(f"{'username':<24}{'role':<12}{'department':<18}{'state':<10}sessions")
    for username, role, department, state, sessions in rows:
        print(f"{username:<24}{role:<12}{department or '—':<18}{state:<10}{sessions}")
    return 0


async def _list(settings: Settings) -> list[tuple[str, str, str | None, str, int]]:
    async with _transaction(settings) as session:
        accounts = await store.all_staff(session)
        sessions = await store.open_sessions(session, {a.id for a in accounts})
    now = utcnow()

    def state(account: StaffUser) -> str:
        if not account.active:
            return "inactive"
        return "locked" if account.locked_until and account.locked_until > now else "active"

    return [(a.username, a.role, a.department, state(a), sessions.get(a.id, 0)) for a in accounts]


def change_command(args: argparse.Namespace, settings: Settings) -> int:
    if not _migrated(settings):
        return _fail("the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    done = asyncio.run(_change(settings, args.username, args.change))
    if done is None:
        return _fail(f"there is no account named {args.username!r}")
    print(done)
    return 0


async def _change(settings: Settings, username: str, change: str) -> str | None:
    async with _transaction(settings) as session:
        staff = await store.staff_by_username(session, username, lock=True)
        if staff is None:
            return None
        before = "active" if staff.active else "inactive"
        ended = 0
        if change == "deactivate":
            staff.active = False
            ended = await store.end_sessions_of(session, staff.id)
        elif change == "reactivate":
            staff.active, staff.failed_logins, staff.locked_until = True, 0, None
        else:
            ended = await store.end_sessions_of(session, staff.id)
        after = "active" if staff.active else "inactive"
        await queries.audit(
            session, actor=_actor(), action=f"staff.{change.replace('-', '_')}", target_type="staff",
            target_id=str(staff.id), from_value=before, to_value=after, detail={"sessions_ended": ended},
        )  # fmt: skip
        return f"{username}: {change} done ({after}; {ended} sessions ended)"


def reset_command(args: argparse.Namespace, settings: Settings) -> int:
    password = _password(args)
    if (refused := _refuse_password(password, settings)) is not None:
        return refused
    assert password is not None
    done = asyncio.run(_reset(settings, args.username, password))
    if not done:
        return _fail(f"there is no account named {args.username!r}")
    print(f"{args.username}: new password set; unlocked; every session ended")
    return 0


async def _reset(settings: Settings, username: str, password: str) -> bool:
    hashed = await asyncio.to_thread(auth.hash_password, password)
    async with _transaction(settings) as session:
        staff = await store.staff_by_username(session, username, lock=True)
        if staff is None:
            return False
        staff.password_hash, staff.failed_logins, staff.locked_until = hashed, 0, None
        ended = await store.end_sessions_of(session, staff.id)
        await queries.audit(
            session, actor=_actor(), action="staff.reset_password", target_type="staff",
            target_id=str(staff.id), detail={"sessions_ended": ended},
        )  # fmt: skip
        return True
