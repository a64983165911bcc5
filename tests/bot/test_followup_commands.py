"""`ventanilla cases set-status` acts as the staff member would in the inbox; `followups send-due --now`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import build_parser
from bot.settings import Settings
from storage.models import AuditEvent, FollowUp, Message, StaffUser
from tests.support.conversation import Citizen
from tests.support.followups import case_of, days_later, the_case


async def command(settings: Settings, *argv: str) -> int:
    args: argparse.Namespace = build_parser().parse_args(list(argv))
    return int(await asyncio.to_thread(args.func, args, settings))


async def staff(
    sessions: async_sessionmaker[AsyncSession], username: str, departments: list[str] | None
) -> None:
    async with sessions() as session, session.begin():
        session.add(StaffUser(username=username, password_hash="-", role="agent", departments=departments))


@pytest.fixture
async def code(
    citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> str:
    ana = citizen()
    await ana.says("hola")
    await staff(sessions, "lucia", ["public_works"])
    await staff(sessions, "pedro", ["sanitation"])
    return await case_of(ana, sessions, settings)


async def test_set_status_is_the_inbox_change_audited_told_and_followed_up(
    code: str,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        await command(
            settings, "cases", "set-status", code, "resolved", "--staff", "lucia", "--note", "listo"
        )
        == 0
    )
    assert f"{code}: open → resolved by lucia; 1 told (its citizen and supporters)" in capsys.readouterr().out
    assert (await the_case(sessions, code)).status == "resolved"
    async with sessions() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "case.status"))
        told = await session.scalar(select(Message).where(Message.text.contains(code)))
        followup = await session.scalar(select(FollowUp))
    assert audit is not None and (audit.actor, audit.to_value, audit.detail) == (
        "lucia",
        "resolved",
        {"note": "listo"},
    )
    assert told is not None and "resuelto" in told.text
    assert followup is not None and followup.status == "scheduled"


async def test_set_status_refuses_what_the_inbox_would(
    code: str,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await command(settings, "cases", "set-status", code, "resolved", "--staff", "nadie") == 1
    assert "no active account named 'nadie'" in capsys.readouterr().err
    assert await command(settings, "cases", "set-status", code, "resolved", "--staff", "pedro") == 1
    assert f"no case {code} that pedro can see" in capsys.readouterr().err  # another department's
    assert await command(settings, "cases", "set-status", code, "closed", "--staff", "lucia") == 1
    assert (
        "cannot go from open to closed (can: acknowledged, in_progress, resolved" in capsys.readouterr().err
    )
    assert (await the_case(sessions, code)).status == "open"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["followups", "send-due", "--now", "mañana"])


async def test_send_due_as_if_it_were_later(
    code: str, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await command(settings, "cases", "set-status", code, "resolved", "--staff", "lucia") == 0
    assert await command(settings, "followups", "send-due") == 0
    assert "follow-ups: 0 sent" in capsys.readouterr().out
    assert await command(settings, "followups", "send-due", "--now", days_later(3.1).isoformat()) == 0
    assert "follow-ups: 1 sent, 0 waiting, 0 not sent" in capsys.readouterr().out
