"""`ventanilla staff add|list|deactivate|reactivate|reset-password|revoke-sessions|set-role|set-departments`:
inbox accounts from the command line, through the same functions as the admin page (actor `cli`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from bot.settings import Settings
from inbox import accounts, auth
from storage import staff as store
from storage.engine import AsyncSession, IntegrityError, create_engine, session_factory
from storage.migrate import current_revision_sync, head_revision
from storage.models import utcnow

EXIT_FAILED = 1
EXIT_USAGE = 2
SUBCOMMANDS = "{add,list,deactivate,reactivate,reset-password,revoke-sessions,set-role,set-departments}"
# What a refusal (accounts.Refused.notice) says here, with its detail; usage mistakes exit 2, the rest 1.
MESSAGES = {
    "bad_username": ("the username takes 2-80 letters, digits and . _ @ -", EXIT_USAGE),
    "bad_role": ("unknown role {detail!r}", EXIT_USAGE),
    "unknown_department": ("unknown department {detail} (known: {known})", EXIT_USAGE),
    "password_short": (f"the password needs at least {auth.MIN_PASSWORD} characters", EXIT_USAGE),
    "username_taken": ("there is already an account named {detail!r}", EXIT_FAILED),
    "no_such_account": ("there is no account named {detail!r}", EXIT_FAILED),
    "already_there": ("nothing to change for {detail!r}", EXIT_FAILED),
    "last_admin": ("{detail!r} is the last active admin: make another admin first", EXIT_FAILED),
}


@contextlib.asynccontextmanager
async def _transaction(settings: Settings) -> AsyncIterator[AsyncSession]:
    """One transaction on the configured database, for one command."""
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


def add_staff_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `staff` and its sub-commands on the application's top-level sub-parsers."""
    staff = subparsers.add_parser("staff", help="staff inbox accounts")
    commands = staff.add_subparsers(dest="staff_command", required=True, metavar=SUBCOMMANDS)
    add = commands.add_parser("add", help="create an account (the password is asked for)")
    add.add_argument("username")
    add.add_argument("--role", choices=auth.ROLES, required=True)
    add.add_argument("--department", help="the department the person works in (see config.yml)")
    add.add_argument(
        "--departments",
        default="",
        help="comma-separated departments the account is limited to seeing (default: every department)",
    )
    _password_option(add)
    add.set_defaults(func=add_command)
    listing = commands.add_parser("list", help="every account: role, departments, state, open sessions")
    listing.set_defaults(func=list_command)
    for name, helps in (
        ("deactivate", "the account can no longer log in; its sessions end now"),
        ("reactivate", "the account can log in again (and is unlocked)"),
        ("revoke-sessions", "end every session of the account (log it out everywhere)"),
    ):
        command = commands.add_parser(name, help=helps)
        command.add_argument("username")
        command.set_defaults(func=change_command, change=name)
    reset = commands.add_parser("reset-password", help="a new password; unlocks and ends every session")
    reset.add_argument("username")
    _password_option(reset)
    reset.set_defaults(func=reset_command)
    role = commands.add_parser("set-role", help="make the account an agent, a supervisor or an admin")
    role.add_argument("username")
    role.add_argument("role", choices=auth.ROLES)
    role.set_defaults(func=role_command)
    limit = commands.add_parser("set-departments", help="limit what the account sees to some departments")
    limit.add_argument("username")
    limit.add_argument("departments", nargs="*", help="department codes (config.yml)")
    limit.add_argument("--all", action="store_true", help="every department: no limit")
    limit.set_defaults(func=departments_command)


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of stdin"
    )


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"ventanilla staff: {message}", file=sys.stderr)
    return code


def _refused(refused: accounts.Refused, settings: Settings) -> int:
    message, code = MESSAGES.get(refused.notice, (refused.notice, EXIT_FAILED))
    known = ", ".join(settings.departments)
    return _fail(message.format(detail=refused.detail, known=known), code)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != first:
        return None
    return first


def _new_password(args: argparse.Namespace, settings: Settings) -> accounts.NewPassword | int:
    """The password asked for, checked and hashed; or the exit code when it (or the database) will not do."""
    password = _password(args)
    if password is None:
        return _fail("the passwords do not match", EXIT_USAGE)
    try:
        new = asyncio.run(accounts.new_password(password))
    except accounts.Refused as refused:
        return _refused(refused, settings)
    if (code := _refuse_unmigrated(settings)) is not None:
        return code
    return new


