"""Supervisors' pages: the dashboard with its charts, and the audit trail of every staff action."""

from __future__ import annotations

from aiohttp import web

from bot.appkeys import SETTINGS
from inbox.equity import MIN_AREA_CASES, equity, period_of
from inbox.routes.equity import namer
from inbox.satisfaction import satisfaction
from inbox.satisfaction_csv import as_csv
from inbox.stats import PERIOD, dashboard
from inbox.views import csv_download, render, requires, sessions_of, staff_of, ui_for
from storage import audit as audit_rows
from storage import reports
from storage.models import utcnow
from storage.staff import staff_names

AUDIT_PAGE = 100


@requires("supervisor")
async def dashboard_page(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    ui = ui_for(request)
    names = {code: ui.service(code) for code in settings.services}
    now, scope = utcnow(), staff_of(request).scope
    async with sessions_of(request)() as session:
        figures = await dashboard(session, settings, now, names, scope)
        loop = await satisfaction(session, now - PERIOD, scope, names)
        # Equity (issue 19, part C): the last 30 days of the equity page, in the same scope.
        fair = await equity(session, settings, period_of({}, settings, now), now, scope)
    return render(
        request,
        "dashboard.html",
        {"d": figures, "s": loop, "eq": fair, "namer": namer(ui), "min_cases": MIN_AREA_CASES},
    )


@requires("supervisor")
async def dashboard_csv(request: web.Request) -> web.Response:
    """The closing-the-loop figures of the page, in the staff member's scope (inbox/satisfaction_csv.py)."""
    ui = ui_for(request)
    names = {code: ui.service(code) for code in request.config_dict[SETTINGS].services}
    now, scope = utcnow(), staff_of(request).scope
    async with sessions_of(request)() as session:
        loop = await satisfaction(session, now - PERIOD, scope, names)
        by_channel = await reports.cases_by_channel(session, scope)
    return csv_download(as_csv(loop, ui, by_channel), f"satisfaccion-{now:%Y-%m-%d}.csv")


@requires("supervisor")
async def audit_page(request: web.Request) -> web.Response:
    """The whole city's trail (case codes, citizens, everyone's actions): not for a department's staff."""
    if staff_of(request).scope is not None:
        raise web.HTTPForbidden(reason="every department only")
    try:
        page = max(1, min(int(request.query.get("page", "1")), 100_000))
    except ValueError:
        page = 1
    async with sessions_of(request)() as session:
        events, total = await audit_rows.audit_page(session, page=page, per_page=AUDIT_PAGE)
        names = await staff_names(session, {e.staff_id for e in events if e.staff_id})
    context = {
        "events": events,
        "names": names,
        "page": page,
        "pages": max(1, -(-total // AUDIT_PAGE)),
        "page_url": lambda n: f"/inbox/audit?page={n}",
    }
    return render(request, "audit.html", context)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard", dashboard_page)
    router.add_get("/dashboard.csv", dashboard_csv)
    router.add_get("/audit", audit_page)
