"""The admin page: staff accounts listed, added and changed, through inbox/accounts.py as the command line
does, each change audited with the admin's name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.appkeys import SETTINGS
from inbox import accounts, auth
from inbox.views import back, form_of, int_or_404, render, requires, sessions_of, staff_of, ticked
from inbox.words import NOTICES
from storage import staff as store
from storage.engine import AsyncSession, IntegrityError
from storage.models import StaffUser, utcnow

HERE = "/inbox/accounts"


@dataclass(frozen=True)
class Row:
    """One account as the page shows it."""

    account: StaffUser
    state: str  # active | locked | inactive
    activity: store.Activity  # open sessions, and the last request one of them made
    last_login: datetime | None


@dataclass(frozen=True)
class Revealed:
    """A temporary password, shown once in the answer to the POST that made it; never stored or logged."""

    username: str
    password: str


def _actor(request: web.Request) -> accounts.Actor:
    staff = staff_of(request)
    return accounts.Actor(staff.username, staff.id)


async def _rows(session: AsyncSession) -> list[Row]:
    everyone = await store.all_staff(session)
    ids = {a.id for a in everyone}
    activity = await store.session_activity(session, ids)
    logins = await store.last_logins(session, ids)
    now, idle = utcnow(), store.Activity(0, None)
    return [
        Row(account, accounts.state(account, now), activity.get(account.id, idle), logins.get(account.id))
        for account in everyone
    ]


async def _page(
    request: web.Request,
    *,
    notice: str = "",
    draft: dict[str, Any] | None = None,
    revealed: Revealed | None = None,
    status: int = 200,
) -> web.Response:
    """The page, also as the answer to a POST: a refused new account keeps what was typed, and a
    temporary password is shown only here, never in a URL (URLs end up in logs and histories)."""
    async with sessions_of(request)() as session:
        rows = await _rows(session)
    context: dict[str, Any] = {
        "rows": rows,
        "roles": auth.ROLES,
        "all_departments": list(request.config_dict[SETTINGS].departments),
        "draft": draft,
        "revealed": revealed,
        "min_password": auth.MIN_PASSWORD,
        "path": HERE,  # where the language switch comes back to, even after a POST
    }
    if notice:
        context |= {"notice": notice, "notice_kind": NOTICES.get(notice, "ok")}
    return render(request, "accounts.html", context | _card_notice(request), status=status)


def _card_notice(request: web.Request) -> dict[str, Any]:
    """After a change to one account the page scrolls to its card: the notice goes there too, where a
    phone's screen shows it, instead of at the top."""
    done, at = request.query.get("done", ""), request.query.get("at", "")
    if done not in NOTICES or not at.isdigit():
        return {"card_notice": "", "card_notice_at": None, "card_notice_kind": ""}
    return {"notice": "", "card_notice": done, "card_notice_at": int(at), "card_notice_kind": NOTICES[done]}


def _to_card(staff_id: int | str, done: str) -> web.HTTPSeeOther:
    return back(f"{HERE}?at={staff_id}", done, anchor=f"staff-{staff_id}")


@requires("admin")
async def accounts_page(request: web.Request) -> web.Response:
    return await _page(request)


@requires("admin")
async def add(request: web.Request) -> web.Response:
    form = await form_of(request)
    chosen = await ticked(request, "departments")
    username, role = form.get("username", "").strip(), form.get("role", "")
    typed = form.get("password", "")
    password = typed or accounts.temporary_password()
    settings = request.config_dict[SETTINGS]
    try:
        new = await accounts.new_password(password, generated=not typed)
        async with sessions_of(request)() as session, session.begin():
            await accounts.add(
                session, _actor(request), username=username, password=new, role=role,
                known=settings.departments, departments=chosen,
            )  # fmt: skip
    except (accounts.Refused, IntegrityError) as refused:  # IntegrityError: the same name, at the same time
        notice = refused.notice if isinstance(refused, accounts.Refused) else "username_taken"
        draft = {"username": username, "role": role, "departments": chosen}
        status = 409 if notice == "username_taken" else 400
        return await _page(request, notice=notice, draft=draft, status=status)
    if typed:
        raise back(HERE, "account_added")
    return await _page(request, notice="account_added", revealed=Revealed(username, password))


Change = Callable[[AsyncSession, accounts.Actor, int], Awaitable[accounts.Done]]
CHANGES: dict[str, tuple[Change, str]] = {
    "deactivate": (accounts.deactivate, "account_deactivated"),
    "reactivate": (accounts.reactivate, "account_reactivated"),
    "revoke-sessions": (accounts.revoke_sessions, "sessions_revoked"),
}


async def _apply(request: web.Request, change: Change) -> accounts.Done:
    """One change to the account in the URL; a refusal goes back to its card saying why."""
    staff_id = int_or_404(request.match_info["id"])
    try:
        async with sessions_of(request)() as session, session.begin():
            return await change(session, _actor(request), staff_id)
    except accounts.Refused as refused:
        if refused.notice == "no_such_account":
            raise web.HTTPNotFound() from None
        raise _to_card(staff_id, refused.notice) from None


async def _change(request: web.Request, change: Change, done: str) -> web.Response:
    await _apply(request, change)
    raise _to_card(request.match_info["id"], done)


@requires("admin")
async def change(request: web.Request) -> web.Response:
    what = request.match_info["change"]
    if what not in CHANGES:
        raise web.HTTPNotFound()
    return await _change(request, *CHANGES[what])


@requires("admin")
async def role(request: web.Request) -> web.Response:
    chosen = (await form_of(request)).get("role", "")

    async def set_role(session: AsyncSession, actor: accounts.Actor, staff_id: int) -> accounts.Done:
        return await accounts.set_role(session, actor, staff_id, chosen)

    await _apply(request, set_role)
    if int(request.match_info["id"]) == staff_of(request).id and chosen != "admin":
        raise back("/inbox/queue", "role_changed")  # no longer an admin: this page would be a 403
    raise _to_card(request.match_info["id"], "role_changed")


@requires("admin")
async def departments(request: web.Request) -> web.Response:
    chosen, known = await ticked(request, "departments"), request.config_dict[SETTINGS].departments

    async def limit(session: AsyncSession, actor: accounts.Actor, staff_id: int) -> accounts.Done:
        return await accounts.set_departments(session, actor, staff_id, chosen, known)

    return await _change(request, limit, "departments_changed")


@requires("admin")
async def password(request: web.Request) -> web.Response:
    """A typed password (the same rule as the command line), or a temporary one shown once."""
    typed = (await form_of(request)).get("password", "")
    password = typed or accounts.temporary_password()
    try:
        new = await accounts.new_password(password, generated=not typed)
    except accounts.Refused as refused:
        raise _to_card(int_or_404(request.match_info["id"]), refused.notice) from None

    async def reset(session: AsyncSession, actor: accounts.Actor, staff_id: int) -> accounts.Done:
        return await accounts.reset_password(session, actor, staff_id, new)

    if typed:
        return await _change(request, reset, "password_reset")
    done = await _apply(request, reset)
    return await _page(request, notice="password_reset", revealed=Revealed(done.username, password))


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/accounts", accounts_page)
    router.add_post("/accounts", add)
    router.add_post(r"/accounts/{id:\d+}/role", role)
    router.add_post(r"/accounts/{id:\d+}/departments", departments)
    router.add_post(r"/accounts/{id:\d+}/password", password)
    router.add_post(r"/accounts/{id:\d+}/{change:[a-z-]+}", change)
