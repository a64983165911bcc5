"""Nothing about a person reaches /transparencia: citizens seeded with a name, a phone, an e-mail, a
message, a description, an address, a precise point and a reason for preferential attention, none of
which appears on the page in either language, for any period, nor in its style sheet."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from connectors.public.transparency_figures import PERIODS
from storage import cases as case_rows
from storage.models import (
    Author,
    ChannelIdentity,
    Citizen,
    Conversation,
    ConversationRating,
    Direction,
    FollowUp,
    Message,
    utcnow,
)
from tests.connectors.conftest import Client

NAME, PHONE, EMAIL = "Rigoberta Quispe Mamani", "+573001234567", "rigoberta.quispe@correo.example"
SAID = "el vecino Aurelio Benavides deja el carro encima del andén"
DESCRIBED = "hueco enorme frente a la casa de doña Eulalia Cardozo"
ADDRESS = "Carrera 7 # 45-12 apto 301"
REASON = "usa silla de ruedas"
COMMENT = "la funcionaria Yolanda Restrepo fue grosera"
POINT = (4.6012345, -74.0812345)
SECRETS = [
    NAME,
    PHONE,
    PHONE[1:],
    "3001234567",
    EMAIL,
    "rigoberta",
    "Quispe",
    SAID,
    "Aurelio",
    DESCRIBED,
    "Eulalia",
    ADDRESS,
    "45-12",
    REASON,
    COMMENT,
    "Yolanda",
    "4.601",
    "4,601",
    "74.081",
    "74,081",
    "elderly",
    "disability",
]


async def seed_people(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    now = utcnow()
    async with sessions() as session, session.begin():
        for n in range(6):  # six alike, so every cell is big enough to be shown
            person = Citizen(
                display_name=f"{NAME} {n}",
                phone_e164=PHONE,
                email=EMAIL,
                preferential="disability",
                preferential_reason=REASON,
            )
            session.add(person)
            await session.flush()
            session.add(
                ChannelIdentity(
                    citizen_id=person.id, channel="whatsapp", address=f"whatsapp:{PHONE}", display_name=NAME
                )
                if n == 0
                else ChannelIdentity(
                    citizen_id=person.id, channel="telegram", address=f"{n}", display_name=NAME
                )
            )
            session.add(
                Message(
                    citizen_id=person.id,
                    direction=Direction.IN,
                    author=Author.CITIZEN,
                    channel="telegram",
                    address=f"{n}",
                    text=f"{SAID} {EMAIL} {PHONE}",
                    latitude=POINT[0],
                    longitude=POINT[1],
                    created_at=now - timedelta(days=3),
                )
            )
            for service in ("pothole", "noise"):  # noise is sensitive: its place is never published
                case = await case_rows.add_case(
                    session,
                    service_code=service,
                    description=f"{DESCRIBED} {NAME}",
                    address=ADDRESS,
                    latitude=POINT[0],
                    longitude=POINT[1],
                    status="resolved",
                    citizen_id=person.id,
                    department=settings.services[service].department,
                    channel="telegram",
                    created_at=now - timedelta(days=3),
                    publish_consent=True,
                )
                event = await case_rows.add_case_event(
                    session,
                    case,
                    "status",
                    actor="staff",
                    from_value="open",
                    to_value="resolved",
                    note=f"nota interna sobre {NAME}",
                    at=now - timedelta(days=2),
                )
                session.add(
                    FollowUp(
                        case_id=case.id,
                        citizen_id=person.id,
                        closing_event_id=event.id,
                        kind="fixed",
                        status="answered",
                        due_at=now - timedelta(days=2),
                        sent_at=now - timedelta(days=2),
                        answer="no",
                        rating=1,
                        comment=COMMENT,
                        reason=SAID,
                        answered_at=now - timedelta(days=1),
                    )
                )
            conversation = Conversation(citizen_id=person.id, state={"name": NAME}, last_address=PHONE)
            session.add(conversation)
            await session.flush()
            session.add(
                ConversationRating(
                    conversation_id=conversation.id,
                    citizen_id=person.id,
                    rating=2,
                    asked_at=now - timedelta(days=1),
                    answered_at=now - timedelta(days=1),
                )
            )


async def test_no_one_s_details_appear_on_the_page(
    service: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await seed_people(sessions, settings)
    shown = []
    for language in ("es", "en"):
        for months in PERIODS:
            answer = await service.get(f"/transparencia?lang={language}&months={months}")
            assert answer.status == 200
            shown.append(await answer.text())
    shown.append(await (await service.get("/transparencia/estilo.css")).text())
    everything = "\n".join(shown).lower()
    assert ">12<" in everything  # the cases are there, as counts
    for secret in SECRETS:
        assert secret.lower() not in everything, secret
