"""The supervisors' equity page (issue 19): how fast each group of citizens is served, and its CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from aiohttp import web

from bot.appkeys import SETTINGS
from inbox.equity import (
    AREA,
    MIN_AREA_CASES,
    PERIODS,
    PREFERENTIAL,
    BadPeriod,
    Equity,
    Row,
    period_of,
)
from inbox.equity import equity as count_equity
from inbox.export import cell
from inbox.i18n import UI
from inbox.satisfaction_csv import number
from inbox.views import csv_download, render, requires, sessions_of, staff_of, ui_for
from storage.models import utcnow

COLUMNS = (
    "group", "key", "name", "cases", "median_first_response_s", "first_within_target", "first_counted",
    "first_share", "median_resolution_s", "resolved_within_target", "resolution_counted", "resolved_share",
)  # fmt: skip


def group_name(ui: UI, row: Row) -> str:
    if row.kind == PREFERENTIAL:
        return ui.t(f"equity_preferential_{row.key}")
    if row.kind == AREA:
        area = ui.settings.areas.get(row.key)
        return area.name.get(ui.lang) if area is not None else ui.t("equity_no_area")
    return ui.channel(row.key)


def namer(ui: UI) -> Callable[[Row], str]:
    return lambda row: group_name(ui, row)


async def _count(request: web.Request) -> Equity:
    settings, now = request.config_dict[SETTINGS], utcnow()
    period = period_of(request.query, settings, now)
    async with sessions_of(request)() as session:
        return await count_equity(session, settings, period, now, staff_of(request).scope)


@requires("supervisor")
async def equity_page(request: web.Request) -> web.Response:
    """Department-scoped supervisors see their departments' cases, as on the dashboard."""
    context = {
        "periods": PERIODS,
        "min_cases": MIN_AREA_CASES,
        "problem": None,
        "e": None,
        "name": namer(ui_for(request)),
    }
    try:
        found = await _count(request)
    except BadPeriod as problem:
        return render(request, "equity.html", {**context, "problem": str(problem)}, status=400)
    return render(request, "equity.html", {**context, "e": found})


@requires("supervisor")
async def equity_csv(request: web.Request) -> web.Response:
    """The page's table, one row per group; text cells can never start a formula (inbox.export.cell)."""
    try:
        found = await _count(request)
    except BadPeriod as problem:
        raise web.HTTPBadRequest(text=ui_for(request).t(str(problem))) from problem
    ui, out = ui_for(request), io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in found.rows:
        f = row.figures
        writer.writerow(
            {
                "group": row.kind,
                "key": cell(row.key),
                "name": cell(group_name(ui, row)),
                "cases": str(f.cases),
                "median_first_response_s": number(f.median_first_response),
                "first_within_target": str(f.first_within),
                "first_counted": str(f.first_counted),
                "first_share": number(f.first_share),
                "median_resolution_s": number(f.median_resolution),
                "resolved_within_target": str(f.resolved_within),
                "resolution_counted": str(f.resolution_counted),
                "resolved_share": number(f.resolved_share),
            }
        )
    period = found.period
    return csv_download(out.getvalue(), f"equidad-{period.first_day:%Y-%m-%d}-{period.last_day:%Y-%m-%d}.csv")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/equity", equity_page)
    router.add_get("/equity.csv", equity_csv)
