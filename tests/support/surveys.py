"""Surveys for tests: the example definition with dates around now, and "the city sends survey S to this
citizen" as the sender does it (a broadcast, a sent delivery, the opening as its message, the state set)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.messages import Button
from bot.settings import Settings
from bot.survey_dialogue import opening
from bot.surveys import check
from connectors.channels import channel
from storage import surveys as survey_rows
from storage.models import (
    Broadcast,
    ChannelIdentity,
    Citizen,
    Conversation,
    Delivery,
    DeliveryStatus,
    Survey,
    SurveyAnswer,
    utcnow,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "encuesta_presupuesto.yml"


def definition(slug: str = "presupuesto-2027", *, days: float = 10, **changes: Any) -> dict[str, Any]:
    """The shipped example, open from yesterday for `days` more days, with `changes` on top."""
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    now = utcnow()
    data |= {"slug": slug, "opens": now - timedelta(days=1), "closes": now + timedelta(days=days)}
    return data | changes


async def create(session: AsyncSession, settings: Settings, data: dict[str, Any]) -> Survey:
    return await survey_rows.add(session, check(data, settings).as_row())


async def citizen_of(session: AsyncSession, channel_name: str, address: str) -> int:
    found = await session.scalar(
        select(ChannelIdentity.citizen_id).where(
            ChannelIdentity.channel == channel_name, ChannelIdentity.address == address
        )
    )
    assert found is not None, f"no citizen on {channel_name} {address}: they must have written first"
    return found


async def send(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    channel_name: str,
    address: str,
    slug: str = "presupuesto-2027",
    **changes: Any,
) -> tuple[str, tuple[Button, ...], int, str]:
    """The city sends the survey (created from the example if it does not exist) to this citizen: returns
    the opening's text, its buttons, the delivery's id and the language it is in. As follow-ups do, the
    last choices offered become the opening's buttons, so "2" picks the second."""
    async with sessions() as session, session.begin():
        survey = await survey_rows.by_slug(session, slug)
        if survey is None:
            survey = await create(session, settings, definition(slug, **changes))
        citizen_id = await citizen_of(session, channel_name, address)
        broadcast = Broadcast(kind="survey", survey_id=survey.id, topic=survey.topic, area=None, channel=None)
        session.add(broadcast)
        await session.flush()
        delivery = Delivery(
            broadcast_id=broadcast.id, citizen_id=citizen_id, status=DeliveryStatus.SENT,
            channel=channel_name, sent_at=utcnow(),
        )  # fmt: skip
        session.add(delivery)
        await session.flush()
        conversation = await session.scalar(select(Conversation).where(Conversation.citizen_id == citizen_id))
        assert conversation is not None
        language = await session.scalar(select(Citizen.language).where(Citizen.id == citizen_id))
        body, buttons, state = opening(
            settings, survey, delivery.id, language or "es", channel(channel_name).buttons
        )
        conversation.state = {
            **(conversation.state or {}), "survey": state, "choices": [b.payload for b in buttons]
        }  # fmt: skip
        return body, buttons, delivery.id, language or "es"


async def close(sessions: async_sessionmaker[AsyncSession], slug: str, when: datetime | None = None) -> None:
    """The survey closes (now, unless `when`)."""
    async with sessions() as session, session.begin():
        survey = await survey_rows.by_slug(session, slug)
        assert survey is not None
        survey.closes_at = when or utcnow() - timedelta(seconds=1)


async def answers_of(
    sessions: async_sessionmaker[AsyncSession], slug: str
) -> Sequence[tuple[int | None, str, Any]]:
    """Every stored answer of the survey: (citizen id, question, value)."""
    async with sessions() as session:
        survey = await survey_rows.by_slug(session, slug)
        assert survey is not None
        found = await session.execute(
            select(SurveyAnswer.citizen_id, SurveyAnswer.question, SurveyAnswer.value)
            .where(SurveyAnswer.survey_id == survey.id)
            .order_by(SurveyAnswer.citizen_id, SurveyAnswer.question)
        )
        return [(c, q, v) for c, q, v in found]
