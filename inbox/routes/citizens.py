"""Citizens: a profile with every identity, case and message; preferential attention; merging two."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.appkeys import INBOX_EVENTS
from inbox import citizens
from inbox.auth import StaffMember
from inbox.contact_form import contact_form
from inbox.timeline import entries
from inbox.views import back, form_of, int_or_404, render, requires, sessions_of, staff_of
from storage import citizens as citizen_rows
from storage import data_requests as request_rows
from storage import messages as message_rows
from storage import preferential as preferential_rows
from storage import scope
from storage.engine import AsyncSession
from storage.preferential import KINDS
from storage.staff import staff_names


async def citizen_page(request: web.Request) -> web.Response:
    return await profile_page(request, int_or_404(request.match_info["id"]))


async def profile_page(
    request: web.Request, citizen_id: int, extra: dict[str, Any] | None = None, *, status: int = 200
) -> web.Response:
    """The profile; `extra`: what the contact form shows again after a mistake (inbox/routes/contacts.py)."""
    scope = staff_of(request).scope
    async with sessions_of(request)() as session:
        profile = await citizen_rows.profile(session, citizen_id, scope)
        if profile is None:
            raise web.HTTPNotFound()
        timeline = await message_rows.timeline(session, citizen_id, limit=100, scope=scope)
        held_by = profile.citizen.erasure_hold_by
        hold_by = (await staff_names(session, {held_by})).get(held_by) if held_by else None
        data_requests = await request_rows.of_citizen(session, citizen_id)
        pref_records = await preferential_rows.records(session, citizen_id)
        names = await staff_names(session, {r.staff_id for r in pref_records if r.staff_id})
    context = {
        "profile": profile,
        "entries": entries(timeline),
        "complete": timeline.complete,
        "kinds": KINDS,
        # Every grant and withdrawal, with the words, for a supervisor to review (issue 19, part B).
        "pref_records": pref_records,
        "pref_names": names,
        "hold_by": hold_by,  # who held this citizen's erasure (issue 15)
        "data_requests": data_requests,  # what the citizen asked about their data, oldest first
        **contact_form(request, extra),  # a call or visit to record (issue 18)
    }
    return render(request, "citizen.html", context, status=status)


async def preferential(request: web.Request) -> web.Response:
    citizen_id = int_or_404(request.match_info["id"])
    form = await form_of(request)
    kind = form.get("kind") or None
    reason = form.get("reason", "").strip()[:500] or None
    try:
        async with sessions_of(request)() as session, session.begin():
            await _seen_or_404(session, citizen_id, staff_of(request))
            await citizens.set_preferential(session, citizen_id, kind, reason, staff_of(request))
    except citizens.Refused as refused:
        raise back(f"/inbox/citizens/{citizen_id}", refused.notice) from None
    request.config_dict[INBOX_EVENTS].wake()
    raise back(f"/inbox/citizens/{citizen_id}", "preferential_set" if kind else "preferential_cleared")


@requires("supervisor")
async def merge(request: web.Request) -> web.Response:
    """Fold another citizen (the one whose number is typed) into this one."""
    target_id = int_or_404(request.match_info["id"])
    form = await form_of(request)
    try:
        source_id = int(form.get("source_id", "").strip().lstrip("#"))
    except ValueError:
        raise back(f"/inbox/citizens/{target_id}", "no_such_citizen") from None
    if form.get("confirm") != "1":
        raise back(f"/inbox/citizens/{target_id}", "confirm_merge")
    try:
        async with sessions_of(request)() as session, session.begin():
            await _seen_or_404(session, target_id, staff_of(request))
            if not await scope.sees_citizen(session, source_id, staff_of(request).scope):
                raise citizens.Refused("no_such_citizen")
            await citizens.merge(session, source_id=source_id, target_id=target_id, staff=staff_of(request))
    except citizens.Refused as refused:
        raise back(f"/inbox/citizens/{target_id}", refused.notice) from None
    request.config_dict[INBOX_EVENTS].wake()
    raise back(f"/inbox/citizens/{target_id}", "merged")


async def _seen_or_404(session: AsyncSession, citizen_id: int, staff: StaffMember) -> None:
    """Another department's citizen answers as one that does not exist."""
    if not await scope.sees_citizen(session, citizen_id, staff.scope):
        raise web.HTTPNotFound()


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(r"/citizens/{id:\d+}", citizen_page)
    router.add_post(r"/citizens/{id:\d+}/preferential", preferential)
    router.add_post(r"/citizens/{id:\d+}/merge", merge)
