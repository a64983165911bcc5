"""Retention (issue 15): `ventanilla retention run --dry-run` lists and changes nothing; a run does what it
listed: old message text and media blanked only past the cut-off and only without recent or open cases,
web chat visitors who filed nothing removed, the held kept; one audit event with counts and nothing
personal; a second run finds nothing."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import retention
from bot.cli import build_parser
from bot.retention import months_before
from bot.settings import Settings
from storage.models import AuditEvent, Case, Citizen, Message, Upload, WebchatKey, utcnow
from storage.stores import open_store
from tests.support.conversation import Citizen as Talker
from tests.support.dumps import dump as whole_dump
from tests.support.retention_town import MONTH, Town, age, build, dump, files

RULES = ("message text and media", "web chat visitors", "inactive citizens", "held by a supervisor")


async def command(settings: Settings, *argv: str) -> int:
    args: argparse.Namespace = build_parser().parse_args(list(argv))
    return int(await asyncio.to_thread(args.func, args, settings))


def listed(output: str) -> dict[str, set[int]]:
    """The citizen ids a dry run listed under each rule."""
    found: dict[str, set[int]] = {rule: set() for rule in RULES}
    rule = ""
    for line in output.splitlines():
        if not line.startswith(" "):
            rule = next((r for r in RULES if line.startswith(r)), "")
        elif match := re.fullmatch(r"  citizen (\d+): \d+ messages?", line):
            found[rule].add(int(match.group(1)))
    return found


@pytest.fixture
async def town(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> Town:
    return await build(citizen, sessions, settings, settings.media.dir)


async def messages_of(sessions: async_sessionmaker[AsyncSession], citizen_id: int) -> list[Message]:
    async with sessions() as session:
        query = select(Message).where(Message.citizen_id == citizen_id).order_by(Message.id)
        return list((await session.scalars(query)).all())


async def test_a_dry_run_lists_by_rule_and_changes_nothing(
    town: Town,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    before, media = await dump(sessions), files(settings.media.dir)
    assert await command(settings, "retention", "run", "--dry-run") == 0
    output = capsys.readouterr().out
    assert await dump(sessions) == before  # every row of every table, the audit trail included
    assert files(settings.media.dir) == media
    ids = town.ids
    assert listed(output) == {
        "message text and media": {ids["ana"]},
        "web chat visitors": {ids["dani"]},
        "inactive citizens": {ids["hugo"]},
        "held by a supervisor": {ids["gabi"]},
    }
    assert "dry run, nothing is changed" in output
    for word in town.personal:
        assert word.lower() not in output.lower()


async def test_a_run_does_what_the_dry_run_listed(
    town: Town,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = datetime.now(UTC).isoformat()
    ana = await messages_of(sessions, town.ids["ana"])
    assert await command(settings, "retention", "run", "--dry-run", "--now", now) == 0
    promised = listed(capsys.readouterr().out)
    before = await dump(sessions)
    assert await command(settings, "retention", "run", "--now", now) == 0
    said = capsys.readouterr().out
    after = await dump(sessions)

    # Messages as they were that are not so any more: whose were they? Citizens that are no more.
    changed = {row[1] for row in set(before["messages"]) - set(after["messages"])}  # citizen_id
    gone = {row[0] for row in before["citizens"]} - {row[0] for row in after["citizens"]}
    assert (
        changed
        == set().union(*(promised[r] for r in RULES[:3]))
        == {town.ids[w] for w in ("ana", "dani", "hugo")}
    )
    assert gone == promised["web chat visitors"] | promised["inactive citizens"]
    async with sessions() as session:
        new = (await session.scalars(select(Citizen).where(Citizen.id.not_in(before_ids(before))))).all()
    assert [c.erased_at is not None for c in new] == [True]  # Hugo's placeholder, and nobody else
    assert f"case: {len(ana)} messages of 1 citizen blanked" in said
    assert "silent since" in said and ": 1 removed with 8 messages" in said
    assert ": 1 anonymised" in said
    assert "2 files deleted from the media store" in said


def before_ids(before: dict[str, list[tuple[object, ...]]]) -> list[int]:
    return [int(str(row[0])) for row in before["citizens"]]


async def test_an_inactive_citizen_is_anonymised_and_a_held_one_kept(
    town: Town, settings: Settings, sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    assert await command(settings, "retention", "run") == 0
    whole = await whole_dump(database_url)
    assert "+525512345678" not in whole and "semaforo de insurgentes" not in whole  # Hugo
    assert "+5491155551234" in whole and "arbol caido" in whole  # Gabi, held
    async with sessions() as session:
        gabi = await session.get(Citizen, town.ids["gabi"])
        hugo = await session.get(Citizen, town.ids["hugo"])
    assert hugo is None
    assert gabi is not None and gabi.erasure_hold == "Juicio en curso por el arbol caido"


async def test_old_messages_lose_their_words_and_files_but_stay_counted(
    town: Town,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    ana_before = await messages_of(sessions, town.ids["ana"])
    assert await command(settings, "retention", "run") == 0
    ana = await messages_of(sessions, town.ids["ana"])
    assert len(ana) == len(ana_before) > 3  # her words, the bot's replies and the staff note, all kept
    assert [(m.text, m.attachments, m.raw, m.latitude) for m in ana] == [("", None, None, None)] * len(ana)
    # The photo only the chat held is gone; the photo the case shows stays with the case's description.
    assert not (settings.media.dir / town.files["only_chat"]).exists()
    assert (settings.media.dir / town.files["in_case"]).exists()
    async with sessions() as session:
        case = await session.scalar(select(Case).where(Case.citizen_id == town.ids["ana"]))
    assert case is not None and case.description == "hueco enorme frente a la panaderia"
    assert case.attachments and town.files["in_case"] in case.attachments[0]["url"]
    # An open case (Beto), a case closed 3 months ago (Carla), a held erasure (Gabi), recent messages:
    # their words stay.
    for who in ("beto", "carla", "gabi", "ines", "juan", "eva", "fede"):
        kept = await messages_of(sessions, town.ids[who])
        assert kept and any(m.text for m in kept if m.direction == "in"), who


async def test_a_web_chat_visitor_who_filed_nothing_goes_and_one_with_a_case_stays(
    town: Town, settings: Settings, sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    assert await command(settings, "retention", "run") == 0
    whole = (await whole_dump(database_url)).lower()
    assert "web-dani-9f8e7d6c5b" not in whole and "alcaldia" not in whole  # his id and words, anywhere
    async with sessions() as session:
        remaining = set((await session.scalars(select(Citizen.id))).all())
        keys = (await session.scalars(select(WebchatKey.sender))).all()
        uploads = (await session.scalars(select(Upload.name))).all()
    assert town.ids["dani"] not in remaining
    assert {
        town.ids[w] for w in ("eva", "fede", "carla", "juan")
    } <= remaining  # joined, filed, filed, recent
    assert "web-dani-9f8e7d6c5b" not in keys and town.files["dani_upload"] not in uploads
    assert not (settings.media.dir / town.files["dani_upload"]).exists()


async def test_the_audit_has_counts_and_settings_and_nothing_personal(
    town: Town, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert await command(settings, "retention", "run") == 0
    async with sessions() as session:
        events = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.run"))).all()
    assert len(events) == 1
    event = events[0]
    assert event.actor == "system" and event.detail is not None
    assert set(event.detail) == {"as_of", "settings", "counts"}
    assert event.detail["settings"] == {
        "message_months_after_close": 24,
        "webchat_unfiled_days": 30,
        "inactive_months": 60,
    }
    counts = event.detail["counts"]
    assert all(isinstance(v, int) for v in counts.values())
    assert counts["webchats_removed"] == 1 and counts["message_citizens"] == 1 and counts["held"] == 1
    assert counts["inactive_anonymised"] == 1
    assert counts["files_deleted"] == 2  # Ana's chat photo, Dani's upload
    async with sessions() as session:
        trail = (await session.scalars(select(AuditEvent))).all()  # the erasure's own event too
    written = json.dumps(
        [[e.detail, e.target_id, e.target_type, e.from_value, e.to_value, e.actor] for e in trail]
    )
    for word in town.personal:
        assert word.lower() not in written.lower()


async def test_a_second_run_finds_nothing(
    town: Town,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await command(settings, "retention", "run") == 0
    capsys.readouterr()
    before = await dump(sessions)
    assert await command(settings, "retention", "run", "--dry-run") == 0
    assert listed(capsys.readouterr().out) == {
        "message text and media": set(),
        "web chat visitors": set(),
        "inactive citizens": set(),
        "held by a supervisor": {town.ids["gabi"]},
    }
    assert await command(settings, "retention", "run") == 0
    after = await dump(sessions)
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


async def test_a_later_now_reaches_what_is_not_due_yet(
    town: Town,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Carla's case closed 3 months ago protects her 28-month-old messages until it is 24 months closed."""
    soon = datetime.now(UTC).replace(microsecond=0)
    later = soon.replace(year=soon.year + 2)  # her case is now closed 27 months
    assert await command(settings, "retention", "run", "--dry-run", "--now", soon.isoformat()) == 0
    assert town.ids["carla"] not in listed(capsys.readouterr().out)["message text and media"]
    assert await command(settings, "retention", "run", "--dry-run", "--now", later.isoformat()) == 0
    assert town.ids["carla"] in listed(capsys.readouterr().out)["message text and media"]


