"""Staff accounts: argon2 passwords, lock-out after failed logins, sessions kept only as token hashes."""

from __future__ import annotations

import collections
import functools
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.threads import Bounded
from storage import audit as audit_rows
from storage import staff as store
from storage.engine import AsyncSession, async_sessionmaker
from storage.models import StaffUser
from storage.scope import Scope, scope_of

ROLES = ("agent", "supervisor", "admin")  # each can do what the ones before it can
MAX_FAILED_LOGINS = 5
LOCK_OUT = timedelta(minutes=15)
IDLE_EXPIRY = timedelta(hours=2)
ABSOLUTE_EXPIRY = timedelta(hours=12)  # a working day, then log in again
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often
MIN_PASSWORD = 10
LOGINS_PER_ADDRESS_A_MINUTE = 20

_hasher = PasswordHasher()


@dataclass(frozen=True)
class StaffMember:
    """The logged-in staff member a request acts for."""

    id: int
    username: str
    role: str
    department: str | None
    language: str | None
    csrf_token: str
    departments: tuple[str, ...] = ()  # the only departments they see; empty: every department

    def at_least(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role) if self.role in ROLES else False

    @property
    def scope(self) -> Scope:
        """What every inbox query this person makes is limited to (storage.scope.Scope)."""
        return scope_of(self.departments)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# argon2 takes 64 MiB and tens of milliseconds a check: at most this many at once per process, so a burst
# of logins waits its turn instead of starving the web chat of CPU and memory.
HASHING_AT_ONCE = 2
HASHING = Bounded(HASHING_AT_ONCE)


async def verify_password(password_hash: str, password: str) -> bool:
    # argon2 is slow on purpose: off the event loop, and a bounded number at once.
    return await HASHING.run(_verify, password_hash, password)


class AddressThrottle:
    """Login attempts per client address in a sliding minute, kept in this process (each worker counts
    its own: with N workers an address gets up to N times the limit, still far below a guessing rate)."""

    def __init__(self, per_minute: int = LOGINS_PER_ADDRESS_A_MINUTE, addresses: int = 10_000) -> None:
        self.per_minute, self.addresses = per_minute, addresses
        self.seen: collections.OrderedDict[str, collections.deque[float]] = collections.OrderedDict()

    def allow(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        times = self.seen.pop(address, None) or collections.deque()
        while times and now - times[0] > 60:
            times.popleft()
        self.seen[address] = times  # most recent last; the oldest address goes first when full
        while len(self.seen) > self.addresses:
            self.seen.popitem(last=False)
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        return True


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _member(staff: StaffUser, csrf_token: str) -> StaffMember:
    return StaffMember(
        staff.id, staff.username, staff.role, staff.department, staff.language, csrf_token,
        tuple(staff.departments or ()),
    )  # fmt: skip


async def log_in(
    sessions: async_sessionmaker[AsyncSession], username: str, password: str, now: datetime
) -> str | None:
    """A new session token, or None; the answer never tells an unknown user from a wrong password.

    Each attempt takes one of the account's tries, and the lock with the fifth, in one locked write
    before the password is checked: sixty guesses at once check five passwords, not sixty (the audit's
    race let the sixtieth, right one in)."""
    async with sessions() as session, session.begin():
        staff = await store.staff_by_username(session, username, lock=True)
        usable = staff is not None and staff.active and not (staff.locked_until and staff.locked_until > now)
        if staff is not None and usable:
            staff.failed_logins += 1
            if staff.failed_logins >= MAX_FAILED_LOGINS:
                staff.locked_until = now + LOCK_OUT  # this attempt is still checked; the next ones are not
        password_hash = staff.password_hash if staff is not None else ""
        staff_id = staff.id if staff is not None else None
    if staff_id is None or not usable:
        await verify_password(_dummy_hash(), password)  # take as long as a real check
        return None
    correct = await verify_password(password_hash, password)
    async with sessions() as session, session.begin():
        staff = await store.staff_by_id(session, staff_id, lock=True)
        assert staff is not None
        if not correct:
            await _failed(session, staff)
            return None
        staff.failed_logins, staff.locked_until = 0, None
        if _hasher.check_needs_rehash(staff.password_hash):
            staff.password_hash = hash_password(password)
        token = secrets.token_urlsafe(32)
        await store.purge_staff_sessions(session, now=now, idle=IDLE_EXPIRY)
        await store.add_staff_session(
            session,
            staff_id=staff.id,
            token_hash=token_hash(token),
            csrf_token=secrets.token_urlsafe(32),
            expires_at=now + ABSOLUTE_EXPIRY,
        )
        await audit_rows.audit(
            session, actor=staff.username, action="staff.login", target_type="staff",
            target_id=str(staff.id), staff_id=staff.id,
        )  # fmt: skip
        return token


async def _failed(session: AsyncSession, staff: StaffUser) -> None:
    """A wrong password: its try was taken already; the attempt that reached the limit locked it."""
    locked = staff.locked_until is not None and staff.failed_logins >= MAX_FAILED_LOGINS
    if locked:
        staff.failed_logins = 0
    await audit_rows.audit(
        session,
        actor=staff.username,
        action="staff.locked_out" if locked else "staff.login_failed",
        target_type="staff",
        target_id=str(staff.id),
        staff_id=staff.id,
    )


async def current(
    sessions: async_sessionmaker[AsyncSession], token: str, now: datetime, *, touch: bool = True
) -> StaffMember | None:
    """The staff member whose session this token opens, if it has not expired (idle or absolute)."""
    async with sessions() as session, session.begin():
        found = await store.staff_session(session, token_hash(token))
        if found is None:
            return None
        row, staff = found
        if row.expires_at <= now or row.last_seen_at <= now - IDLE_EXPIRY or not staff.active:
            await store.end_staff_session(session, row.token_hash)
            return None
        if touch and now - row.last_seen_at >= TOUCH_EVERY:
            row.last_seen_at = now
        return _member(staff, row.csrf_token)


async def log_out(sessions: async_sessionmaker[AsyncSession], token: str, member: StaffMember) -> None:
    async with sessions() as session, session.begin():
        await store.end_staff_session(session, token_hash(token))
        await audit_rows.audit(
            session, actor=member.username, action="staff.logout", target_type="staff",
            target_id=str(member.id), staff_id=member.id,
        )  # fmt: skip
