"""Login, logout and the staff member's language."""

from __future__ import annotations

import hmac

from aiohttp import web

from bot.appkeys import INBOX_LOGINS, SETTINGS
from connectors.http import client_address
from inbox import auth, csrf
from inbox.middleware import COOKIE, safe_next
from inbox.views import back, form_of, render, sessions_of, staff_of
from storage import audit
from storage import staff as store
from storage.models import utcnow


def _set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, age: int) -> None:
    """HttpOnly, SameSite=Lax, only under /inbox/, and Secure when the service is public over https."""
    secure = request.config_dict[SETTINGS].server.public_url.startswith("https://")
    response.set_cookie(
        name, value, max_age=age, path="/inbox/", httponly=True, samesite="Lax", secure=secure
    )


async def login_page(request: web.Request) -> web.Response:
    return _login_form(request, failed=False, username="", target=request.query.get("next"))


def _login_form(request: web.Request, *, failed: bool, username: str, target: str | None) -> web.Response:
    token = request.cookies.get(csrf.LOGIN_COOKIE) or csrf.new_token()
    context = {
        "login_csrf": token,
        "next": safe_next(target),
        "failed": failed,
        "username": username,
    }
    response = render(request, "login.html", context)
    _set_cookie(request, response, csrf.LOGIN_COOKIE, token, 3600)
    return response


async def login(request: web.Request) -> web.Response:
    form = await form_of(request)
    expected = request.cookies.get(csrf.LOGIN_COOKIE, "")
    given = form.get(csrf.FIELD, "")
    if not expected or not given or not hmac.compare_digest(expected.encode(), given.encode()):
        raise web.HTTPForbidden(reason="CSRF token missing or wrong")
    username = form.get("username", "").strip()[:80]
    if not request.app[INBOX_LOGINS].allow(client_address(request)):
        # Too many tries from one address: refused before any password is hashed.
        response = _login_form(request, failed=True, username=username, target=form.get("next"))
        response.set_status(429)
        response.headers["Retry-After"] = "60"
        return response
    token = await auth.log_in(sessions_of(request), username, form.get("password", ""), utcnow())
    if token is None:
        return _login_form(request, failed=True, username=username, target=form.get("next"))
    response = web.HTTPSeeOther(safe_next(form.get("next")))
    _set_cookie(request, response, COOKIE, token, int(auth.ABSOLUTE_EXPIRY.total_seconds()))
    response.del_cookie(csrf.LOGIN_COOKIE, path="/inbox/")
    raise response


async def logout(request: web.Request) -> web.Response:
    await auth.log_out(sessions_of(request), request.cookies.get(COOKIE, ""), staff_of(request))
    response = web.HTTPSeeOther("/inbox/login")
    response.del_cookie(COOKIE, path="/inbox/")
    raise response


async def language(request: web.Request) -> web.Response:
    """Keep the staff member's choice of Spanish or English (empty: follow the browser)."""
    form = await form_of(request)
    chosen = form.get("language") if form.get("language") in ("es", "en") else None
    staff = staff_of(request)
    async with sessions_of(request)() as session, session.begin():
        row = await store.staff_by_id(session, staff.id)
        if row is not None:
            before, row.language = row.language, chosen
            await audit.audit(
                session, actor=staff.username, action="staff.language", target_type="staff",
                target_id=str(staff.id), from_value=before, to_value=chosen, staff_id=staff.id,
            )  # fmt: skip
    raise back(safe_next(form.get("next")))


async def home(request: web.Request) -> web.Response:
    raise web.HTTPSeeOther("/inbox/queue")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/login", login_page)
    router.add_post("/login", login)
    router.add_post("/logout", logout)
    router.add_post("/language", language)
    router.add_get("/", home)
