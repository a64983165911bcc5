"""Rendering pages: the staff member, their language, the CSRF token and security headers on every one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web

from bot.appkeys import INBOX_TEMPLATES, SESSIONS, SETTINGS
from connectors.http import request_language
from inbox.auth import StaffMember
from inbox.i18n import UI
from inbox.words import NOTICES
from storage.engine import AsyncSession, async_sessionmaker
from storage.preferential import is_preferential

STAFF = web.RequestKey("inbox_staff", StaffMember)
# Open data-protection requests due within two business days, for a supervisor's navigation
# (inbox/data_requests.py counts them).
DATA_DUE = web.RequestKey("inbox_data_due", int)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Pages are about citizens: scripts, styles, images, voice notes and forms only from here, never in a frame.
CSP = (
    "default-src 'self'; img-src 'self'; media-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def csv_headers(filename: str) -> dict[str, str]:
    """A staff CSV download's headers: an attachment, never cached (it holds what only staff may see)."""
    return {
        **SECURITY_HEADERS,
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }


def csv_download(body: str, filename: str) -> web.Response:
    return web.Response(body=body.encode(), headers=csv_headers(filename))


def staff_of(request: web.Request) -> StaffMember:
    return request[STAFF]


def departments_seen(request: web.Request) -> list[str]:
    """The departments the staff member may filter by: config.yml's, within their scope."""
    scope = staff_of(request).scope
    return [code for code in request.config_dict[SETTINGS].departments if scope is None or code in scope]


def ui_for(request: web.Request) -> UI:
    staff = request.get(STAFF)
    language = staff.language if staff is not None and staff.language else request_language(request)
    return UI(language, request.config_dict[SETTINGS])


def render(
    request: web.Request, template: str, context: Mapping[str, Any] | None = None, *, status: int = 200
) -> web.Response:
    staff = request.get(STAFF)
    notice = request.query.get("done", "")
    base = {
        "ui": ui_for(request),
        "staff": staff,
        "csrf": staff.csrf_token if staff is not None else "",
        "supervisor": staff is not None and staff.at_least("supervisor"),
        "admin": staff is not None and staff.at_least("admin"),
        "sees_all": staff is not None and staff.scope is None,
        "notice": notice if notice in NOTICES else "",
        "notice_kind": NOTICES.get(notice, "ok"),
        "path": request.path,
        "data_due": request.get(DATA_DUE, 0),
        "is_preferential": is_preferential,  # a case's mark on every page (issue 19, part B)
    }
    response = aiohttp_jinja2.render_template(
        template, request, {**base, **(context or {})}, status=status, app_key=INBOX_TEMPLATES
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def back(location: str, done: str | None = None, *, anchor: str = "") -> web.HTTPSeeOther:
    """POST, then redirect, then GET: a reload never posts twice. `done` names the notice to show;
    `anchor`, the element to scroll to."""
    if done:
        location += ("&" if "?" in location else "?") + f"done={quote(done)}"
    return web.HTTPSeeOther(location + (f"#{quote(anchor)}" if anchor else ""))


def sessions_of(request: web.Request) -> async_sessionmaker[AsyncSession]:
    return request.config_dict[SESSIONS]


def requires(role: str) -> Callable[[Handler], Handler]:
    """Only staff of this role or above; the others get 403."""

    def wrap(handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            if not staff_of(request).at_least(role):
                raise web.HTTPForbidden(reason=f"{role}s only")
            return await handler(request)

        return guarded

    return wrap


async def form_of(request: web.Request) -> dict[str, str]:
    """The posted form's text fields (uploads are not part of any inbox form)."""
    return {key: value for key, value in (await request.post()).items() if isinstance(value, str)}


async def ticked(request: web.Request, name: str) -> list[str]:
    """Every value of a field the form may repeat (a group of checkboxes)."""
    return [value for value in (await request.post()).getall(name, []) if isinstance(value, str)]


def int_or_404(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise web.HTTPNotFound() from None
    if not 0 < number < 2**63:
        raise web.HTTPNotFound()
    return number
