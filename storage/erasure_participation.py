"""Erasing a citizen's part in surveys and alerts: answers and deliveries stay counted under the placeholder
(so published results do not change), without free text; queued ones are skipped; opt-ins are deleted.
Their questions to the knowledge base stay counted too, without words and tied to no one."""

from __future__ import annotations

from sqlalchemy import delete, update

from storage import knowledge_privacy
from storage.engine import AsyncSession
from storage.models import Delivery, DeliveryStatus, Subscription, SurveyAnswer


async def move(session: AsyncSession, citizen_id: int, placeholder_id: int) -> None:
    moved = {"citizen_id": placeholder_id}
    await session.execute(
        update(SurveyAnswer)
        .where(SurveyAnswer.citizen_id == citizen_id, SurveyAnswer.kind == "text")
        .values(value=None)
    )
    await session.execute(update(SurveyAnswer).where(SurveyAnswer.citizen_id == citizen_id).values(moved))
    await session.execute(
        update(Delivery)
        .where(Delivery.citizen_id == citizen_id, Delivery.status == DeliveryStatus.QUEUED)
        .values(status=DeliveryStatus.SKIPPED, reason="erased")
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.citizen_id == citizen_id)
        .values(citizen_id=placeholder_id, message_id=None)
    )
    await session.execute(delete(Subscription).where(Subscription.citizen_id == citizen_id))
    await knowledge_privacy.forget(session, [citizen_id])
