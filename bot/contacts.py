"""Phone calls and visits staff record (issue 18): the caller found or created by number, the contact kept
as a message of their one history, and maybe a case filed on their behalf that then travels by SMS/WhatsApp.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.case_status import Staff
from bot.cases import NewCase, UnknownService, file_case
from bot.outbound import send_to_citizen
from bot.settings import Settings
from bot.texts import text
from connectors.channels import PHONE, RECORDED
from connectors.phones import NotAPhoneNumber, normalise_phone
from storage import audit as audit_rows
from storage import citizens as citizen_rows
from storage import conversations
from storage import messages as message_rows
from storage.engine import AsyncSession
from storage.models import Author, Case, Citizen, Direction, Message, utcnow

MAX_SUMMARY = 4000
MAX_NAME = 200
# A clock a minute ahead of the server's is not "the future"; a contact older than this is a typo.
CLOCK_SLACK = timedelta(minutes=2)
OLDEST = timedelta(days=366)


class Refused(ValueError):
    """The form cannot be kept as it is: `field` is what to fix, `error` the inbox's words for why."""

    def __init__(self, field: str, error: str) -> None:
        super().__init__(error)
        self.field, self.error = field, error


@dataclass(frozen=True)
class Contact:
    """What the agent wrote down: how the citizen reached the city, when, what was said, maybe a case."""

    channel: str  # phone | in_person
    summary: str
    at: datetime
    case: NewCase | None = None


def parse_time(raw: str, settings: Settings, now: datetime) -> datetime:
    """A datetime-local field ("2026-12-07T09:30") read in the city's zone; empty is now; never future."""
    if not raw.strip():
        return now
    try:
        local = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise Refused("at", "contact_error_time") from None
    at = (local if local.tzinfo else local.replace(tzinfo=settings.city.zone)).astimezone(now.tzinfo)
    if at > now + CLOCK_SLACK:
        raise Refused("at", "contact_error_future")
    if at > now - timedelta(minutes=1):
        return now  # the field's default has no seconds: it would sort before what was said this minute
    if at < now - OLDEST:
        raise Refused("at", "contact_error_too_old")
    return at


def contact_of(form: dict[str, str], settings: Settings, now: datetime) -> Contact:
    """The posted form as a `Contact`; `Refused` names the first field to fix."""
    channel = form.get("channel", "")
    if channel not in RECORDED:
        raise Refused("channel", "contact_error_channel")
    summary = form.get("summary", "").strip()
    if not summary:
        raise Refused("summary", "contact_error_summary")
    if len(summary) > MAX_SUMMARY:
        raise Refused("summary", "contact_error_too_long")
    at = parse_time(form.get("at", ""), settings, now)
    service = form.get("service", "")
    if not service:
        return Contact(channel, summary, at)
    if service not in settings.services:
        raise Refused("service", "contact_error_service")
    description = form.get("description", "").strip()[:MAX_SUMMARY]
    if not description:
        raise Refused("description", "contact_error_description")
    place = form.get("place", "").strip()[:500] or None
    return Contact(channel, summary, at, NewCase(service=service, description=description, address=place))


def phone_of(raw: str, settings: Settings) -> str:
    try:
        return normalise_phone(raw, settings.city.phone_region)
    except NotAPhoneNumber:
        raise Refused("phone", "contact_error_phone") from None


async def caller(session: AsyncSession, settings: Settings, phone: str | None, name: str | None) -> Citizen:
    """The citizen who writes from this number on SMS or WhatsApp (or has it on file); else a new one whose
    number is an SMS identity, so case news reaches them and a later WhatsApp or SMS from the number joins
    their history (bot/citizens.py finds a phone's owner by `phone_e164`). Without a number: a new citizen
    known by name only."""
    if phone is None:
        if not name:
            raise Refused("phone", "contact_error_who")
        return await citizen_rows.add_citizen(
            session, language=settings.city.default_language, display_name=name[:MAX_NAME]
        )
    citizen = None
    for channel in sorted(PHONE):
        identity = await citizen_rows.find_identity(session, channel, phone)
        if identity is not None:
            citizen = await citizen_rows.get_citizen(session, identity.citizen_id)
            break
    else:
        citizen = await citizen_rows.citizen_by_phone(session, phone)
    if citizen is None:
        citizen = await citizen_rows.add_citizen(
            session,
            language=settings.city.default_language,
            display_name=name[:MAX_NAME] if name else None,
            phone_e164=phone,
        )
    elif name and not citizen.display_name:  # a name the agent heard fills a gap, never replaces one
        citizen.display_name = name[:MAX_NAME]
    return await _reachable(session, citizen)


async def _reachable(session: AsyncSession, citizen: Citizen) -> Citizen:
    """A citizen with a number but no channel to be told on gets SMS to that number: the way case news
    goes to someone who never wrote (the WhatsApp window is closed to them)."""
    conversation = await conversations.conversation_for_update(session, citizen.id)
    if conversation.last_channel or not citizen.phone_e164:
        return citizen
    phone = citizen.phone_e164
    if await citizen_rows.find_identity(session, "sms", phone) is None:
        await citizen_rows.add_identity(session, citizen.id, "sms", phone, citizen.display_name)
    conversation.last_channel, conversation.last_address = "sms", phone
    return citizen


async def record(
    session: AsyncSession, settings: Settings, citizen: Citizen, contact: Contact, staff: Staff
) -> tuple[Message, Case | None]:
    """Keep the contact in the citizen's history (a message "in" on its channel, written by the staff
    member), file its case if any and tell the citizen its code where they can be reached; audited."""
    conversation = await conversations.conversation_for_update(session, citizen.id)
    message = await message_rows.add_message(
        session,
        citizen_id=citizen.id,
        conversation_id=conversation.id,
        direction=Direction.IN,
        author=Author.STAFF,
        staff_id=staff.id,
        channel=contact.channel,
        # Retention and erasure blank the address with the words; a visitor without a number has this.
        address=citizen.phone_e164 or contact.channel,
        text=contact.summary,
        language=citizen.language,
        created_at=contact.at,
    )
    case = None
    if contact.case is not None:
        try:
            case = await file_case(
                session, settings, citizen=citizen, new=contact.case, channel=contact.channel,
                language=citizen.language, staff_id=staff.id,
            )  # fmt: skip
        except UnknownService:
            raise Refused("service", "contact_error_service") from None
        language = citizen.language
        service = settings.service_name(case.service_code, language)
        body = text(f"case_filed_for_you_{contact.channel}", language, code=case.code, service=service)
        await send_to_citizen(session, citizen.id, body, author=Author.SYSTEM, language=language)
    await audit_rows.audit(
        session,
        actor=staff.username,
        action=f"contact.{contact.channel}",
        target_type="citizen",
        target_id=str(citizen.id),
        to_value=case.code if case else None,
        staff_id=staff.id,
        detail={"message_id": message.id, "at": contact.at.isoformat(), "recorded_at": utcnow().isoformat()},
    )
    return message, case
