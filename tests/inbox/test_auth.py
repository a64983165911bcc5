"""Logins, sessions, lock-out, CSRF and roles."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from yarl import URL

from inbox import auth
from inbox.auth import IDLE_EXPIRY, MAX_FAILED_LOGINS
from storage.models import AuditEvent, StaffSession, StaffUser, utcnow
from tests.inbox.conftest import PASSWORD, Client, Staff


async def test_pages_without_login_redirect_to_it_with_next(browser: Callable[[], Staff]) -> None:
    nobody = browser()
    for path in ("/inbox/queue?status=mine", "/inbox/cases", "/inbox/dashboard", "/inbox/conversations/1"):
        response = await nobody.get(path)
        assert response.status == 303
        location = URL(response.headers["Location"])
        assert location.path == "/inbox/login" and location.query["next"] == path
    assert (await nobody.get("/inbox/")).headers["Location"].startswith("/inbox/login")
    assert (await nobody.get("/inbox")).headers["Location"].startswith("/inbox/login")
    assert (await nobody.get("/inbox/nothing-here")).headers["Location"].startswith("/inbox/login")
    assert (await nobody.get("/inbox/events")).headers["Location"].startswith("/inbox/login")


async def test_login_goes_to_next_and_logout_ends_the_session(
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_staff("ana")
    ana = browser()
    response = await ana.log_in("ana", next_="/inbox/cases?status=open")
    assert response.status == 303 and response.headers["Location"] == "/inbox/cases?status=open"
    cookie = response.headers["Set-Cookie"]
    assert "ventanilla_staff=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/inbox/" in cookie and "Secure" not in cookie  # the test server is plain http
    async with sessions() as session:
        row = await session.scalar(select(StaffSession))
    assert row is not None and row.token_hash not in cookie  # only the hash is stored
    assert "ana" in await ana.page("/inbox/queue")
    response = await ana.post("/inbox/logout")
    assert response.status == 303 and response.headers["Location"] == "/inbox/login"
    assert (await ana.get("/inbox/queue")).status == 303
    async with sessions() as session:
        assert await session.scalar(select(StaffSession)) is None
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert actions == ["staff.login", "staff.logout"]


async def test_next_never_leaves_the_inbox(
    add_staff: Callable[..., Awaitable[int]], browser: Callable[[], Staff]
) -> None:
    await add_staff("ana")
    for target in ("https://evil.example/", "//evil.example/inbox/", "/inbox/../admin", "/\\evil.example"):
        ana = browser()
        response = await ana.log_in("ana", next_=target)
        assert response.headers["Location"] == "/inbox/queue", target


async def test_wrong_password_and_unknown_user_look_the_same(
    add_staff: Callable[..., Awaitable[int]], browser: Callable[[], Staff]
) -> None:
    await add_staff("ana")
    wrong = await (await browser().log_in("ana", "not the password")).text()
    unknown = await (await browser().log_in("nobody", "not the password")).text()
    assert "No fue posible entrar" in wrong

    def strip(page: str) -> str:
        return page.replace('value="ana"', "").replace('value="nobody"', "")

    assert strip(wrong).split('name="csrf_token"')[0] == strip(unknown).split('name="csrf_token"')[0]


async def test_lock_out_after_five_failures_even_with_the_right_password(
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_staff("ana")
    await add_staff("bea")
    for _ in range(MAX_FAILED_LOGINS):
        assert (await browser().log_in("ana", "guess")).status == 200
    locked = await browser().log_in("ana")
    assert locked.status == 200 and "No fue posible entrar" in await locked.text()
    assert (await browser().log_in("bea")).status == 303  # counted per user
    async with sessions() as session:
        ana = await session.scalar(select(StaffUser).where(StaffUser.username == "ana"))
        assert ana is not None and ana.locked_until is not None
        assert timedelta(minutes=14) < ana.locked_until - utcnow() <= timedelta(minutes=15)
        actions = (
            await session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(ana.id)))
        ).all()
    assert actions.count("staff.login_failed") == 4 and "staff.locked_out" in actions
    async with sessions() as session, session.begin():
        await session.execute(
            update(StaffUser)
            .where(StaffUser.username == "ana")
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
    assert (await browser().log_in("ana")).status == 303  # the lock lifts after 15 minutes


async def test_idle_session_expires(agent: Staff, sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        await session.execute(update(StaffSession).values(last_seen_at=utcnow() - IDLE_EXPIRY))
    assert (await agent.get("/inbox/queue")).status == 303


async def test_absolute_expiry(agent: Staff, sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        await session.execute(update(StaffSession).values(expires_at=utcnow()))
    assert (await agent.get("/inbox/queue")).status == 303


async def test_posts_without_or_with_a_wrong_csrf_token_are_refused(agent: Staff) -> None:
    assert (await agent.post("/inbox/logout", csrf=False)).status == 403
    assert (await agent.post("/inbox/logout", {"csrf_token": "forged"}, csrf=False)).status == 403
    response = await agent.http.post(
        agent.url("/inbox/logout"), headers={"X-CSRF-Token": agent.csrf}, allow_redirects=False
    )
    assert response.status == 303  # the header works too
    assert (await agent.get("/inbox/queue")).status == 303


async def test_login_form_needs_its_token(
    add_staff: Callable[..., Awaitable[int]], browser: Callable[[], Staff]
) -> None:
    await add_staff("ana")
    ana = browser()
    await ana.page("/inbox/login")
    response = await ana.post(
        "/inbox/login", {"username": "ana", "password": "correct horse battery"}, csrf=False
    )
    assert response.status == 403


async def test_agents_get_403_on_supervisor_pages(agent: Staff, supervisor: Staff) -> None:
    for path in ("/inbox/dashboard", "/inbox/audit", "/inbox/cases.csv"):
        assert (await agent.get(path)).status == 403
        assert (await supervisor.get(path)).status == 200
    assert (await agent.post("/inbox/citizens/1/merge", {"source_id": "2", "confirm": "1"})).status == 403


async def test_secure_cookie_when_public_over_https(
    aiohttp_client: Callable[..., Awaitable[Client]],
    settings: object,
    scripted: object,
    add_staff: Callable[..., Awaitable[int]],
) -> None:
    from bot.app import create_app
    from bot.settings import Settings

    assert isinstance(settings, Settings)
    https = settings.model_copy(
        update={"server": settings.server.model_copy(update={"public_url": "https://ventanilla.example.org"})}
    )
    client = await aiohttp_client(create_app(https, classifier=scripted))  # type: ignore[arg-type]
    await add_staff("ana")
    page = await client.get("/inbox/login")
    assert "Secure" in page.headers["Set-Cookie"]


async def test_security_headers(client: Client, agent: Staff) -> None:
    for response in (await client.get("/inbox/login"), await agent.get("/inbox/queue")):
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (await agent.get("/inbox/queue")).headers["Cache-Control"] == "no-store"


async def test_language_follows_the_browser_then_the_staff_members_choice(agent: Staff) -> None:
    assert "Conversaciones que esperan" in await agent.page("/inbox/queue")
    english = await agent.get("/inbox/queue", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert "Conversations waiting" in await english.text()
    assert (await agent.post("/inbox/language", {"language": "en", "next": "/inbox/cases"})).status == 303
    assert "Cases" in await agent.page("/inbox/cases")
    assert "Conversations waiting" in await agent.page("/inbox/queue")


async def test_home_and_unknown_pages_when_logged_in(agent: Staff) -> None:
    assert (await agent.get("/inbox/")).headers["Location"] == "/inbox/queue"
    missing = await agent.get("/inbox/nothing-here")
    assert missing.status == 404 and "No existe" in await missing.text()
    assert missing.headers["Content-Security-Policy"].startswith("default-src 'self'")


async def test_sixty_guesses_at_once_check_five_passwords_and_the_last_right_one_stays_out(
    add_staff: Callable[..., Awaitable[int]], sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The audit's race: the lock was read before the password check and not again in the write."""
    await add_staff("ana")
    now = utcnow()
    guesses = [auth.log_in(sessions, "ana", f"guess {n}", now) for n in range(59)]
    last = auth.log_in(sessions, "ana", PASSWORD, now)
    results = await asyncio.gather(*guesses, last)
    assert results == [None] * 60  # the right password came after the fifth try: locked out
    async with sessions() as session:
        ana = await session.scalar(select(StaffUser).where(StaffUser.username == "ana"))
        checked = (
            await session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.target_id == str(ana.id if ana else 0),
                    AuditEvent.action.in_(("staff.login_failed", "staff.locked_out")),
                )
            )
        ).all()
    assert ana is not None and ana.locked_until is not None
    assert len(checked) == MAX_FAILED_LOGINS  # five passwords checked, fifty-five refused before hashing


