"""The open data job and command: one worker writes the day however many claim it, old days go after
`keep_days`, `opendata export --now` writes at once, and an erased citizen's published words leave
every kept day, at the next export and, sooner, at the job's next hourly wake."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import opendata
from bot.cli import build_parser
from bot.erasure import erase_citizen
from bot.opendata_job import DailyOpenData, due
from bot.settings import Settings
from storage import cases as case_rows
from storage.engine import create_engine, session_factory
from tests.support.opendata_town import Sessions, export, seed, settings_for

# 02:30 in Bogotá (UTC-5), the city of config.yml: early morning, when the export is due.
MORNING = datetime(2026, 12, 6, 7, 30, tzinfo=UTC)
WORDS = "hay un hueco enorme"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path, **{"opendata.keep_days": 3})


def published(settings: Settings, day: str) -> str:
    folder = opendata.root(settings) / day
    return "".join(
        (folder / name).read_text(encoding="utf-8") for name in ("casos.csv", "casos.json", "casos.geojson")
    )


async def test_workers_waking_at_once_write_the_day_exactly_once(
    settings: Settings, sessions: Sessions
) -> None:
    await seed(sessions, settings, MORNING - timedelta(days=2))
    engines = [create_engine(settings.database.url) for _ in range(3)]
    try:
        jobs = [DailyOpenData(settings, session_factory(e)) for e in engines]
        for day in range(2):
            now = MORNING + timedelta(days=day)
            done = await asyncio.gather(*(job.once(now) for job in jobs))
            assert len([d for d in done if d is not None]) == 1, day
        assert [await job.once(MORNING + timedelta(days=1, hours=1)) for job in jobs] == [None] * 3
    finally:
        for engine in engines:
            await engine.dispose()
    assert opendata.days(opendata.root(settings)) == ["2026-12-07", "2026-12-06"]


def test_the_export_waits_for_the_citys_early_morning(settings: Settings) -> None:
    assert due(settings, MORNING + timedelta(hours=9), None)  # never ran: at once
    assert not due(settings, MORNING + timedelta(hours=12), MORNING)  # 14:30, the same day
    assert due(settings, MORNING + timedelta(hours=23, minutes=30), MORNING)  # 02:00 the next day
    assert not due(settings, MORNING + timedelta(hours=36), MORNING)  # 14:30 the next day
    assert due(settings, MORNING + timedelta(hours=48), MORNING)  # missed a morning: at once


async def test_days_older_than_keep_days_are_removed_and_nothing_else(
    settings: Settings, sessions: Sessions, tmp_path: Path
) -> None:
    await seed(sessions, settings, MORNING - timedelta(days=10))
    data = opendata.root(settings)
    data.mkdir(parents=True)
    (data / "LEEME.txt").write_text("the city's own note")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (data / "2020-01-01").symlink_to(elsewhere)
    for day in range(5):
        await export(sessions, settings, MORNING + timedelta(days=day))
    assert opendata.days(data) == ["2026-12-10", "2026-12-09", "2026-12-08"]
    assert (data / "LEEME.txt").exists() and elsewhere.is_dir()  # not ours: left alone


async def test_export_command_writes_today_at_once(
    settings: Settings, sessions: Sessions, capsys: pytest.CaptureFixture[str]
) -> None:
    await seed(sessions, settings, MORNING - timedelta(days=1))
    args: argparse.Namespace = build_parser().parse_args(
        ["opendata", "export", "--now", "2026-12-06T18:00:00-05:00"]
    )
    assert await asyncio.to_thread(args.func, args, settings) == 0
    assert "9 cases written to" in capsys.readouterr().out
    meta = json.loads((opendata.root(settings) / "2026-12-06" / "metadata.json").read_text())
    assert (meta["day"], meta["generated_at"], meta["cases"]) == (
        "2026-12-06",
        "2026-12-06T23:00:00+00:00",
        9,
    )
    later = build_parser().parse_args(["opendata", "export", "--now", "2026-12-05T01:00:00-05:00"])
    assert await asyncio.to_thread(later.func, later, settings) == 0
    assert "0 cases written" in capsys.readouterr().out  # up to the moment asked: nothing was filed yet


async def erase(sessions: Sessions, settings: Settings, citizen_id: int) -> None:
    async with sessions() as session, session.begin():
        await erase_citizen(session, settings, citizen_id, by="citizen", actor="citizen")


async def test_an_erased_citizens_words_leave_every_kept_day_at_the_next_export(
    settings: Settings, sessions: Sessions
) -> None:
    cases = await seed(sessions, settings, MORNING - timedelta(days=3))
    ana = cases["Ana Gómez Restrepo"]
    for n in range(2):
        await export(sessions, settings, MORNING + timedelta(days=n))
    assert WORDS in published(settings, "2026-12-06") and WORDS in published(settings, "2026-12-07")
    assert ana.citizen_id is not None
    await erase(sessions, settings, ana.citizen_id)
    done = await export(sessions, settings, MORNING + timedelta(days=2))
    assert done.rewritten == ("2026-12-07", "2026-12-06")
    rows = []
    for day in opendata.days(opendata.root(settings)):
        text = published(settings, day)
        assert WORDS not in text and "Soy […]" not in text and ana.code in text, day  # the case stays
        found = json.loads((opendata.root(settings) / day / "casos.json").read_text(encoding="utf-8"))
        [row] = [r for r in found if r["service_request_id"] == ana.code]
        rows.append({k: v for k, v in row.items() if k not in ("description", "updated_datetime")})
    assert len(rows) == 3 and rows[0] == rows[1] == rows[2]  # same point, area, service, dates after erasure


async def test_the_hourly_wake_takes_an_erased_citizens_words_back_without_waiting_a_day(
    settings: Settings, sessions: Sessions
) -> None:
    cases = await seed(sessions, settings, MORNING - timedelta(days=3))
    job = DailyOpenData(settings, sessions)
    assert await job.once(MORNING) is not None
    diego = cases["Diego Fernández Soto"]
    assert "basura acumulada" in published(settings, "2026-12-06")
    assert diego.citizen_id is not None
    await erase(sessions, settings, diego.citizen_id)
    assert await job.once(MORNING + timedelta(hours=1)) is None  # not due again today: only the take-back
    text = published(settings, "2026-12-06")
    assert "basura acumulada" not in text and diego.code in text
    assert WORDS in text  # the others' consented words stay


async def test_the_hourly_wake_takes_back_a_citizens_no_and_staffs_no_though_the_cases_did_not_move(
    settings: Settings, sessions: Sessions
) -> None:
    cases = await seed(sessions, settings, MORNING - timedelta(days=3))
    job = DailyOpenData(settings, sessions)
    await export(sessions, settings, MORNING - timedelta(days=1))
    assert await job.once(MORNING) is not None
    ana, diego = cases["Ana Gómez Restrepo"], cases["Diego Fernández Soto"]
    assert ana.citizen_id is not None
    async with sessions() as session, session.begin():
        await case_rows.withdraw_publish_consent(session, ana.citizen_id)  # "no publiquen nada mío"
        found = await case_rows.case_by_code(session, diego.code)
        assert found is not None
        found.description_public = False  # staff: do not publish
    assert await job.once(MORNING + timedelta(hours=1)) is None
    for day in ("2026-12-05", "2026-12-06"):
        text = published(settings, day)
        assert WORDS not in text and "basura acumulada" not in text, day
        assert ana.code in text and diego.code in text