@pytest.mark.parametrize(("days", "reached"), [(700, False), (740, True)])
async def test_the_cut_off_is_the_message_age_for_a_citizen_without_cases(
    town: Town, settings: Settings, capsys: pytest.CaptureFixture[str], days: int, reached: bool
) -> None:
    """Ines wrote ten days ago and filed nothing: her words go once they are 24 months old, not before."""
    then = (datetime.now(UTC) + timedelta(days=days)).isoformat()
    assert await command(settings, "retention", "run", "--dry-run", "--now", then) == 0
    assert (town.ids["ines"] in listed(capsys.readouterr().out)["message text and media"]) is reached


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 12, 6, 3, 0, tzinfo=UTC), 24, datetime(2024, 12, 6, 3, 0, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), 25, datetime(2024, 2, 29, tzinfo=UTC)),  # a leap year
        (datetime(2026, 1, 15, tzinfo=UTC), 60, datetime(2021, 1, 15, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(moment: datetime, months: int, expected: datetime) -> None:
    assert months_before(moment, months) == expected


async def test_small_batches_do_the_same_as_one(
    town: Town,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two citizens and two messages per transaction: every batch boundary is crossed, nothing is missed."""
    monkeypatch.setattr(retention, "BATCH", 2)
    ana = await messages_of(sessions, town.ids["ana"])
    async with open_store(settings) as store:
        planned, done = await retention.run(sessions, settings, store, utcnow())
    assert done is not None
    listed = {x.citizen_id for x in (*planned.messages, *planned.webchats, *planned.inactive)}
    assert done.citizens == listed == {town.ids[w] for w in ("ana", "dani", "hugo")}
    assert (done.messages_blanked, done.message_citizens) == (len(ana), 1)
    assert (done.webchats_removed, done.inactive_anonymised, done.held) == (1, 1, 1)
    assert all(m.text == "" for m in await messages_of(sessions, town.ids["ana"]))


async def test_a_report_left_half_way_goes_with_the_old_messages(
    citizen: Callable[..., Talker],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
) -> None:
    """Lima, SMS: the description and the place of a report abandoned at the photo question lived in the
    conversation's dialogue state; two years later they go with the messages."""
    rosa = citizen("+51987654321", "sms")
    await rosa.says("hay un hueco enorme en la avenida arequipa 1200, ya van 3 accidentes")
    assert "foto" in rosa.text.lower()
    async with sessions() as session:
        identity = await session.scalar(select(Citizen.id))
    assert identity is not None
    await age(sessions, identity, 25 * MONTH)
    assert "arequipa" in await whole_dump(database_url)
    assert await command(settings, "retention", "run") == 0
    assert "arequipa" not in (await whole_dump(database_url)).lower()
    await rosa.says("hola")  # she comes back: no report is waiting for its photo, no notice again
    assert "foto" not in rosa.text.lower() and "aviso de privacidad" not in rosa.text.lower()
