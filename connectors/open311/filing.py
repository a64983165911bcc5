"""File an Open311 request as a case, through the same code path as chat, in the citizen's history."""

from __future__ import annotations

from typing import Any

from bot import metrics
from bot.cases import NewCase, file_case
from bot.settings import Settings
from connectors.open311.documents import MEDIA_URL_KIND
from connectors.open311.parser import Contact, NewRequest
from storage import citizens, conversations, messages
from storage.engine import AsyncSession
from storage.models import ApiKey, Author, Case, Citizen, Direction

CHANNEL = "open311"


async def find_citizen(session: AsyncSession, contact: Contact, language: str) -> Citizen | None:
    """The citizen with this phone, else this e-mail; a new one if neither is known; None without either.

    A known citizen is not changed: an app's claim is enough to file on their behalf, not to rewrite
    how the city reaches them.
    """
    if contact.phone is None and contact.email is None:
        return None
    found = await citizens.citizen_by_phone(session, contact.phone) if contact.phone else None
    if found is None and contact.email is not None:
        found = await citizens.citizen_by_email(session, contact.email)
    if found is not None:
        return found
    return await citizens.add_citizen(
        session, language=language, display_name=contact.name, phone_e164=contact.phone, email=contact.email
    )


def _raw(request: NewRequest, key: ApiKey) -> dict[str, Any]:
    """What the app sent, for the audit trail (never published); the key only by name."""
    contact = request.contact
    return {
        "api_key_name": key.name,
        "service_code": request.service_code,
        "lat": request.latitude,
        "long": request.longitude,
        "address_string": request.address,
        "media_url": request.media_url,
        "attributes": request.attributes,
        "device_id": contact.device_id,
        "account_id": contact.account_id,
    }


async def file_request(session: AsyncSession, settings: Settings, request: NewRequest, key: ApiKey) -> Case:
    """Create the case and, when the citizen is known, the message that puts it in their history."""
    citizen = await find_citizen(session, request.contact, request.language)
    media = (
        [{"url": request.media_url, "content_type": "", "kind": MEDIA_URL_KIND}] if request.media_url else []
    )
    new = NewCase(
        service=request.service_code,
        description=request.description or "",
        address=request.address,
        latitude=request.latitude,
        longitude=request.longitude,
        attachments=tuple(media),
        attributes=request.attributes or {},
    )
    case = await file_case(
        session, settings, citizen=citizen, new=new, channel=CHANNEL, language=request.language
    )
    if citizen is not None:
        # The conversation is only joined, not steered: its last channel stays the one the citizen
        # chats on, so staff replies still reach them there.
        conversation = await conversations.conversation_for_update(session, citizen.id)
        await messages.add_message(
            session,
            citizen_id=citizen.id,
            conversation_id=conversation.id,
            direction=Direction.IN,
            author=Author.CITIZEN,
            channel=CHANNEL,
            address=f"{CHANNEL}:{key.name}",
            provider_message_id=f"case:{case.code}",
            text=request.description,
            attachments=media or None,
            latitude=request.latitude,
            longitude=request.longitude,
            language=request.language,
            raw=_raw(request, key),
        )
    metrics.MESSAGES_IN.labels(CHANNEL).inc()
    return case
