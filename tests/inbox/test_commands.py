"""`ventanilla staff add`: accounts from the command line, checked before anything is stored."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from collections.abc import Awaitable, Callable, Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from inbox.commands import add_staff_commands
from storage.models import AuditEvent, StaffUser
from tests.inbox.conftest import Staff

PASSWORD = "una clave bien larga"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ventanilla")
    add_staff_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["staff", *argv])


async def run(settings: Settings, *argv: str) -> int:
    args = parse(*argv)
    return int(await asyncio.to_thread(args.func, args, settings))  # it runs its own event loop


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    return lambda text: monkeypatch.setattr(sys, "stdin", io.StringIO(text))


async def test_add_with_password_on_stdin_then_log_in(
    settings: Settings,
    stdin: Callable[[str], None],
    sessions: async_sessionmaker[AsyncSession],
    browser: Callable[[], Staff],
    capsys: pytest.CaptureFixture[str],
) -> None:
    stdin(PASSWORD + "\n")
    code = await run(settings, "add", "lucia", "--role", "supervisor", "--department", "sanitation",
                     "--password-stdin")  # fmt: skip
    assert code == 0 and "lucia" in capsys.readouterr().out
    async with sessions() as session:
        staff = await session.scalar(select(StaffUser))
        audit = await session.scalar(select(AuditEvent))
    assert staff is not None and (staff.username, staff.role, staff.department) == (
        "lucia",
        "supervisor",
        "sanitation",
    )
    assert staff.password_hash.startswith("$argon2id$") and PASSWORD not in staff.password_hash
    assert audit is not None and audit.action == "staff.add" and audit.actor == "cli"
    lucia = browser()
    assert (await lucia.log_in("lucia", PASSWORD)).status == 303
    assert (await lucia.get("/inbox/dashboard")).status == 200


async def test_password_is_prompted_twice(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, sessions: async_sessionmaker[AsyncSession]
) -> None:
    answers: Iterator[str] = iter([PASSWORD, PASSWORD + "x", PASSWORD, PASSWORD])
    monkeypatch.setattr("inbox.commands.getpass.getpass", lambda prompt="": next(answers))
    assert await run(settings, "add", "ana", "--role", "agent") == 2  # the two do not match
    assert await run(settings, "add", "ana", "--role", "agent") == 0
    async with sessions() as session:
        assert (await session.scalars(select(StaffUser.username))).all() == ["ana"]


@pytest.mark.parametrize(
    ("argv", "password", "message"),
    [
        (("add", "a b", "--role", "agent"), PASSWORD, "username"),
        (("add", "ana", "--role", "agent", "--department", "nowhere"), PASSWORD, "unknown department"),
        (("add", "ana", "--role", "agent"), "short", "at least 10"),
    ],
)
async def test_bad_input_is_refused(
    settings: Settings,
    stdin: Callable[[str], None],
    capsys: pytest.CaptureFixture[str],
    sessions: async_sessionmaker[AsyncSession],
    argv: tuple[str, ...],
    password: str,
    message: str,
) -> None:
    stdin(password + "\n")
    assert await run(settings, *argv, "--password-stdin") == 2
    assert message in capsys.readouterr().err
    async with sessions() as session:
        assert await session.scalar(select(StaffUser)) is None


async def test_a_taken_username_and_an_unknown_role(
    settings: Settings, stdin: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(PASSWORD + "\n")
    assert await run(settings, "add", "ana", "--role", "agent", "--password-stdin") == 0
    stdin(PASSWORD + "\n")
    assert await run(settings, "add", "ana", "--role", "admin", "--password-stdin") == 1
    assert "already an account" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse("add", "bea", "--role", "boss")


async def logged_out(staff: Staff) -> bool:
    response = await staff.get("/inbox/queue")
    return response.status in (302, 303) and "/inbox/login" in response.headers.get("Location", "")


async def test_deactivate_ends_sessions_and_logins_reactivate_restores(
    settings: Settings,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    await add_staff("mario")
    mario = browser()
    assert (await mario.log_in("mario")).status == 303
    assert await run(settings, "deactivate", "mario") == 0
    assert "1 sessions ended" in capsys.readouterr().out
    assert await logged_out(mario)  # his open session is gone
    assert (await browser().log_in("mario")).status == 200  # and he cannot log in again
    assert await run(settings, "list") == 0
    listed = capsys.readouterr().out
    assert "mario" in listed and "inactive" in listed
    assert await run(settings, "reactivate", "mario") == 0
    assert (await browser().log_in("mario")).status == 303
    async with sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()
    assert "staff.deactivate" in actions and "staff.reactivate" in actions


async def test_reset_password_unlocks_and_logs_out_everywhere(
    settings: Settings,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    stdin: Callable[[str], None],
) -> None:
    await add_staff("nora")
    nora = browser()
    assert (await nora.log_in("nora")).status == 303
    for _ in range(5):
        await browser().log_in("nora", "wrong guess")  # locked out now
    stdin(PASSWORD + "\n")
    assert await run(settings, "reset-password", "nora", "--password-stdin") == 0
    assert await logged_out(nora)
    assert (await browser().log_in("nora", PASSWORD)).status == 303  # the new one, unlocked


async def test_revoke_sessions_and_unknown_accounts(
    settings: Settings, add_staff: Callable[..., Awaitable[int]], browser: Callable[[], Staff]
) -> None:
    await add_staff("olga")
    olga = browser()
    assert (await olga.log_in("olga")).status == 303
    assert await run(settings, "revoke-sessions", "olga") == 0
    assert await logged_out(olga)
    assert await run(settings, "deactivate", "nobody") == 1


async def test_departments_and_roles_from_the_command_line(
    settings: Settings,
    stdin: Callable[[str], None],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    stdin(PASSWORD + "\n")
    assert await run(settings, "add", "pia", "--role", "agent", "--departments", "water_utility,sanitation",
                     "--password-stdin") == 0  # fmt: skip
    assert await run(settings, "set-departments", "pia", "nowhere") == 2  # a typo never widens a limit
    assert "unknown department nowhere" in capsys.readouterr().err
    assert await run(settings, "set-departments", "pia") == 2  # nothing named: not "every department"
    assert await run(settings, "list") == 0
    assert "sanitation,water_utility" in capsys.readouterr().out  # config.yml's order
    assert await run(settings, "set-departments", "pia", "--all") == 0
    assert await run(settings, "set-role", "pia", "supervisor") == 0
    assert await run(settings, "set-role", "pia", "supervisor") == 1  # nothing to change
    async with sessions() as session:
        pia = await session.scalar(select(StaffUser))
        audit = (await session.scalars(select(AuditEvent).order_by(AuditEvent.id))).all()
    assert pia is not None and (pia.role, pia.departments) == ("supervisor", None)
    assert [(a.actor, a.action, a.from_value, a.to_value) for a in audit] == [
        ("cli", "staff.add", None, "pia (agent)"),
        ("cli", "staff.departments", "sanitation,water_utility", "all"),
        ("cli", "staff.role", "agent", "supervisor"),
    ]
    assert audit[0].detail == {"departments": ["sanitation", "water_utility"]}


async def test_the_last_active_admin_stays(
    settings: Settings,
    add_staff: Callable[..., Awaitable[int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    await add_staff("root", "admin")
    assert await run(settings, "deactivate", "root") == 1
    assert await run(settings, "set-role", "root", "supervisor") == 1
    assert "last active admin" in capsys.readouterr().err
    await add_staff("second", "admin")
    assert await run(settings, "set-role", "root", "supervisor") == 0  # another admin remains
    assert await run(settings, "deactivate", "second") == 1
