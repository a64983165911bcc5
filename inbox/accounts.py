"""Changes to staff accounts, each audited: `ventanilla staff …` and the admin page both call these, so an
account changes the same way, with the same checks and the same trail, wherever it is changed from."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inbox import auth
from storage import audit as audit_rows
from storage import staff as store
from storage.engine import AsyncSession
from storage.models import StaffUser, utcnow

USERNAME = re.compile(r"[A-Za-z0-9._@-]{2,80}")
# Temporary passwords are read off a screen and typed on a phone: no 0/o, 1/l/i look-alikes.
TEMPORARY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


@dataclass(frozen=True)
class Actor:
    """Who changes an account, for the audit trail: an admin logged in to the inbox, or the server's shell."""

    name: str
    staff_id: int | None = None


CLI = Actor("cli")


class Refused(Exception):
    """The change was not made; `notice` names why (a notice on the page, a message from the command),
    `detail` says which value (an unknown department's name, say)."""

    def __init__(self, notice: str, detail: str = "") -> None:
        super().__init__(notice, detail)
        self.notice, self.detail = notice, detail


@dataclass(frozen=True)
class Done:
    """What a change did, for the command's answer and the page's notice."""

    username: str
    before: str | None
    after: str | None
    sessions_ended: int = 0


def state(account: StaffUser, now: datetime | None = None) -> str:
    """inactive | locked | active: whether the account can log in now, and why not."""
    if not account.active:
        return "inactive"
    now = now or utcnow()
    return "locked" if account.locked_until is not None and account.locked_until > now else "active"


def password_problem(password: str) -> str | None:
    """The notice for a password no account may have, or None: one rule for the command and the page."""
    return "password_short" if len(password) < auth.MIN_PASSWORD else None


def temporary_password() -> str:
    """About 79 bits in four groups, e.g. "k7m4-qp2x-h9tr-w3nd", to read out or hand over once."""
    symbols = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(16))
    return "-".join(symbols[i : i + 4] for i in range(0, 16, 4))


def departments_of(chosen: Iterable[str], known: Collection[str]) -> list[str] | None:
    """The departments an account is limited to, in config.yml's order; None (none chosen) is every one.
    An unknown name is refused rather than dropped: a typo must not widen what someone sees."""
    wanted = {d.strip() for d in chosen if d.strip()}
    if unknown := sorted(wanted - set(known)):
        raise Refused("unknown_department", ", ".join(unknown))
    return [d for d in known if d in wanted] or None


def departments_label(departments: list[str] | None) -> str:
    """How the audit trail and the command write a limit: "sanitation,water_utility", or "all"."""
    return ",".join(departments) if departments else "all"


@dataclass(frozen=True)
class NewPassword:
    """A password that met the rule, as its argon2 hash; made by `new_password` only."""

    hash: str
    generated: bool  # a temporary one the page made up, not one a person chose


async def new_password(password: str, *, generated: bool = False) -> NewPassword:
    """Check and hash a password before the transaction that stores it opens: argon2 takes tens of
    milliseconds on purpose, and SQLite's single write lock must not wait for it."""
    if (problem := password_problem(password)) is not None:
        raise Refused(problem)
    return NewPassword(await auth.HASHING.run(auth.hash_password, password), generated)


async def _account(session: AsyncSession, who: int | str) -> StaffUser:
    """The account by id or username, locked for the rest of the transaction."""
    found = (
        await store.staff_by_id(session, who, lock=True)
        if isinstance(who, int)
        else await store.staff_by_username(session, who, lock=True)
    )
    if found is None:
        raise Refused("no_such_account", str(who))
    return found


async def _account_and_admins(session: AsyncSession, who: int | str) -> tuple[StaffUser, list[int]]:
    """The account and the active admins, all locked: the admins first and in id order, whoever the
    account is, so that two admins changing each other wait in turn instead of deadlocking."""
    admins = await store.active_admin_ids(session)
    return await _account(session, who), admins


def _keep_an_admin(account: StaffUser, admins: list[int], *, active: bool, role: str) -> None:
    """Refuse to leave no active admin: nobody could then manage accounts from the inbox."""
    if account.id in admins and not (active and role == "admin") and not set(admins) - {account.id}:
        raise Refused("last_admin", account.username)


