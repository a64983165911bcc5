"""What supervisors do about a citizen's data from the profile: hold an erasure (an open legal matter) and
lift the hold, erase, correct the name. Each is audited without personal data (no reason, no names), and
the operations a citizen could ask for are recorded as data requests started in the inbox."""

from __future__ import annotations

from dataclasses import dataclass

from bot import data_requests
from bot.erasure import Erased, Held, erase_citizen
from bot.settings import Settings
from inbox.auth import StaffMember
from inbox.data_requests import Refused
from storage import audit, citizens
from storage import data_requests as request_rows
from storage.engine import AsyncSession
from storage.models import Citizen, DataRequest, DataRequestKind, DataRequestStatus, utcnow

MAX_REASON = 1000
MAX_NAME = 200
CONFIRM_WORD = "BORRAR"  # typed to erase: a click alone is too easy


@dataclass(frozen=True)
class Outcome:
    """What lifting a hold or erasing did: the erasure, if one happened (its media go after the commit)."""

    erased: Erased | None = None


async def _citizen(session: AsyncSession, citizen_id: int) -> Citizen:
    try:
        citizen = await citizens.get_citizen(session, citizen_id)
    except LookupError:
        raise Refused("no_such_citizen") from None
    if citizen.erased_at is not None:
        raise Refused("citizen_erased")
    return citizen


async def _audit(
    session: AsyncSession, staff: StaffMember, action: str, citizen_id: int, **detail: object
) -> None:
    await audit.audit(
        session,
        actor=staff.username,
        action=action,
        target_type="citizen",
        target_id=str(citizen_id),
        staff_id=staff.id,
        detail=dict(detail) or None,
    )


async def hold(session: AsyncSession, citizen_id: int, reason: str, staff: StaffMember) -> None:
    """Hold this citizen's erasure with a written reason. An erasure the citizen is still confirming is
    held at their last yes (bot/erasure_dialogue.py), so only confirmed erasures are ever held."""
    reason = reason.strip()[:MAX_REASON]
    if not reason:
        raise Refused("reason_needed")
    citizen = await _citizen(session, citizen_id)
    citizen.erasure_hold, citizen.erasure_hold_by, citizen.erasure_hold_at = reason, staff.id, utcnow()
    await _audit(session, staff, "citizen.erasure_hold", citizen_id)


async def lift(session: AsyncSession, settings: Settings, citizen_id: int, staff: StaffMember) -> Outcome:
    """Lift the hold; an erasure it held is carried out now (the citizen already confirmed it)."""
    citizen = await _citizen(session, citizen_id)
    if citizen.erasure_hold is None:
        raise Refused("not_held")
    citizen.erasure_hold = citizen.erasure_hold_by = citizen.erasure_hold_at = None
    waiting = await request_rows.of_citizen_in(
        session, citizen_id, DataRequestKind.ERASE, DataRequestStatus.HELD
    )
    await _audit(session, staff, "citizen.erasure_hold_lifted", citizen_id, requests=[r.id for r in waiting])
    if not waiting:
        return Outcome()
    await session.flush()
    erased = await erase_citizen(session, settings, citizen_id, by="citizen", actor=staff.username)
    for request in waiting:
        _done(request, staff)
        request.note = None  # the hold's reason may name the person; the audit keeps that there was one
    return Outcome(erased)


async def erase(
    session: AsyncSession, settings: Settings, citizen_id: int, typed: str, staff: StaffMember
) -> Outcome:
    """Erase this citizen now, as if they had asked (raises bot.erasure.Held under a hold)."""
    if typed.strip() != CONFIRM_WORD:
        raise Refused("type_borrar")
    citizen = await _citizen(session, citizen_id)
    if citizen.erasure_hold:
        raise Held(citizen.erasure_hold)  # erase_citizen refuses too; nothing is recorded for a refusal
    request = await data_requests.record(
        session, settings, citizen_id, DataRequestKind.ERASE, "inbox", staff_id=staff.id
    )
    erased = await erase_citizen(
        session, settings, citizen_id, by="staff", staff_id=staff.id, actor=staff.username
    )
    _done(request, staff)
    await audit.audit(
        session,
        actor=staff.username,
        action="data_request.erase",
        target_type="data_request",
        target_id=str(request.id),
        to_value=DataRequestStatus.DONE,
        staff_id=staff.id,
        detail={"kind": DataRequestKind.ERASE, "cases": erased.cases, "messages": erased.messages},
    )
    return Outcome(erased)


async def rename(
    session: AsyncSession, settings: Settings, citizen_id: int, name: str, staff: StaffMember
) -> None:
    """Correct the citizen's name (or remove it, left empty); recorded as a correction done in the inbox."""
    citizen = await _citizen(session, citizen_id)
    citizen.display_name = " ".join(name.split())[:MAX_NAME] or None
    request = await data_requests.record(
        session,
        settings,
        citizen_id,
        DataRequestKind.CORRECT,
        "inbox",
        status=DataRequestStatus.DONE,
        staff_id=staff.id,
    )
    await _audit(session, staff, "citizen.rename", citizen_id, request=request.id)


def _done(request: DataRequest, staff: StaffMember) -> None:
    request.status, request.done_at, request.staff_id = DataRequestStatus.DONE, utcnow(), staff.id
