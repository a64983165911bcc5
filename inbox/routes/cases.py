"""Cases: the searchable list, one case with its history, status, department, publishing, CSV export."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from aiohttp import web

from bot import case_status, duplicates
from bot.appkeys import INBOX_EVENTS, SETTINGS
from bot.settings import Settings
from connectors.open311 import privacy
from inbox.export import export_cases
from inbox.sla import case_targets
from inbox.timeline import attachments_of, map_url
from inbox.views import back, departments_seen, form_of, render, requires, sessions_of, staff_of
from storage import audit, case_search, supporters
from storage import cases as case_rows
from storage import citizens as citizen_rows
from storage.engine import AsyncSession
from storage.models import Case, CaseEvent, CaseStatus, utcnow
from storage.preferential import preferential_kinds
from storage.staff import staff_names

PER_PAGE = 50
STATUS_FILTERS = ("", "active", *(s.value for s in CaseStatus))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_of(request: web.Request) -> case_search.CaseFilter:
    """The list's filters from the query, always within the staff member's departments."""
    settings = request.config_dict[SETTINGS]
    query = request.query
    service, department, status = (
        query.get("service", ""),
        query.get("department", ""),
        query.get("status", ""),
    )
    return case_search.CaseFilter(
        q=query.get("q", "").strip()[:200],
        service=service if service in settings.services else "",
        status=status if status in STATUS_FILTERS else "",
        department=department if department in settings.departments else "",
        date_from=_date(query.get("from")),
        date_to=_date(query.get("to")),
        zone=settings.city.zone,
        scope=staff_of(request).scope,
    )


def query_of(filters: case_search.CaseFilter) -> dict[str, str]:
    values = {
        "q": filters.q,
        "service": filters.service,
        "status": filters.status,
        "department": filters.department,
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
    }
    return {key: value for key, value in values.items() if value}


async def case_list(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    filters = filters_of(request)
    try:
        page = max(1, min(int(request.query.get("page", "1")), 100_000))
    except ValueError:
        page = 1
    async with sessions_of(request)() as session:
        cases, total = await case_search.search_cases(session, filters, page=page, per_page=PER_PAGE)
        counts = await supporters.supporter_counts(session, [case.id for case in cases])
        kinds = await preferential_kinds(session, [c.citizen_id for c in cases if c.citizen_id])
    query = query_of(filters)
    pages = max(1, -(-total // PER_PAGE))
    context = {
        "cases": cases,
        "supporter_counts": counts,
        "pref_kinds": kinds,
        "total": total,
        "page": page,
        "pages": pages,
        "filters": filters,
        "services": settings.services,
        "departments": departments_seen(request),
        "statuses": [s.value for s in CaseStatus],
        "page_url": lambda n: "/inbox/cases?" + urlencode({**query, "page": str(n)}),
        "export_url": "/inbox/cases.csv" + ("?" + urlencode(query) if query else ""),
    }
    return render(request, "cases.html", context)


async def case_page(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    async with sessions_of(request)() as session:
        case = await case_rows.case_by_code(
            session, request.match_info["code"], scope=staff_of(request).scope
        )
        if case is None:
            raise web.HTTPNotFound()
        history = await case_rows.case_events(session, case.id)
        names = await staff_names(session, {e.staff_id for e in history if e.staff_id})
        publishing = await _publishing(session, settings, case)
        people = await supporters.supporters_of(session, case.id)
        survivor = (
            await supporters.case_by_id(session, case.duplicate_of_id) if case.duplicate_of_id else None
        )
        ids = [p.citizen_id for p in people] + ([case.citizen_id] if case.citizen_id else [])
        kinds = await preferential_kinds(session, ids)  # the case's citizen and the neighbours who joined
    context = {
        "targets": case_targets(settings, case, utcnow(), _resolved_at(case, history)),
        "pref_kind": kinds.get(case.citizen_id or 0),
        "pref_kinds": kinds,
        "supporters": people,
        "survivor": survivor,
        "publishing": publishing,
        "case": case,
        "history": history,
        "names": names,
        "next_statuses": case_status.next_statuses(case),
        "map_url": map_url(case.latitude, case.longitude),
        "attachments": attachments_of(case.attachments),
        "departments": settings.departments,
    }
    return render(request, "case.html", context)


def _resolved_at(case: Case, history: Sequence[CaseEvent]) -> datetime | None:
    """When the case was resolved since its clock last started (its targets are judged there)."""
    started = case.sla_started_at or case.created_at
    return min(
        (
            e.created_at
            for e in history
            if e.kind == "status" and e.to_value == "resolved" and e.created_at >= started
        ),
        default=None,
    )


T = TypeVar("T")
CaseAction = Callable[[AsyncSession, Case, case_status.Staff, dict[str, str]], Awaitable[T]]


async def _on_case(request: web.Request, action: CaseAction[T], refused: str) -> tuple[Case, T]:
    """Run one staff action on the case, locked and within the staff member's departments (404 outside
    them, as for a code that does not exist); a refused transition goes back with `refused`."""
    code = request.match_info["code"]
    form = await form_of(request)
    staff = staff_of(request)
    try:
        async with sessions_of(request)() as session, session.begin():
            case = await case_rows.case_by_code(session, code, lock=True, scope=staff.scope)
            if case is None:
                raise web.HTTPNotFound()
            done = await action(session, case, case_status.Staff(staff.id, staff.username), form)
    except case_status.TransitionRefused:
        raise back(f"/inbox/cases/{code}", refused) from None
    request.config_dict[INBOX_EVENTS].wake()
    return case, done


async def change_status(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]

    async def change(
        session: AsyncSession, case: Case, staff: case_status.Staff, form: dict[str, str]
    ) -> bool:
        note = form.get("note", "").strip()[:2000] or None
        to, tell = form.get("status", ""), form.get("tell_note") == "1"
        done = await case_status.change_status(
            session, settings, case, to, staff=staff, note=note, tell_note=tell
        )
        return done.notice is not None

    case, told = await _on_case(request, change, "bad_transition")
    raise back(f"/inbox/cases/{case.code}", "status_changed" if told else "status_changed_silent")


async def reassign(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]

    async def move(session: AsyncSession, case: Case, staff: case_status.Staff, form: dict[str, str]) -> None:
        note = form.get("note", "").strip()[:2000] or None
        await case_status.reassign(
            session, settings, case, form.get("department", ""), staff=staff, note=note
        )

    case, _ = await _on_case(request, move, "bad_department")
    # Sent to a department outside the staff member's own: its page is no longer theirs to see.
    scope = staff_of(request).scope
    gone = scope is not None and case.department not in scope
    raise back("/inbox/cases" if gone else f"/inbox/cases/{case.code}", "reassigned")


async def publish(request: web.Request) -> web.Response:
    """Staff decide whether the description is public on Open311 (masked), over the citizen's answer."""

    async def choose(
        session: AsyncSession, case: Case, staff: case_status.Staff, form: dict[str, str]
    ) -> None:
        await case_status.publish_description(session, case, form.get("publish", ""), staff=staff)

    case, _ = await _on_case(request, choose, "already_there")
    raise back(f"/inbox/cases/{case.code}", "publish_set")


