"""The inbox's gate: security headers and error pages on everything, login and CSRF before any handler."""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urlsplit

from aiohttp import web

from inbox import auth, csrf
from inbox.views import SECURITY_HEADERS, STAFF, Handler, render, sessions_of
from storage.models import utcnow

COOKIE = "ventanilla_staff"
LOGIN = "/inbox/login"
PUBLIC = {LOGIN}
# Requests the pages make on their own (live updates, refreshes) do not keep an idle session alive.
BACKGROUND_HEADER = "X-Inbox-Background"
ERROR_PAGES = {400, 403, 404, 405, 409}


def safe_next(target: str | None) -> str:
    """Where to go after login: only a path inside the inbox, never another site."""
    if not target:
        return "/inbox/queue"
    parts = urlsplit(target)
    inside = posixpath.normpath(parts.path).startswith("/inbox/") or parts.path == "/inbox/"
    if parts.scheme or parts.netloc or not inside or "\\" in target:
        return "/inbox/queue"
    if parts.path.startswith(("/inbox/login", "/inbox/logout", "/inbox/events", "/inbox/static/")):
        return "/inbox/queue"
    return target


def login_url(request: web.Request) -> str:
    wanted = request.path_qs if request.method == "GET" else "/inbox/queue"
    return f"{LOGIN}?next={quote(safe_next(wanted), safe='')}"


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every answer; 4xx as a page in the staff member's language."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status not in ERROR_PAGES:
            exc.headers.update(SECURITY_HEADERS)
            raise
        response = render(request, "error.html", {"status": exc.status}, status=exc.status)
    if not response.prepared:
        response.headers.update(SECURITY_HEADERS)
    return response


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every page but the login needs a session; every POST needs the session's CSRF token."""
    if request.path in PUBLIC or request.path.startswith("/inbox/static/"):
        return await handler(request)
    token = request.cookies.get(COOKIE, "")
    background = request.headers.get(BACKGROUND_HEADER) == "1" or request.path == "/inbox/events"
    member = (
        await auth.current(sessions_of(request), token, utcnow(), touch=not background) if token else None
    )
    if member is None:
        raise web.HTTPSeeOther(login_url(request))
    request[STAFF] = member
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        await csrf.require(request, member.csrf_token)
    return await handler(request)
