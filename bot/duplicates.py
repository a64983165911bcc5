"""Staff mark a case as a duplicate of another: its people join the surviving case, and all are told.

The case becomes `duplicate` (through the one status change, so its history, the audit trail and what
follows a closing are the same as for any other), points at the surviving case, and its citizen and
supporters become supporters of the surviving one. Everyone on either case, reporters and supporters, is
told once, on their own channel and language, with the surviving code.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.case_status import Change, Staff, TransitionRefused, change_status, tell
from bot.settings import Settings
from bot.texts import text
from storage import audit as audit_rows
from storage import cases as case_rows
from storage import supporters
from storage.engine import AsyncSession
from storage.models import Case, CaseStatus
from storage.scope import Scope


class NoSuchCase(TransitionRefused):
    """The surviving case's code names no case the staff member may see, or the case itself."""


async def mark_duplicate(
    session: AsyncSession,
    settings: Settings,
    case: Case,
    survivor_code: str,
    *,
    staff: Staff,
    scope: Scope = None,
    note: str | None = None,
) -> Change:
    """Mark `case` (locked by the caller) a duplicate of the case with `survivor_code`."""
    code = survivor_code.strip().upper().replace(" ", "")
    if len(code) == 6:
        code = f"{code[:3]}-{code[3:]}"
    survivor = await case_rows.case_by_code(session, code, lock=True, scope=scope) if code else None
    if survivor is None or survivor.id == case.id:
        raise NoSuchCase(survivor_code)
    if survivor.status == CaseStatus.DUPLICATE:
        raise TransitionRefused(f"{survivor.code} is itself a duplicate")
    told_before = await supporters.people_of(session, case)
    survivors_people = await supporters.people_of(session, survivor)
    detail = f"→ {survivor.code}" + (f": {note}" if note else "")
    change = await change_status(
        session, settings, case, CaseStatus.DUPLICATE, staff=staff, note=detail, tell=False
    )
    case.duplicate_of_id = survivor.id
    for citizen_id in told_before:
        supporter = await _channel_of(session, case, citizen_id)
        await supporters.add_supporter(session, survivor, citizen_id, channel=supporter)
    await case_rows.add_case_event(
        session, survivor, "duplicate_joined", actor="staff", from_value=case.code, staff_id=staff.id
    )
    await audit_rows.audit(
        session,
        actor=staff.username,
        action="case.duplicate_of",
        target_type="case",
        target_id=case.code,
        from_value=None,
        to_value=survivor.code,
        staff_id=staff.id,
        detail={"note": note} if note else None,
    )
    joined = _news("case_duplicate_of", case, survivor, settings)
    notices = await tell(session, told_before, joined, fallback=case.language)
    others = [c for c in survivors_people if c not in told_before]
    survives = _news("case_duplicate_joined", case, survivor, settings)
    notices += await tell(session, others, survives, fallback=survivor.language)
    return Change(change.event, notices[0] if notices else None, len(notices))


async def _channel_of(session: AsyncSession, case: Case, citizen_id: int) -> str:
    """The channel the citizen came to the duplicate by: theirs as a supporter, or the case's own."""
    for supporter in await supporters.supporters_of(session, case.id):
        if supporter.citizen_id == citizen_id:
            return supporter.channel
    return case.channel


def _news(key: str, case: Case, survivor: Case, settings: Settings) -> Callable[[str], str]:
    def body(language: str) -> str:
        service = settings.service_name(survivor.service_code, language)
        return text(key, language, code=case.code, survivor=survivor.code, service=service)

    return body