async def duplicate(request: web.Request) -> web.Response:
    """Mark the case a duplicate of another (its code in the form): its people join that one, all told."""
    settings = request.config_dict[SETTINGS]

    async def mark(session: AsyncSession, case: Case, staff: case_status.Staff, form: dict[str, str]) -> None:
        note = form.get("note", "").strip()[:2000] or None
        survivor = form.get("survivor", "")[:20]
        scope = staff_of(request).scope
        await duplicates.mark_duplicate(
            session, settings, case, survivor, staff=staff, scope=scope, note=note
        )

    case, _ = await _on_case(request, mark, "bad_duplicate")
    raise back(f"/inbox/cases/{case.code}", "marked_duplicate")


async def _publishing(session: AsyncSession, settings: Settings, case: Case) -> dict[str, Any]:
    """What the case page says of the description on Open311: the citizen's answer, staff's choice,
    whether it is public now, and the masked text the public reads (so staff judge what they publish)."""
    terms = await citizen_rows.private_terms(session, [case.citizen_id] if case.citizen_id else [])
    masked = privacy.mask(case.description, terms.get(case.citizen_id or 0, ()), settings.city.phone_region)
    return {
        "choice": case_status.publish_choice(case),
        "consent": {True: "yes", False: "no", None: "none"}[case.publish_consent],
        "public": privacy.description_is_public(case, settings),
        "sensitive": settings.is_sensitive(case.service_code),
        "masked": masked,
    }


@requires("supervisor")
async def export(request: web.Request) -> web.StreamResponse:
    """Cases leave the system here, with citizens' words in them: who took which, is recorded."""
    filters = filters_of(request)
    staff = staff_of(request)
    async with sessions_of(request)() as session, session.begin():
        await audit.audit(
            session, actor=staff.username, action="cases.export", target_type="cases", target_id="csv",
            staff_id=staff.id, detail=query_of(filters) or None,
        )  # fmt: skip
    return await export_cases(request, filters)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/cases", case_list)
    router.add_get("/cases.csv", export)
    router.add_get(r"/cases/{code:[0-9A-Za-z-]{1,12}}", case_page)
    router.add_post(r"/cases/{code:[0-9A-Za-z-]{1,12}}/status", change_status)
    router.add_post(r"/cases/{code:[0-9A-Za-z-]{1,12}}/department", reassign)
    router.add_post(r"/cases/{code:[0-9A-Za-z-]{1,12}}/publish", publish)
    router.add_post(r"/cases/{code:[0-9A-Za-z-]{1,12}}/duplicate", duplicate)