async def _audit(
    session: AsyncSession, actor: Actor, action: str, account: StaffUser, done: Done, **detail: Any
) -> Done:
    await audit_rows.audit(
        session, actor=actor.name, action=f"staff.{action}", target_type="staff", target_id=str(account.id),
        from_value=done.before, to_value=done.after, staff_id=actor.staff_id, detail=detail or None,
    )  # fmt: skip
    return done


async def add(
    session: AsyncSession,
    actor: Actor,
    *,
    username: str,
    password: NewPassword,
    role: str,
    known: Collection[str],
    department: str | None = None,
    departments: Iterable[str] = (),
) -> StaffUser:
    """Create an account. `department` is where the person works (shown to colleagues); `departments`
    limits what they see (none: every department)."""
    if not USERNAME.fullmatch(username):
        raise Refused("bad_username", username)
    if role not in auth.ROLES:
        raise Refused("bad_role", role)
    if department is not None and department not in known:
        raise Refused("unknown_department", department)
    limit = departments_of(departments, known)
    if await store.staff_by_username(session, username) is not None:
        raise Refused("username_taken", username)
    account = await store.add_staff(
        session, username=username, password_hash=password.hash, role=role, department=department,
        departments=limit,
    )  # fmt: skip
    done = Done(username, None, f"{username} ({role})")
    detail: dict[str, Any] = {"departments": limit} if limit else {}
    if password.generated:
        detail["generated"] = True
    await _audit(session, actor, "add", account, done, **detail)
    return account


async def deactivate(session: AsyncSession, actor: Actor, who: int | str) -> Done:
    """The account can no longer log in, and every session it has ends now."""
    account, admins = await _account_and_admins(session, who)
    if not account.active:
        raise Refused("already_there", account.username)
    _keep_an_admin(account, admins, active=False, role=account.role)
    before = state(account)
    account.active = False
    ended = await store.end_sessions_of(session, account.id)
    done = Done(account.username, before, state(account), ended)
    return await _audit(session, actor, "deactivate", account, done, sessions_ended=ended)


async def reactivate(session: AsyncSession, actor: Actor, who: int | str) -> Done:
    """The account can log in again: active, and unlocked if failed logins had locked it."""
    account = await _account(session, who)
    before = state(account)
    account.active, account.failed_logins, account.locked_until = True, 0, None
    done = Done(account.username, before, state(account))
    return await _audit(session, actor, "reactivate", account, done, sessions_ended=0)


async def revoke_sessions(session: AsyncSession, actor: Actor, who: int | str) -> Done:
    """Log the account out everywhere (a lost phone); the account itself does not change."""
    account = await _account(session, who)
    ended = await store.end_sessions_of(session, account.id)
    done = Done(account.username, state(account), state(account), ended)
    return await _audit(session, actor, "revoke_sessions", account, done, sessions_ended=ended)


async def reset_password(session: AsyncSession, actor: Actor, who: int | str, password: NewPassword) -> Done:
    """A new password (never written anywhere but as its hash); unlocks, and ends every session."""
    account = await _account(session, who)
    account.password_hash, account.failed_logins, account.locked_until = password.hash, 0, None
    ended = await store.end_sessions_of(session, account.id)
    done = Done(account.username, None, None, ended)
    return await _audit(
        session, actor, "reset_password", account, done, sessions_ended=ended, generated=password.generated
    )


async def set_role(session: AsyncSession, actor: Actor, who: int | str, role: str) -> Done:
    """Takes effect on the person's next request: sessions read the account every time."""
    if role not in auth.ROLES:
        raise Refused("bad_role", role)
    account, admins = await _account_and_admins(session, who)
    if account.role == role:
        raise Refused("already_there", account.username)
    _keep_an_admin(account, admins, active=account.active, role=role)
    done = Done(account.username, account.role, role)
    account.role = role
    return await _audit(session, actor, "role", account, done)


async def set_departments(
    session: AsyncSession, actor: Actor, who: int | str, chosen: Iterable[str], known: Collection[str]
) -> Done:
    """Limit what the account sees to these departments (none: every department), from its next request."""
    limit = departments_of(chosen, known)
    account = await _account(session, who)
    if (account.departments or None) == limit:
        raise Refused("already_there", account.username)
    done = Done(account.username, departments_label(account.departments), departments_label(limit))
    account.departments = limit
    return await _audit(session, actor, "departments", account, done)
