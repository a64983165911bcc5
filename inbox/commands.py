"""The `ventanilla staff add` command: create an inbox account."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import re
import sys
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.settings import Settings
from inbox import auth
from storage import staff as store
from storage.engine import create_engine, session_factory
from storage.migrate import current_revision_sync, head_revision

USERNAME = re.compile(r"[A-Za-z0-9._@-]{2,80}")
EXIT_FAILED = 1
EXIT_USAGE = 2


class AccountExists(Exception):
    """The username is taken."""


def add_staff_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `staff` and its sub-commands on the application's top-level sub-parsers."""
    staff = subparsers.add_parser("staff", help="staff inbox accounts")
    commands = staff.add_subparsers(dest="staff_command", required=True, metavar="{add}")
    add = commands.add_parser("add", help="create an account (the password is asked for)")
    add.add_argument("username")
    add.add_argument("--role", choices=auth.ROLES, required=True)
    add.add_argument("--department", help="the department the person works in (see config.yml)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of stdin"
    )
    add.set_defaults(func=add_command)


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


def add_command(args: argparse.Namespace, settings: Settings) -> int:
    if not USERNAME.fullmatch(args.username):
        return _fail("the username takes 2-80 letters, digits and . _ @ -", EXIT_USAGE)
    if args.department is not None and args.department not in settings.departments:
        known = ", ".join(sorted(settings.departments))
        return _fail(f"unknown department {args.department!r} (known: {known})", EXIT_USAGE)
    password = _password(args)
    if password is None:
        return _fail("the passwords do not match", EXIT_USAGE)
    if len(password) < auth.MIN_PASSWORD:
        return _fail(f"the password needs at least {auth.MIN_PASSWORD} characters", EXIT_USAGE)
    if current_revision_sync(settings.database.url) != head_revision():
        return _fail("the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    try:
        staff_id = asyncio.run(_add(settings, args.username, password, args.role, args.department))
    except (AccountExists, IntegrityError):
        return _fail(f"there is already an account named {args.username!r}")
    print(f"staff account {args.username!r} ({args.role}) created with id {staff_id}")
    return 0


async def _add(settings: Settings, username: str, password: str, role: str, department: str | None) -> int:
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            if await store.staff_by_username(session, username) is not None:
                raise AccountExists(username)
            staff = await auth.add_staff(session, username, password, role, department)
            return staff.id
    finally:
        await engine.dispose()
