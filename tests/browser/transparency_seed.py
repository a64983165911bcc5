"""A year of a small city's cases, follow-ups and ratings, drawn from a fixed seed, for the transparency
page's browser test and its screenshots."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from storage import cases as case_rows
from storage import surveys as survey_rows
from storage.models import (
    Author,
    Citizen,
    Conversation,
    ConversationRating,
    Direction,
    FollowUp,
    Message,
    utcnow,
)
from tests.support.surveys import create, definition

SERVICES = {"pothole": 9, "streetlight": 7, "garbage": 6, "water": 4, "noise": 3, "tree": 2, "sidewalk": 2}
PLACES = [(4.60, -74.08), (4.70, -74.05), (4.50, -74.10), None]
WORKS = ["parque"] * 14 + ["alumbrado"] * 9 + ["biblioteca"] * 6 + ["ciclovia"] * 3
STATUSES = ["resolved"] * 6 + ["closed", "rejected", "duplicate", "open", "in_progress", "acknowledged"]


async def seed_year(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    rng = random.Random(16)
    now = utcnow()
    async with sessions() as session, session.begin():
        people = [Citizen(display_name=f"vecino {n}") for n in range(40)]
        session.add_all(people)
        await session.flush()
        for day in range(360):
            for service, weight in SERVICES.items():
                if rng.random() > weight / 12:
                    continue
                filed = now - timedelta(days=day, hours=rng.randint(0, 20))
                place = rng.choice(PLACES)
                status = rng.choice(STATUSES) if day > 5 else "open"
                case = await case_rows.add_case(
                    session,
                    service_code=service,
                    description="(demo)",
                    status=status,
                    department=settings.services[service].department,
                    channel=rng.choice(["telegram", "whatsapp", "rest", "sms"]),
                    created_at=filed,
                    latitude=place[0] if place else None,
                    longitude=place[1] if place else None,
                )
                if status != "resolved":
                    continue
                event = await case_rows.add_case_event(
                    session,
                    case,
                    "status",
                    actor="staff",
                    from_value="open",
                    to_value="resolved",
                    at=filed + timedelta(hours=rng.randint(4, 200)),
                )
                if rng.random() < 0.6:
                    session.add(
                        FollowUp(
                            case_id=case.id,
                            closing_event_id=event.id,
                            kind="fixed",
                            status="answered",
                            due_at=event.created_at,
                            sent_at=event.created_at,
                            answer="yes" if rng.random() < 0.8 else "no",
                            rating=rng.choice([5, 5, 4, 4, 4, 3, 2, 1]),
                            answered_at=event.created_at + timedelta(hours=3),
                        )
                    )
        for n, person in enumerate(people):
            conversation = Conversation(citizen_id=person.id, state={})
            session.add(conversation)
            await session.flush()
            wrote = now - timedelta(days=rng.randint(0, 300))
            session.add(
                Message(
                    citizen_id=person.id,
                    direction=Direction.IN,
                    author=Author.CITIZEN,
                    channel="telegram",
                    address=str(n),
                    text="hola",
                    created_at=wrote,
                )
            )
            if n % 4 == 0:
                session.add(
                    ConversationRating(
                        conversation_id=conversation.id,
                        citizen_id=person.id,
                        rating=rng.choice([5, 4, 4, 3, 2]),
                        asked_at=wrote,
                        answered_at=wrote,
                    )
                )

    async with sessions() as session, session.begin():
        await survey(session, settings, rng)


async def survey(session: AsyncSession, settings: Settings, rng: random.Random) -> None:
    """The example participatory budget, closed a week ago, answered by 32 residents."""
    now = utcnow()
    closed = await create(
        session,
        settings,
        definition("presupuesto-2026", opens=now - timedelta(days=40), closes=now - timedelta(days=7)),
    )
    kinds = {q["key"]: q["kind"] for q in closed.questions}
    for work in WORKS:
        person = Citizen(language="es")
        session.add(person)
        await session.flush()
        picks = rng.sample(["seguridad", "limpieza", "transporte", "cultura"], rng.randint(1, 3))
        given = {"obra": work, "prioridades": picks, "barrio": rng.choice([5, 4, 4, 3, 3, 2])}
        for key, value in given.items():
            await survey_rows.record(
                session, closed.id, person.id, key, kind=kinds[key], value=value, channel="sms", now=now
            )
