"""The case workflow shared by every way in (chat now, Open311 and the staff inbox later)."""

from __future__ import annotations

from typing import Any

from bot.settings import Settings
from bot.turn import Slots
from storage import queries
from storage.engine import AsyncSession
from storage.models import Case, CaseStatus, Citizen

# Citizens with preferential attention (elderly, disability…) are served first, as the paper asks.
PREFERENTIAL_PRIORITY = 10


class UnknownService(ValueError):
    """The service code is not in the catalog."""


async def file_case(
    session: AsyncSession,
    settings: Settings,
    *,
    citizen: Citizen | None,
    slots: Slots,
    channel: str,
    language: str,
    attributes: dict[str, Any] | None = None,
) -> Case:
    """Create the case with its code, department and priority, and record its first event.

    `attributes` are the answers to the service's extra questions (Open311 `attribute[...]`).
    """
    if slots.service is None or slots.service not in settings.services:
        raise UnknownService(slots.service)
    service = settings.services[slots.service]
    case = await queries.add_case(
        session,
        citizen_id=citizen.id if citizen else None,
        service_code=slots.service,
        description=slots.description or "",
        address=slots.address,
        latitude=slots.latitude,
        longitude=slots.longitude,
        attachments=list(slots.attachments) or None,
        status=CaseStatus.OPEN,
        priority=PREFERENTIAL_PRIORITY if citizen is not None and citizen.preferential else 0,
        department=service.department,
        channel=channel,
        language=language,
        attributes=attributes or None,
    )
    await queries.add_case_event(
        session, case, "created", actor="citizen", to_value=CaseStatus.OPEN, note=f"via {channel}"
    )
    return case
