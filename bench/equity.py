"""The equity figures and transparency's areas on SQLite with 100,000 cases: one command, figures printed.

Run: .venv/bin/python bench/equity.py [--cases N]
It migrates a throw-away SQLite file, seeds cases (a third with a point, a third with an address naming a
neighbourhood, a third with neither), staff status changes, resolutions and staff messages with recursive
CTEs, then times: transparency's case counts the old way (areas as boxes in one SQL CASE) and the new way
(each distinct place read and given its area by `Settings.area_code`), the whole transparency count for
12 months, and the equity page's figures for 365 days.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import and_, func, select, text  # noqa: E402
from sqlalchemy import case as when_then  # noqa: E402

from bot.settings_loading import load_settings  # noqa: E402
from connectors.public.transparency_figures import count, month_starts  # noqa: E402
from inbox.equity import equity, period_of  # noqa: E402
from storage import transparency  # noqa: E402
from storage.engine import AsyncSession, create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Case, utcnow  # noqa: E402


def seed(cases: int) -> list[str]:
    series = f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {cases})"
    return [
        f"""{series} INSERT INTO citizens (id, display_name, language, created_at, plain_language)
            SELECT i, 'Vecina ' || i, 'es', datetime('now'), 0 FROM n""",
        f"""{series} INSERT INTO cases (id, code, citizen_id, service_code, description, address, latitude,
                longitude, status, priority, department, channel, language, created_at, updated_at,
                reopened_count)
            SELECT i, 'B' || i, i, 'garbage', 'x',
                   CASE i % 3 WHEN 1 THEN 'Calle ' || i || ', La Candelaria' WHEN 2 THEN 'Calle ' || i END,
                   CASE WHEN i % 3 = 0 THEN 4.45 + (i % 350) / 1000.0 END,
                   CASE WHEN i % 3 = 0 THEN -74.2 + (i % 190) / 1000.0 END,
                   CASE i % 4 WHEN 0 THEN 'resolved' WHEN 1 THEN 'open' ELSE 'in_progress' END,
                   CASE WHEN i % 50 = 0 THEN 10 ELSE 0 END, 'sanitation',
                   CASE i % 4 WHEN 0 THEN 'sms' WHEN 1 THEN 'whatsapp' WHEN 2 THEN 'telegram' ELSE 'rest' END,
                   'es', datetime('now', '-' || (i % 360) || ' days'), datetime('now'), 0
            FROM n""",
        f"""{series} INSERT INTO case_events (case_id, kind, from_value, to_value, actor, created_at)
            SELECT i, 'status', 'open', CASE i % 4 WHEN 0 THEN 'resolved' ELSE 'in_progress' END, 'staff',
                   datetime('now', '-' || (i % 360) || ' days', '+' || (i % 90) || ' hours')
            FROM n WHERE i % 4 IN (0, 2)""",
        f"""{series} INSERT INTO messages (citizen_id, direction, author, channel, address, text, internal,
                created_at)
            SELECT i, 'out', 'staff', 'sms', 'a' || i, 'hola', 0,
                   datetime('now', '-' || (i % 360) || ' days', '+' || (i % 7) || ' hours')
            FROM n WHERE i % 2 = 0""",
    ]


async def timed(label: str, work: Awaitable[object]) -> None:
    started = time.perf_counter()
    await work
    print(f"{label}: {time.perf_counter() - started:.2f} s")


async def run(url: str, cases: int) -> None:
    settings = load_settings(None, None, **{"database.url": url})
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        for statement in seed(cases):
            await session.execute(text(statement))
    now = utcnow()
    starts = month_starts(now, 12, settings)
    boxes = [area.bounds for area in settings.areas.values() if area.bounds is not None]
    areas = list(settings.areas)

    def area_index(lat: float | None, lon: float | None, address: str | None) -> int:
        code = settings.area_code(lat, lon, address)
        return areas.index(code) if code is not None else len(areas)

    async with sessions() as session:
        await timed("case counts, boxes in SQL (before)", boxes_in_sql(session, starts, boxes))
        await timed(
            "case counts, area_code per place (now)",
            transparency.case_counts(session, starts, area_index),
        )
        await timed("transparency, whole count for 12 months", count(session, settings, 12, now))
        period = period_of({"days": "365"}, settings, now)
        await timed("equity page figures, 365 days", equity(session, settings, period, now))
    print(f"{cases} cases, {now - timedelta(days=365):%Y-%m-%d} to {now:%Y-%m-%d}")
    await engine.dispose()


async def boxes_in_sql(
    session: AsyncSession, starts: list[datetime], boxes: list[tuple[float, float, float, float]]
) -> None:
    """The old way, kept here only to measure against: areas as boxes in one SQL CASE."""
    months = len(starts) - 1
    month = when_then(*((Case.created_at < starts[i + 1], i) for i in range(months)), else_=months)
    inside = [and_(Case.latitude.between(s, n), Case.longitude.between(w, e)) for s, w, n, e in boxes]
    area = when_then(*((held, i) for i, held in enumerate(inside)), else_=len(boxes))
    filed = (
        select(Case.service_code, month.label("m"), area.label("a"), Case.status)
        .where(Case.created_at >= starts[0], Case.created_at < starts[-1])
        .subquery()
    )
    await session.execute(select(func.count()).select_from(filed).group_by(*filed.c))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(url)  # alembic runs its own event loop: before ours
        asyncio.run(run(url, args.cases))


if __name__ == "__main__":
    main()
