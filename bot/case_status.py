"""The case workflow for staff: status changes, reassignments, publishing; recorded, audited, told."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot import followups
from bot.outbound import send_to_citizen
from bot.settings import Settings
from bot.texts import status_name, text
from storage import audit as audit_rows
from storage import cases, citizens, supporters
from storage.engine import AsyncSession
from storage.models import OPEN_STATUSES, Author, Case, CaseEvent, CaseStatus, Message, utcnow

S = CaseStatus
# Where a case may go from each status. Reopening is allowed until a case is closed for good.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.OPEN: (S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.DUPLICATE),
    S.ACKNOWLEDGED: (S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.DUPLICATE),
    S.IN_PROGRESS: (S.RESOLVED, S.REJECTED, S.DUPLICATE),
    S.RESOLVED: (S.CLOSED, S.IN_PROGRESS),
    S.CLOSED: (),
    S.REJECTED: (S.OPEN,),
    S.DUPLICATE: (S.OPEN,),
    S.REOPENED: (S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.DUPLICATE),
}


class TransitionRefused(ValueError):
    """The case cannot go from its status to the one asked for."""


@dataclass(frozen=True)
class Staff:
    """Who acts: the audit trail names them."""

    id: int
    username: str


@dataclass(frozen=True)
class Change:
    event: CaseEvent
    notice: Message | None  # what the citizen was told, if they could be reached
    told: int = 0  # how many people were told: the citizen and the supporters who could be reached


def next_statuses(case: Case) -> tuple[str, ...]:
    return TRANSITIONS.get(case.status, ())


async def change_status(
    session: AsyncSession,
    settings: Settings,
    case: Case,
    to: str,
    *,
    staff: Staff,
    note: str | None = None,
    tell_note: bool = False,
    tell: bool = True,
) -> Change:
    """Move the case, append its event and the audit record, and tell its citizen and supporters with
    the code (unless `tell` is False: the caller tells them its own way)."""
    if to not in next_statuses(case):
        raise TransitionRefused(f"{case.status} → {to}")
    before = move(case, to)
    event = await _record(session, case, "status", before, to, staff=staff, note=note)
    await followups.schedule(session, settings, case, event)  # "was it fixed?", if it closed the case
    notices = await notify(session, settings, case, note=note if tell_note else None) if tell else []
    return Change(event, notices[0] if notices else None, len(notices))


def move(case: Case, to: str) -> str:
    """Set the case's status, its closing time and what a status implies, whoever moves it (staff here,
    the citizen answering a follow-up); the status it had."""
    before, now = case.status, utcnow()
    case.status, case.updated_at = to, now
    case.closed_at = None if to in OPEN_STATUSES else now
    if to != S.DUPLICATE:
        case.duplicate_of_id = None  # a duplicate reopened is a case of its own again
    return before


async def notify(
    session: AsyncSession, settings: Settings, case: Case, *, note: str | None, skip: int | None = None
) -> list[Message]:
    """Tell everyone who cares (its citizen and its supporters) the case's new status; not `skip`, the
    citizen whose own answer moved it (the conversation already told them)."""

    def news(language: str) -> str:
        service, status = (
            settings.service_name(case.service_code, language),
            status_name(case.status, language),
        )
        body = text("case_status_changed", language, code=case.code, service=service, status=status)
        return body + text("case_status_note", language, note=note) if note else body

    people = [p for p in await supporters.people_of(session, case) if p != skip]
    return await tell(session, people, news, fallback=case.language)


async def tell(
    session: AsyncSession, people: list[int], body_in: Callable[[str], str], *, fallback: str
) -> list[Message]:
    """Send each citizen the body in their language (`fallback` when not known), on the channel they
    last used; what was sent (nothing for who cannot be reached)."""
    sent = []
    for citizen_id in people:
        citizen = await citizens.get_citizen(session, citizen_id)
        language = citizen.language or fallback
        body = body_in(language)
        message = await send_to_citizen(session, citizen_id, body, author=Author.SYSTEM, language=language)
        if message is not None:
            sent.append(message)
    return sent


async def reassign(
    session: AsyncSession, settings: Settings, case: Case, department: str, *, staff: Staff, note: str | None
) -> CaseEvent:
    """Hand the case to another department; recorded in its history and the audit trail."""
    if department not in settings.departments:
        raise TransitionRefused(f"unknown department {department!r}")
    if department == case.department:
        raise TransitionRefused("the case is already there")
    before = case.department
    case.department, case.updated_at = department, utcnow()
    return await _record(session, case, "department", before, department, staff=staff, note=note)


# Staff's choice on publishing a case's description (Open311, masked): their decision, or none.
PUBLISH_CHOICES: dict[str, bool | None] = {"citizen": None, "yes": True, "no": False}


def publish_choice(case: Case) -> str:
    return next(name for name, value in PUBLISH_CHOICES.items() if value is case.description_public)


async def publish_description(session: AsyncSession, case: Case, choice: str, *, staff: Staff) -> CaseEvent:
    """Publish the description (masked) whatever the citizen answered, withhold it, or leave it to the
    citizen's answer ("citizen"); in the case's history and the audit trail. The case does not move."""
    if choice not in PUBLISH_CHOICES:
        raise TransitionRefused(f"unknown choice {choice!r}")
    before = publish_choice(case)
    if choice == before:
        raise TransitionRefused("it already is")
    case.description_public = PUBLISH_CHOICES[choice]
    return await _record(session, case, "publish", before, choice, staff=staff, note=None)


async def _record(
    session: AsyncSession,
    case: Case,
    kind: str,
    before: str | None,
    after: str,
    *,
    staff: Staff,
    note: str | None,
) -> CaseEvent:
    """A staff member's change of the case: in its history (seen by whoever reads the case) and in the
    audit trail (action "case.<kind>")."""
    event = await cases.add_case_event(
        session, case, kind, actor="staff", from_value=before, to_value=after, note=note, staff_id=staff.id
    )
    await audit_rows.audit(
        session,
        actor=staff.username,
        action=f"case.{kind}",
        target_type="case",
        target_id=case.code,
        from_value=before,
        to_value=after,
        staff_id=staff.id,
        detail={"note": note} if note else None,
    )
    return event
