"""The case workflow shared by every way in (chat now, Open311 and the staff inbox later)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.settings import Settings
from storage import cases
from storage.engine import AsyncSession
from storage.models import Case, CaseStatus, Citizen
from storage.preferential import PREFERENTIAL_PRIORITY

VIA = "via "  # a new case's "created" event notes the channel it came in by: "via whatsapp"


def came_via(note: str | None) -> str | None:
    """The channel a "created" event's note names ("via rest" → "rest"), or None for any other note."""
    return note.removeprefix(VIA) if note is not None and note.startswith(VIA) else None


class UnknownService(ValueError):
    """The service code is not in the catalog."""


@dataclass(frozen=True)
class NewCase:
    """What a case is filed with, whichever way it came in (the chat's draft, an Open311 request): the
    filing needs none of the dialogue's own state."""

    service: str | None
    description: str = ""
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    attachments: tuple[dict[str, str], ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)  # answers to the service's extra questions


async def file_case(
    session: AsyncSession,
    settings: Settings,
    *,
    citizen: Citizen | None,
    new: NewCase,
    channel: str,
    language: str,
    staff_id: int | None = None,
) -> Case:
    """Create the case with its code, department and priority, and record its first event (the staff
    member's when one filed it for the citizen: a call or a visit)."""
    if new.service is None or new.service not in settings.services:
        raise UnknownService(new.service)
    service = settings.services[new.service]
    case = await cases.add_case(
        session,
        citizen_id=citizen.id if citizen else None,
        service_code=new.service,
        description=new.description,
        address=new.address,
        latitude=new.latitude,
        longitude=new.longitude,
        attachments=list(new.attachments) or None,
        status=CaseStatus.OPEN,
        priority=PREFERENTIAL_PRIORITY if citizen is not None and citizen.preferential else 0,
        department=service.department,
        channel=channel,
        language=language,
        attributes=new.attributes or None,
    )
    await cases.add_case_event(
        session,
        case,
        "created",
        actor="staff" if staff_id else "citizen",
        to_value=CaseStatus.OPEN,
        note=f"{VIA}{channel}",
        staff_id=staff_id,
    )
    return case