async def test_hashing_is_bounded_however_many_log_in_at_once(
    add_staff: Callable[..., Awaitable[int]],
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await add_staff("ana")
    running, most = 0, 0
    real = auth._verify

    def counting(password_hash: str, password: str) -> bool:
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            return real(password_hash, password)
        finally:
            running -= 1

    monkeypatch.setattr(auth, "_verify", counting)
    await asyncio.gather(*(auth.log_in(sessions, f"nobody-{n}", "x", utcnow()) for n in range(12)))
    assert 1 <= most <= auth.HASHING_AT_ONCE


async def test_one_address_gets_twenty_login_attempts_a_minute(
    add_staff: Callable[..., Awaitable[int]], browser: Callable[[], Staff]
) -> None:
    await add_staff("ana")
    for n in range(auth.LOGINS_PER_ADDRESS_A_MINUTE):
        assert (await browser().log_in(f"nobody-{n}", "guess")).status == 200
    refused = await browser().log_in("ana")  # the right password, from the same address, now waits
    assert refused.status == 429 and refused.headers["Retry-After"] == "60"


def test_the_address_throttle_forgets_after_a_minute_and_stays_small() -> None:
    throttle = auth.AddressThrottle(per_minute=2, addresses=3)
    assert throttle.allow("a", 0) and throttle.allow("a", 1) and not throttle.allow("a", 2)
    assert throttle.allow("a", 62)  # the first two are more than a minute old
    for address in "bcde":
        throttle.allow(address, 63)
    assert len(throttle.seen) == 3 and "a" not in throttle.seen
