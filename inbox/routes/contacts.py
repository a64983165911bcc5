"""Calls and visits staff record (issue 18): on a citizen's profile, or for a caller found or created by
their number (a visitor without one, by name)."""

from __future__ import annotations

from aiohttp import web

from bot import contacts
from bot.appkeys import INBOX_EVENTS, SETTINGS
from bot.case_status import Staff
from inbox.auth import StaffMember
from inbox.contact_form import contact_form
from inbox.routes.citizens import profile_page
from inbox.views import back, form_of, int_or_404, render, sessions_of, staff_of
from storage import scope
from storage.citizens import get_citizen
from storage.models import utcnow


async def new_page(request: web.Request) -> web.Response:
    return render(request, "contact_new.html", contact_form(request))


async def record_new(request: web.Request) -> web.Response:
    """The caller by number (or a visitor by name), then the contact on their history."""
    settings, staff = request.config_dict[SETTINGS], staff_of(request)
    form = await form_of(request)
    try:
        contact = contacts.contact_of(form, settings, utcnow())
        raw_phone, name = form.get("phone", "").strip(), form.get("name", "").strip() or None
        phone = contacts.phone_of(raw_phone, settings) if raw_phone else None
        async with sessions_of(request)() as session, session.begin():
            citizen = await contacts.caller(session, settings, phone, name)
            _, case = await contacts.record(
                session, settings, citizen, contact, Staff(staff.id, staff.username)
            )
            citizen_id = citizen.id
            seen = await scope.sees_citizen(session, citizen_id, staff.scope)
    except contacts.Refused as refused:
        extra = {"values": form, "error": refused.error, "field": refused.field}
        return render(request, "contact_new.html", contact_form(request, extra), status=400)
    request.config_dict[INBOX_EVENTS].wake()
    if not seen:  # another department's citizen: recorded on their history, not shown to this agent
        raise back("/inbox/contacts/new", "contact_recorded_elsewhere")
    raise back(f"/inbox/citizens/{citizen_id}", _done(case is not None), anchor="timeline")


async def record_on_profile(request: web.Request) -> web.Response:
    citizen_id = int_or_404(request.match_info["id"])
    settings, staff = request.config_dict[SETTINGS], staff_of(request)
    form = await form_of(request)
    try:
        contact = contacts.contact_of(form, settings, utcnow())
        async with sessions_of(request)() as session, session.begin():
            if not await scope.sees_citizen(session, citizen_id, staff.scope):
                raise web.HTTPNotFound()
            try:
                citizen = await get_citizen(session, citizen_id)
            except LookupError:
                raise web.HTTPNotFound() from None
            if citizen.erased_at is not None:
                raise contacts.Refused("summary", "contact_error_erased")
            _, case = await contacts.record(
                session, settings, citizen, contact, Staff(staff.id, staff.username)
            )
    except contacts.Refused as refused:
        extra = {"values": form, "error": refused.error, "field": refused.field}
        return await profile_page(request, citizen_id, extra, status=400)
    request.config_dict[INBOX_EVENTS].wake()
    raise back(f"/inbox/citizens/{citizen_id}", _done(case is not None), anchor="timeline")


def as_actor(staff: StaffMember) -> Staff:
    return Staff(staff.id, staff.username)


def _done(with_case: bool) -> str:
    return "contact_recorded_case" if with_case else "contact_recorded"


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/contacts/new", new_page)
    router.add_post("/contacts/new", record_new)
    router.add_post(r"/citizens/{id:\d+}/contacts", record_on_profile)
