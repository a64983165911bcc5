"""Supervisors' pages: the dashboard with its charts, and the audit trail of every staff action."""

from __future__ import annotations

from aiohttp import web

from bot.appkeys import SETTINGS
from inbox.stats import dashboard
from inbox.views import render, requires, sessions_of, staff_of, ui_for
from storage import audit as audit_rows
from storage.models import utcnow
from storage.staff import staff_names

AUDIT_PAGE = 100


@requires("supervisor")
async def dashboard_page(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    ui = ui_for(request)
    names = {code: ui.service(code) for code in settings.services}
    async with sessions_of(request)() as session:
        figures = await dashboard(session, settings, utcnow(), names, staff_of(request).scope)
    return render(request, "dashboard.html", {"d": figures})


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
    router.add_get("/audit", audit_page)