def _refuse_unmigrated(settings: Settings) -> int | None:
    if current_revision_sync(settings.database.url) != head_revision():
        return _fail("the database is not migrated: run `ventanilla db upgrade`", EXIT_USAGE)
    return None


def _run(settings: Settings, change: Callable[[AsyncSession], Awaitable[str]]) -> int:
    """Run one change in one transaction; print what it did, or why it was refused."""

    async def run() -> str:
        async with _transaction(settings) as session:
            return await change(session)

    try:
        print(asyncio.run(run()))
    except accounts.Refused as refused:
        return _refused(refused, settings)
    return 0


def add_command(args: argparse.Namespace, settings: Settings) -> int:
    if not accounts.USERNAME.fullmatch(args.username):
        return _refused(accounts.Refused("bad_username"), settings)
    if args.department is not None and args.department not in settings.departments:
        return _refused(accounts.Refused("unknown_department", args.department), settings)
    try:  # before the password is asked for
        departments = accounts.departments_of(args.departments.split(","), settings.departments) or []
    except accounts.Refused as refused:
        return _refused(refused, settings)
    new = _new_password(args, settings)
    if isinstance(new, int):
        return new

    async def add(session: AsyncSession) -> str:
        account = await accounts.add(
            session, accounts.CLI, username=args.username, password=new, role=args.role,
            known=settings.departments, department=args.department, departments=departments,
        )  # fmt: skip
        return f"staff account {args.username!r} ({args.role}) created with id {account.id}"

    try:
        return _run(settings, add)
    except IntegrityError:  # the same name, added at the same moment elsewhere
        return _refused(accounts.Refused("username_taken", args.username), settings)


def list_command(args: argparse.Namespace, settings: Settings) -> int:
    if (code := _refuse_unmigrated(settings)) is not None:
        return code
    print(f"{'username':<24}{'role':<12}{'department':<18}{'sees':<28}{'state':<10}sessions")
    for username, role, department, sees, state, sessions in asyncio.run(_list(settings)):
        print(f"{username:<24}{role:<12}{department or '—':<18}{sees:<28}{state:<10}{sessions}")
    return 0


async def _list(settings: Settings) -> list[tuple[str, str, str | None, str, str, int]]:
    async with _transaction(settings) as session:
        everyone = await store.all_staff(session)
        activity = await store.session_activity(session, {a.id for a in everyone})
    now = utcnow()
    return [
        (a.username, a.role, a.department, accounts.departments_label(a.departments),
         accounts.state(a, now), activity[a.id].sessions if a.id in activity else 0)
        for a in everyone
    ]  # fmt: skip


def _summary(done: accounts.Done, what: str) -> str:
    return f"{done.username}: {what} done ({done.after}; {done.sessions_ended} sessions ended)"


def change_command(args: argparse.Namespace, settings: Settings) -> int:
    if (code := _refuse_unmigrated(settings)) is not None:
        return code
    change = {
        "deactivate": accounts.deactivate,
        "reactivate": accounts.reactivate,
        "revoke-sessions": accounts.revoke_sessions,
    }[args.change]

    async def run(session: AsyncSession) -> str:
        return _summary(await change(session, accounts.CLI, args.username), args.change)

    return _run(settings, run)


def reset_command(args: argparse.Namespace, settings: Settings) -> int:
    new = _new_password(args, settings)
    if isinstance(new, int):
        return new

    async def run(session: AsyncSession) -> str:
        await accounts.reset_password(session, accounts.CLI, args.username, new)
        return f"{args.username}: new password set; unlocked; every session ended"

    return _run(settings, run)


def role_command(args: argparse.Namespace, settings: Settings) -> int:
    if (code := _refuse_unmigrated(settings)) is not None:
        return code

    async def run(session: AsyncSession) -> str:
        done = await accounts.set_role(session, accounts.CLI, args.username, args.role)
        return f"{done.username}: role {done.before} → {done.after}"

    return _run(settings, run)


def departments_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.all == bool(args.departments):  # no names widening the account by mistake, nor both
        return _fail("name the departments, or --all for every department", EXIT_USAGE)
    if (code := _refuse_unmigrated(settings)) is not None:
        return code
    chosen = [] if args.all else args.departments

    async def run(session: AsyncSession) -> str:
        done = await accounts.set_departments(
            session, accounts.CLI, args.username, chosen, settings.departments
        )
        return f"{done.username}: sees {done.before} → {done.after}"

    return _run(settings, run)
