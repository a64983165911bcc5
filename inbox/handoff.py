"""What staff do with a conversation: claim, assign, release, hand back, reply, note — each audited."""

from __future__ import annotations

from datetime import datetime

from bot import ratings
from bot.outbound import send_to_citizen
from bot.settings import Settings
from bot.texts import text
from bot.words import clean_text
from inbox.auth import StaffMember
from storage import audit as audit_rows
from storage import citizens, conversations, messages, scope
from storage import staff as staff_store
from storage.engine import AsyncSession
from storage.models import Author, Conversation, Direction, Holder, Message, StaffUser

MAX_REPLY_CHARS = 4000


class Refused(Exception):
    """The action does not apply now; `notice` names the message shown to the staff member."""

    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


def may_take(conversation: Conversation, staff: StaffMember) -> bool:
    """Anyone may take a conversation nobody holds; one a colleague holds, only a supervisor."""
    held_by_other = conversation.holder == Holder.STAFF and conversation.assigned_staff_id not in (
        None,
        staff.id,
    )
    return not held_by_other or staff.at_least("supervisor")


async def _holder_name(session: AsyncSession, conversation: Conversation) -> str:
    """Who holds the conversation, for the audit trail: "waiting", "bot" or "staff:<username>"."""
    if conversation.holder == Holder.STAFF and conversation.assigned_staff_id:
        names = await staff_store.staff_names(session, {conversation.assigned_staff_id})
        return f"staff:{names.get(conversation.assigned_staff_id, conversation.assigned_staff_id)}"
    return str(conversation.holder)


async def _audit(
    session: AsyncSession,
    staff: StaffMember,
    action: str,
    conversation: Conversation,
    before: str,
    after: str,
) -> None:
    await audit_rows.audit(
        session,
        actor=staff.username,
        action=f"conversation.{action}",
        target_type="conversation",
        target_id=str(conversation.id),
        from_value=before,
        to_value=after,
        staff_id=staff.id,
        detail={"citizen_id": conversation.citizen_id},
    )


async def claim(session: AsyncSession, conversation: Conversation, staff: StaffMember) -> None:
    await assign(session, conversation, staff, staff.id, staff.username, action="claim")


async def assign(
    session: AsyncSession,
    conversation: Conversation,
    staff: StaffMember,
    to_id: int,
    to_name: str,
    *,
    action: str = "assign",
) -> None:
    if not may_take(conversation, staff):
        raise Refused("held_by_colleague")
    if conversation.holder == Holder.STAFF and conversation.assigned_staff_id == to_id:
        raise Refused("already_there")
    before = await _holder_name(session, conversation)
    conversation.holder, conversation.assigned_staff_id = Holder.STAFF, to_id
    await _audit(session, staff, action, conversation, before, f"staff:{to_name}")


async def release(
    session: AsyncSession, conversation: Conversation, staff: StaffMember, now: datetime
) -> None:
    """Back to the queue, keeping its place (the wait started when the citizen asked)."""
    if conversation.holder != Holder.STAFF:
        raise Refused("not_held")
    if not may_take(conversation, staff):
        raise Refused("held_by_colleague")
    before = await _holder_name(session, conversation)
    conversation.holder, conversation.assigned_staff_id = Holder.WAITING, None
    conversation.waiting_since = conversation.waiting_since or now
    await _audit(session, staff, "release", conversation, before, Holder.WAITING)


async def hand_back(
    session: AsyncSession, conversation: Conversation, staff: StaffMember, settings: Settings
) -> Message | None:
    """The bot answers again, from a fresh dialogue; the citizen is told so, and may be asked to rate
    the person who answered (bot/ratings.py)."""
    if conversation.holder == Holder.BOT:
        raise Refused("not_held")
    if not may_take(conversation, staff):
        raise Refused("held_by_colleague")
    before = await _holder_name(session, conversation)
    citizen = await citizens.get_citizen(session, conversation.citizen_id)
    language = citizen.language or "es"
    question = await ratings.ask(session, settings, conversation, language)  # before this hand-back's audit
    conversation.holder, conversation.assigned_staff_id = Holder.BOT, None
    conversation.waiting_since, conversation.state = None, question.state if question else {}
    await _audit(session, staff, "hand_back", conversation, before, Holder.BOT)
    body = text("handed_back", language) + (f"\n{question.text}" if question else "")
    buttons = question.buttons if question else ()
    return await send_to_citizen(
        session, citizen.id, body, author=Author.SYSTEM, language=language, buttons=buttons
    )


def _clean(body: str) -> str:
    body = clean_text(body.replace("\r\n", "\n"))
    if not body:
        raise Refused("empty")
    if len(body) > MAX_REPLY_CHARS:
        raise Refused("too_long")
    return body


async def reply(
    session: AsyncSession, conversation: Conversation, staff: StaffMember, body: str, now: datetime
) -> Message:
    """Send text to the citizen on their last channel; replying takes the conversation if nobody has it."""
    body = _clean(body)
    if not conversation.last_channel:
        raise Refused("no_channel")
    if not may_take(conversation, staff):
        raise Refused("held_by_colleague")
    if conversation.holder != Holder.STAFF or conversation.assigned_staff_id is None:
        await claim(session, conversation, staff)
    waited = conversation.waiting_since
    if waited is not None and (
        conversation.first_response_at is None or conversation.first_response_at < waited
    ):
        conversation.first_response_at = now
        await conversations.add_first_response(
            session,
            citizen_id=conversation.citizen_id,
            department=await scope.citizen_department(session, conversation.citizen_id),
            staff_id=staff.id,
            waiting_since=waited,
            responded_at=now,
        )
    citizen = await citizens.get_citizen(session, conversation.citizen_id)
    message = await send_to_citizen(
        session, citizen.id, body, author=Author.STAFF, language=citizen.language, staff_id=staff.id
    )
    assert message is not None  # the conversation has a channel
    await _audit(session, staff, "reply", conversation, "", f"message:{message.id}")
    return message


async def note(session: AsyncSession, conversation: Conversation, staff: StaffMember, body: str) -> Message:
    """An internal note on the timeline: never sent, never in the outbox."""
    body = _clean(body)
    message = await messages.add_message(
        session,
        citizen_id=conversation.citizen_id,
        conversation_id=conversation.id,
        direction=Direction.OUT,
        author=Author.STAFF,
        staff_id=staff.id,
        channel=conversation.last_channel or "inbox",
        address=conversation.last_address or "",
        text=body,
        internal=True,
        delivery_status=None,
    )
    await _audit(session, staff, "note", conversation, "", f"message:{message.id}")
    return message


async def colleague(session: AsyncSession, staff_id: int, department: str | None) -> StaffUser | None:
    """An active colleague who sees conversations of this department (None: the general queue)."""
    found = await staff_store.staff_by_id(session, staff_id)
    if found is None or not found.active or not sees(found, department):
        return None
    return found


def sees(account: StaffUser, department: str | None) -> bool:
    return scope.in_scope(scope.scope_of(account.departments), department)
