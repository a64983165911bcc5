"""The supervisors' equity page and its CSV (issue 19): the seeded figures as staff read them, the period
chooser's bad input, who may see it, and a CSV no spreadsheet runs."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import cases as case_rows
from storage.models import utcnow
from tests.inbox.conftest import Staff
from tests.support.equity_seed import seed_equity, seed_gap


def cells(page: str, group: str) -> dict[str, str]:
    row = re.search(rf'<tr data-group="{re.escape(group)}"[^>]*>(.*?)</tr>', page, re.S)
    assert row is not None, group
    return {
        k: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", v)).strip()
        for k, v in re.findall(r'data-col="(\w+)">(.*?)</td>', row[1], re.S)
    }


async def test_the_page_shows_the_seeded_table(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seed_equity(sessions, utcnow())
    page = await supervisor.page("/inbox/equity")
    assert cells(page, "preferential:yes") == {
        "cases": "3", "first": "30 min", "first_share": "33 % (1 de 3)", "resolution": "25 h 00 min",
        "resolved_share": "33 % (1 de 3)",
    }  # fmt: skip
    assert cells(page, "area:centro")["resolved_share"] == "67 % (2 de 3)"
    assert cells(page, "area:")["cases"] == "2" and "Sin zona" in page
    assert cells(page, "channel:sms")["first_share"] == "0 % (0 de 2)"
    assert "dos zonas con 5 casos o más" in page  # no area has enough cases to be called worst
    assert 'href="/inbox/equity"' in await supervisor.page("/inbox/dashboard")
    year = await supervisor.page("/inbox/equity?days=365")
    assert cells(year, "channel:sms")["cases"] == "3"
    custom = await supervisor.page("/inbox/equity?from=2000-01-01&to=2000-12-31")
    assert cells(custom, "preferential:yes")["cases"] == "0"


async def test_bad_periods_get_a_400_that_says_why(supervisor: Staff) -> None:
    for query, says in (
        ("days=7", "30, 90 o 365"),
        ("from=2026-13-01&to=2026-12-31", "AAAA-MM-DD"),
        ("from=2026-02-01", "AAAA-MM-DD"),
        ("from=2026-02-01&to=2026-01-01", "va antes"),
        ("from=2020-01-01&to=2026-01-01", "dos años"),
    ):
        response = await supervisor.get(f"/inbox/equity?{query}")
        assert response.status == 400 and says in await response.text(), query
        assert (await supervisor.get(f"/inbox/equity.csv?{query}")).status == 400


async def test_only_supervisors_and_each_in_their_departments(
    agent: Staff,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_equity(sessions, utcnow())
    for path in ("/inbox/equity", "/inbox/equity.csv"):
        assert (await agent.get(path)).status in (302, 303, 403)
    await add_staff("pau", "supervisor", departments=["public_works"])
    pau = browser()
    assert (await pau.log_in("pau")).status == 303
    assert (
        cells(await pau.page("/inbox/equity"), "preferential:yes")["cases"] == "0"
    )  # all seeded in sanitation


async def test_the_csv_has_the_same_table_and_runs_no_formula(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    now = utcnow()
    await seed_equity(sessions, now)
    async with sessions() as session, session.begin():
        await case_rows.add_case(
            session, service_code="garbage", description="x", department="sanitation", created_at=now,
            channel="=HYPERLINK(1)",  # a column of 20 characters
        )  # fmt: skip
    response = await supervisor.get("/inbox/equity.csv?days=30")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = {(r["group"], r["key"]): r for r in csv.DictReader(io.StringIO(await response.text()))}
    assert rows[("preferential", "yes")]["cases"] == "3"
    assert rows[("preferential", "no")]["median_first_response_s"] == "4200"
    assert rows[("area", "centro")]["resolved_share"] == "0.6667"
    assert rows[("area", "")]["name"] == "Sin zona"
    evil = [r for (group, key), r in rows.items() if group == "channel" and "HYPERLINK" in key]
    assert len(evil) == 1 and evil[0]["key"].startswith("'=") and evil[0]["name"].startswith("'=")


async def test_the_gap_between_areas_in_words_on_the_page_and_the_dashboard(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    now = utcnow()
    await seed_equity(sessions, now)
    await seed_gap(sessions, now)
    page = await supervisor.page("/inbox/equity")
    said = "Brecha entre zonas: Centro resuelve en meta el 88 % y Norte el 14 %, 73 puntos menos."
    assert said in page and 'data-gap="0.7321"' in page
    assert re.search(r'<tr data-group="area:norte" class="worst">.*?Peor atendida', page, re.S)
    assert re.search(r'<tr data-group="area:centro" class="best">.*?Mejor atendida', page, re.S)
    dashboard = await supervisor.page("/inbox/dashboard")
    assert said in dashboard and 'href="/inbox/equity"' in dashboard
    preferential = re.search(r'<tr data-equity="yes">(.*?)</tr>', dashboard, re.S)
    assert preferential is not None and "33 %" in preferential[1]
