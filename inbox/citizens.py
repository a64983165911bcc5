"""What staff change about a citizen: preferential attention, and merging two records of one person."""

from __future__ import annotations

from inbox.auth import StaffMember
from storage import audit, citizens, conversations, preferential
from storage import cases as case_rows
from storage.engine import AsyncSession
from storage.models import Citizen, Conversation, Holder
from storage.preferential import PREFERENTIAL_PRIORITY


class Refused(Exception):
    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


async def _citizen(session: AsyncSession, citizen_id: int) -> Citizen:
    try:
        return await citizens.get_citizen(session, citizen_id)
    except LookupError:
        raise Refused("no_such_citizen") from None


async def set_preferential(
    session: AsyncSession, citizen_id: int, kind: str | None, reason: str | None, staff: StaffMember
) -> None:
    """Set (with its reason) or clear preferential attention; it moves the citizen and their open cases up."""
    if kind is not None and kind not in preferential.KINDS:
        raise Refused("bad_kind")
    if kind is not None and not reason:
        raise Refused("reason_needed")
    citizen = await _citizen(session, citizen_id)
    before = citizen.preferential
    if kind is not None:
        changed = await preferential.grant(
            session, citizen, kind=kind, words=reason, channel=preferential.INBOX, staff_id=staff.id
        )
    else:
        changed = await preferential.withdraw(
            session, citizen, channel=preferential.INBOX, words=reason or None, staff_id=staff.id
        )
    await audit.audit(
        session,
        actor=staff.username,
        action="citizen.preferential",
        target_type="citizen",
        target_id=str(citizen_id),
        from_value=before,
        to_value=kind,
        staff_id=staff.id,
        detail={"reason": reason, "cases_reprioritised": changed},
    )


def _carry_over(source: Conversation, target: Conversation) -> None:
    """The merged citizen keeps a place in the queue and the channel they wrote on last."""
    if source.holder != Holder.BOT and target.holder == Holder.BOT:
        target.holder, target.assigned_staff_id = source.holder, source.assigned_staff_id
        target.waiting_since, target.handoff_reason = source.waiting_since, source.handoff_reason
        target.first_response_at = source.first_response_at
    if source.last_channel and (not target.last_channel or source.updated_at > target.updated_at):
        target.last_channel, target.last_address = source.last_channel, source.last_address


async def merge(session: AsyncSession, *, source_id: int, target_id: int, staff: StaffMember) -> None:
    """Move identities, conversation, messages and cases of `source` to `target`; one transaction."""
    if source_id == target_id:
        raise Refused("same_citizen")
    source, target = await _citizen(session, source_id), await _citizen(session, target_id)
    source_profile = await citizens.profile(session, source_id)
    assert source_profile is not None
    _carry_over(
        await conversations.conversation_for_update(session, source_id),
        await conversations.conversation_for_update(session, target_id),
    )
    if target.preferential is None and source.preferential is not None:
        target.preferential, target.preferential_reason = source.preferential, source.preferential_reason
    target.display_name = target.display_name or source.display_name
    target.email = target.email or source.email
    preferential = target.preferential is not None
    await conversations.move_first_responses(session, source_id, target_id)
    await audit.audit(
        session,
        actor=staff.username,
        action="citizen.merge",
        target_type="citizen",
        target_id=str(target_id),
        from_value=f"citizen:{source_id}",
        to_value=f"citizen:{target_id}",
        staff_id=staff.id,
        detail={
            "identities": [f"{i.channel}:{i.address}" for i in source_profile.identities],
            "cases": [c.code for c in source_profile.cases],
        },
    )
    await citizens.merge_citizens(session, source=source, target=target)
    if preferential:
        await case_rows.set_open_case_priority(session, target_id, PREFERENTIAL_PRIORITY)
