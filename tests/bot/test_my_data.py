"""What "mis datos" (bot/my_data.py) shows, on SQLite and PostgreSQL: what is held about the citizen who
asks, masked where a stranger holding the phone should not read it, and nothing about anybody else."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import masks
from bot.messages import InboundMessage
from bot.my_data import masked_email
from bot.settings import Settings
from storage.cases import add_case
from storage.citizens import set_opted_out
from storage.models import Case, Citizen, DataRequest
from tests.bot.test_joining import file_at, north
from tests.support.conversation import Citizen as Talker

CODE = re.compile(r"[2-9A-Z]{3}-[2-9A-Z]{3}")


def test_no_address_ever_shows_more_than_four_characters_nor_half_of_itself() -> None:
    for length in range(0, 40):
        address = "".join(str(i % 10) for i in range(length))
        visible = masks.tail(address).removeprefix("••")
        assert len(visible) <= min(4, length // 2) and address.endswith(visible)


def test_an_email_shows_its_first_letter_and_domain() -> None:
    assert masked_email("ana.perez@example.org") == "a••@example.org"
    assert masked_email("not-an-email-12345") == "••2345"


async def test_a_citizen_sees_their_channels_name_cases_and_how_long_things_are_kept(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    ana = citizen("+573001234567", "whatsapp")
    await ana.send(InboundMessage("whatsapp", ana.address, "m-ana-1", "hola", display_name="Ana Pérez"))
    code = await file_at(ana)
    replies = await ana.says("mis datos")
    assert len(replies) == 2
    listing = ana.text
    assert "WhatsApp ••4567" in listing and "3001234567" not in listing and "1234567" not in listing
    assert "Ana Pérez" in listing and f"Reportes abiertos: {code}" in listing
    retention = settings.retention
    for number in (
        retention.message_months_after_close,
        retention.webchat_unfiled_days,
        retention.inactive_months,
    ):
        assert str(number) in replies[1].text
    assert "/privacidad" in replies[1].text
    assert ana.buttons == ["Descargar mis datos", "Borrar mis datos", "Corregir un dato", "Menú"]
    async with sessions() as session:
        requests = (await session.scalars(select(DataRequest))).all()
    assert [(r.kind, r.status, r.channel) for r in requests] == [("see", "done", "whatsapp")]
    assert requests[0].done_at is not None and requests[0].due_on >= requests[0].requested_at.date()


async def test_a_web_chat_visitor_with_nothing_is_told_so_in_english(citizen: Callable[..., Talker]) -> None:
    visitor = citizen("web-visitor-5f3c9d27e1")
    await visitor.says("what do you have on me")
    assert "the web chat" in visitor.text and "web-visitor" not in visitor.text
    assert "We don't have your name" in visitor.text and "No reports" in visitor.text
    assert "privacidad?lang=en" in visitor.text
    assert visitor.buttons[:3] == ["Download my data", "Erase my data", "Correct something"]


async def test_opt_outs_consent_to_publish_and_many_cases_are_listed_briefly(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    luis = citizen("+573009876543", "sms")
    code = await file_at(luis)
    await luis.says("si")  # may we publish the description? yes
    async with sessions() as session, session.begin():
        mine = await session.scalar(select(Case).where(Case.code == code))
        assert mine is not None and mine.publish_consent is True
        for _ in range(14):
            await add_case(
                session,
                citizen_id=mine.citizen_id,
                service_code="pothole",
                description="otro bache",
                department=mine.department,
                channel="sms",
                status="closed",
            )
        assert await set_opted_out(session, "sms", luis.address, True)
    replies = await luis.says("MIS DATOS")
    listing = replies[0].text
    assert f"Aceptaste publicar la descripción de {code}" in listing
    assert "no recibir avisos (STOP) por: SMS" in listing
    closed = next(line for line in listing.splitlines() if "cerrados" in line)
    assert len(CODE.findall(closed)) == 10 and closed.endswith("y 4 más")
    assert len(replies) == 2 and len(listing) < 480  # a phone's screen, a few SMS


async def test_a_supporter_asking_sees_the_code_they_joined_and_nothing_of_its_reporter(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The attack: B joins A's report, then asks for "their" data hoping to read A's."""
    ana = citizen("+573001234567", "whatsapp")
    await ana.send(InboundMessage("whatsapp", ana.address, "m-ana-2", "hola", display_name="Ana Pérez"))
    code = await file_at(ana, text="hay un bache enorme frente a mi casa, la de rejas verdes")
    bruno = citizen("web-bruno-5f3c9d27e1")
    await bruno.says("hay un bache enorme", location=north(30))
    await bruno.says("omitir")
    await bruno.presses("Sí, sumarme")
    assert code in bruno.text
    await bruno.says("mostrame mis datos")
    seen = bruno.text
    assert f"Te sumaste a: {code}" in seen and "Reportes abiertos" not in seen
    for secret in ("Ana", "Pérez", "4567", "300123", "rejas", "WhatsApp"):
        assert secret not in seen, secret
    await ana.says("mis datos")
    assert "bruno" not in ana.text.lower() and "chat web" not in ana.texts[0]
    async with sessions() as session:
        bruno_id = await session.scalar(select(Citizen.id).where(Citizen.display_name.is_(None)))
        ana_id = await session.scalar(select(Citizen.id).where(Citizen.display_name == "Ana Pérez"))
        asked = (await session.scalars(select(DataRequest).order_by(DataRequest.id))).all()
    assert [r.citizen_id for r in asked] == [bruno_id, ana_id]  # each request is its asker's


async def test_asking_while_filing_a_report_keeps_the_draft_and_asks_its_question_again(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    carla = citizen("web-carla-5f3c9d27e1")
    await carla.says("hay un bache enorme en la calle 10 con carrera 5")
    question = carla.replies[-1].text
    await carla.says("q datos tienen de mi")
    assert "Lo que tenemos de ti" in carla.texts[0]
    assert "BORRAR MIS DATOS" in carla.texts[1]
    assert carla.texts[-1].split("\n")[-1] == question.split("\n")[-1]  # the same question again
    assert "Descargar mis datos" not in carla.buttons  # numbers answer the report's question, not these
    await carla.says("omitir")
    await carla.says("si")
    async with sessions() as session:
        case = await session.scalar(select(Case))
    assert case is not None and "calle 10" in (case.address or "")
