"""bot/case_status.py on its own: the transition table, closing times, and citizens who cannot be told."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import case_status
from bot.settings import Settings
from inbox.i18n import STATUS_LABELS
from storage import cases
from storage import staff as store
from storage.models import CaseStatus, Citizen, Message, OutboxItem


def test_every_status_has_its_way_out_and_closed_is_final() -> None:
    assert set(case_status.TRANSITIONS) == {s.value for s in CaseStatus}
    assert case_status.TRANSITIONS[CaseStatus.CLOSED] == ()
    for status, targets in case_status.TRANSITIONS.items():
        assert status not in targets and set(targets) <= set(case_status.TRANSITIONS)


async def test_closing_times_and_citizens_without_a_channel(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session, session.begin():
        ana = await store.add_staff(session, username="ana", password_hash="x", role="agent", department=None)
        staff = case_status.Staff(ana.id, ana.username)
        noise = {"service_code": "noise", "department": "environment", "channel": "open311", "status": "open"}
        anonymous = await cases.add_case(session, description="fiesta", **noise)
        change = await case_status.change_status(session, settings, anonymous, "resolved", staff=staff)
        assert change.notice is None and anonymous.closed_at is not None
        await case_status.change_status(session, settings, anonymous, "in_progress", staff=staff)
        assert anonymous.closed_at is None
        silent = Citizen(language="en")
        session.add(silent)
        await session.flush()
        case = await cases.add_case(session, description="party", citizen_id=silent.id, **noise)
        change = await case_status.change_status(
            session, settings, case, "rejected", staff=staff, note="private"
        )
        assert change.notice is None  # no conversation, no channel: nobody to tell
        with pytest.raises(case_status.TransitionRefused):
            await case_status.change_status(session, settings, case, "closed", staff=staff)
        with pytest.raises(case_status.TransitionRefused):
            await case_status.reassign(session, settings, case, "nowhere", staff=staff, note=None)
    async with sessions() as session:
        assert (await session.scalars(select(Message))).all() == []
        assert (await session.scalars(select(OutboxItem))).all() == []


def test_every_status_has_a_name_and_a_colour_of_its_own_on_the_staff_pages() -> None:
    # A status without them showed as a black bar and an unlabelled badge on the dashboard ("reopened").
    css = (Path(__file__).resolve().parents[2] / "inbox" / "static" / "inbox.css").read_text()
    colours = {}
    for status in CaseStatus:
        assert status.value in STATUS_LABELS, status
        assert f".st-{status.value} {{ fill: var(--s-{status.value}); }}" in css, status
        assert f".swatch.st-{status.value} {{ background: var(--s-{status.value}); }}" in css, status
        match = re.search(rf"--s-{status.value}: (#[0-9a-f]{{6}});", css)
        assert match is not None, status
        colours[status.value] = match.group(1)
    assert len(set(colours.values())) == len(colours), colours
