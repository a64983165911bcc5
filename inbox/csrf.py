"""CSRF tokens: one per session, checked on every POST, sent as a form field or a header."""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
# Before login there is no session: the login form's token is a cookie the form must repeat.
LOGIN_COOKIE = "ventanilla_login_csrf"


def new_token() -> str:
    return secrets.token_urlsafe(32)


async def submitted(request: web.Request) -> str:
    """The token the request carries: the header, else the form field (forms are read once, cached)."""
    token = request.headers.get(HEADER)
    if token:
        return token
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        value = (await request.post()).get(FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def require(request: web.Request, expected: str) -> None:
    """Refuse (403) a request whose token is missing or is not the expected one."""
    given = await submitted(request)
    if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise web.HTTPForbidden(reason="CSRF token missing or wrong")
