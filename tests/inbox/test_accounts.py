"""The admin page: only admins, only with the CSRF token, every change audited under the admin's name,
and never the last active admin locked out."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from yarl import URL

from storage.models import AuditEvent, StaffSession, StaffUser
from tests.inbox.conftest import PASSWORD, Staff

Add = Callable[..., Awaitable[int]]
NEW_PASSWORD = "otra clave muy larga"
TEMPORARY = re.compile(r'<code class="secret" id="temporary-password">([^<]+)</code>')


@pytest.fixture
async def admin(add_staff: Add, browser: Callable[[], Staff]) -> Staff:
    await add_staff("root", "admin")
    root = browser()
    assert (await root.log_in("root")).status == 303
    return root


async def logged_out(staff: Staff) -> bool:
    response = await staff.get("/inbox/queue")
    return response.status == 303 and response.headers["Location"].startswith("/inbox/login")


async def snapshot(sessions: async_sessionmaker[AsyncSession]) -> tuple[Any, ...]:
    """Everything an admin action could change: accounts, sessions, the audit trail."""
    async with sessions() as session:
        accounts = (await session.execute(select(StaffUser.__table__))).all()
        open_sessions = (await session.execute(select(StaffSession.staff_id))).all()
        audit = (
            await session.execute(select(AuditEvent.action).where(AuditEvent.action != "staff.login"))
        ).all()
    return tuple(accounts), tuple(open_sessions), tuple(audit)


async def account(sessions: async_sessionmaker[AsyncSession], username: str) -> StaffUser:
    async with sessions() as session:
        found = await session.scalar(select(StaffUser).where(StaffUser.username == username))
    assert found is not None
    return found


def actions(target: int) -> list[tuple[str, dict[str, str]]]:
    return [
        ("/inbox/accounts", {"username": "intruder", "role": "admin", "password": NEW_PASSWORD}),
        (f"/inbox/accounts/{target}/deactivate", {}),
        (f"/inbox/accounts/{target}/reactivate", {}),
        (f"/inbox/accounts/{target}/revoke-sessions", {}),
        (f"/inbox/accounts/{target}/password", {"password": NEW_PASSWORD}),
        (f"/inbox/accounts/{target}/password", {}),
        (f"/inbox/accounts/{target}/role", {"role": "admin"}),
        (f"/inbox/accounts/{target}/departments", {"departments": "sanitation"}),
    ]


async def test_only_admins_get_the_page_and_its_actions(
    admin: Staff,
    agent: Staff,
    supervisor: Staff,
    browser: Callable[[], Staff],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    nobody = browser()
    response = await nobody.get("/inbox/accounts")
    assert response.status == 303 and URL(response.headers["Location"]).query["next"] == "/inbox/accounts"
    page = await admin.page("/inbox/accounts")
    assert 'href="/inbox/accounts"' in page and "ana" in page and "sara" in page
    target = (await account(sessions, "ana")).id
    before = await snapshot(sessions)
    for staff in (agent, supervisor):
        assert (await staff.get("/inbox/accounts")).status == 403
        assert 'href="/inbox/accounts"' not in await staff.page("/inbox/queue")
        for path, form in actions(target):
            assert (await staff.post(path, form)).status == 403, (staff.username, path)
    assert (await nobody.post(f"/inbox/accounts/{target}/deactivate")).status == 303  # to the login page
    assert await snapshot(sessions) == before  # not one change, not one audit row
    assert not await logged_out(agent)


async def test_a_post_without_the_csrf_token_is_refused(
    admin: Staff, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    target = (await account(sessions, "ana")).id
    before = await snapshot(sessions)
    for path, form in actions(target):
        assert (await admin.post(path, form, csrf=False)).status == 403, path
        assert (await admin.post(path, {**form, "csrf_token": agent.csrf}, csrf=False)).status == 403, path
    assert await snapshot(sessions) == before


async def test_add_an_account_with_a_temporary_password_shown_once(
    admin: Staff,
    browser: Callable[[], Staff],
    sessions: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    response = await admin.post(
        "/inbox/accounts", {"username": "lina", "role": "agent", "departments": "sanitation"}
    )
    page = await response.text()
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    found = TEMPORARY.search(page)
    assert found is not None and "Cuenta creada" in page
    temporary = found[1]
    assert len(temporary) == 19 and "lina" in page
    assert temporary not in await admin.page("/inbox/accounts")  # once
    lina = browser()
    assert (await lina.log_in("lina", temporary)).status == 303
    queue = await lina.page("/inbox/queue")
    assert "Aseo y Residuos" in queue and "Obras Públicas" not in queue  # her department, none other
    async with sessions() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.add"))
        everything = (await session.execute(select(AuditEvent.__table__))).all()
    assert audit is not None and (audit.actor, audit.to_value) == ("root", "lina (agent)")
    assert audit.staff_id == (await account(sessions, "root")).id
    assert audit.detail == {"departments": ["sanitation"], "generated": True}
    assert temporary not in str(everything) and temporary not in caplog.text  # never kept, never logged
    assert (await account(sessions, "lina")).departments == ["sanitation"]


@pytest.mark.parametrize(
    ("form", "status", "notice"),
    [
        (
            {"username": "ana", "role": "agent", "password": NEW_PASSWORD},
            409,
            "Ya hay una cuenta con ese usuario",
        ),
        ({"username": "a b", "role": "agent", "password": NEW_PASSWORD}, 400, "El usuario lleva"),
        ({"username": "mia", "role": "boss", "password": NEW_PASSWORD}, 400, "Ese rol no existe"),
        ({"username": "mia", "role": "agent", "password": "corta"}, 400, "al menos 10 caracteres"),
        ({"username": "mia", "role": "agent", "departments": "nowhere"}, 400, "Esa área no existe"),
    ],
)
async def test_a_refused_account_keeps_what_was_typed_but_the_password(
    admin: Staff,
    agent: Staff,
    sessions: async_sessionmaker[AsyncSession],
    form: dict[str, str],
    status: int,
    notice: str,
) -> None:
    before = await snapshot(sessions)
    response = await admin.post("/inbox/accounts", form)
    page = await response.text()
    assert response.status == status and notice in page
    assert f'value="{form["username"]}"' in page and '<details class="card new-account" open>' in page
    assert "corta" not in page and NEW_PASSWORD not in page
    assert await snapshot(sessions) == before


async def test_deactivating_ends_the_sessions_at_once_and_each_change_is_audited(
    admin: Staff, agent: Staff, browser: Callable[[], Staff], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = (await account(sessions, "ana")).id
    card = f"/inbox/accounts?at={ana}&done="
    done = await admin.post(f"/inbox/accounts/{ana}/deactivate")
    assert done.headers["Location"] == f"{card}account_deactivated#staff-{ana}"
    assert "Cuenta desactivada" in await admin.page(f"{card}account_deactivated")
    assert await logged_out(agent)  # her open session ended with the click
    assert (await browser().log_in("ana")).status == 200
    assert (
        (await admin.post(f"/inbox/accounts/{ana}/deactivate"))
        .headers["Location"]
        .startswith(f"{card}already_there")
    )
    assert (await admin.post(f"/inbox/accounts/{ana}/reactivate")).status == 303
    again = browser()
    assert (await again.log_in("ana")).status == 303
    await admin.post(f"/inbox/accounts/{ana}/revoke-sessions")
    assert await logged_out(again)
    short = await admin.post(f"/inbox/accounts/{ana}/password", {"password": "corta"})
    assert short.headers["Location"].startswith(f"{card}password_short")  # the command line's rule
    await admin.post(f"/inbox/accounts/{ana}/password", {"password": NEW_PASSWORD})
    assert (await browser().log_in("ana", PASSWORD)).status == 200
    ana_now = browser()
    assert (await ana_now.log_in("ana", NEW_PASSWORD)).status == 303
    # A new role and departments hold from her next page, without logging in again.
    await admin.post(f"/inbox/accounts/{ana}/role", {"role": "supervisor"})
    assert (await ana_now.get("/inbox/dashboard")).status == 200
    limited = await admin.post(f"/inbox/accounts/{ana}/departments", {"departments": "nowhere"})
    assert limited.headers["Location"].startswith(f"{card}unknown_department")
    await admin.http.post(
        admin.url(f"/inbox/accounts/{ana}/departments"),
        data=[("csrf_token", admin.csrf), ("departments", "water_utility"), ("departments", "sanitation")],
        allow_redirects=False,
    )
    assert (await ana_now.get("/inbox/audit")).status == 403  # limited now: the whole trail is not hers
    generated = await admin.post(f"/inbox/accounts/{ana}/password")
    assert TEMPORARY.search(await generated.text()) is not None
    assert await logged_out(ana_now)
    root = (await account(sessions, "root")).id
    async with sessions() as session:
        audit = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.target_id == str(ana), AuditEvent.actor == "root")
            )
        ).all()
    assert [(a.action, a.from_value, a.to_value, a.staff_id) for a in audit] == [
        ("staff.deactivate", "active", "inactive", root),
        ("staff.reactivate", "inactive", "active", root),
        ("staff.revoke_sessions", "active", "active", root),
        ("staff.reset_password", None, None, root),
        ("staff.role", "agent", "supervisor", root),
        ("staff.departments", "all", "sanitation,water_utility", root),
        ("staff.reset_password", None, None, root),
    ]
    assert [a.detail for a in audit if a.action == "staff.reset_password"] == [
        {"sessions_ended": 0, "generated": False},  # revoked just before
        {"sessions_ended": 1, "generated": True},
    ]
    assert audit[0].detail == {"sessions_ended": 1}


async def test_the_last_active_admin_cannot_deactivate_or_demote_themself(
    admin: Staff, add_staff: Add, browser: Callable[[], Staff], sessions: async_sessionmaker[AsyncSession]
) -> None:
    root = (await account(sessions, "root")).id
    for path, form in (
        (f"/inbox/accounts/{root}/deactivate", {}),
        (f"/inbox/accounts/{root}/role", {"role": "agent"}),
    ):
        response = await admin.post(path, form)
        assert response.headers["Location"].startswith(f"/inbox/accounts?at={root}&done=last_admin")
    page = await admin.page(f"/inbox/accounts?at={root}&done=last_admin")
    assert "la última cuenta de administración activa" in page
    found = await account(sessions, "root")
    assert (found.active, found.role) == (True, "admin")
    # With a second admin, the first may step down, and lands where a supervisor may be.
    await add_staff("second", "admin")
    response = await admin.post(f"/inbox/accounts/{root}/role", {"role": "supervisor"})
    assert response.headers["Location"] == "/inbox/queue?done=role_changed"
    assert (await admin.get("/inbox/accounts")).status == 403
    second = browser()
    await second.log_in("second")
    refused = await second.post(f"/inbox/accounts/{(await account(sessions, 'second')).id}/deactivate")
    assert "done=last_admin" in refused.headers["Location"]


async def test_the_page_speaks_english_too(admin: Staff) -> None:
    await admin.post("/inbox/language", {"language": "en", "next": "/inbox/accounts"})
    page = await admin.page("/inbox/accounts")
    assert "Staff accounts" in page and "New account" in page and "Every department" in page
    assert "Accounts</a>" in page
