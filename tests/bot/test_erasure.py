"""Erasure's parts (issue 15): a hold told with its reason, the suppression list against the city's own
messages, what counts as a note quoting the person, masked addresses, the last reply forgetting its
address, and erasing one of two neighbours on one case."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import erasure, masks, suppression
from bot.case_status import tell
from bot.outbound import send_to_citizen
from bot.settings import Settings
from storage import outbox
from storage.conversations import conversation_for_update
from storage.models import (
    Author,
    Case,
    CaseSupporter,
    ChannelIdentity,
    Citizen,
    DataRequest,
    Message,
    OutboxItem,
    SuppressedAddress,
)
from tests.support.conversation import Citizen as Talker

PHONE = "+573001112233"


async def identity(
    sessions: async_sessionmaker[AsyncSession], channel: str, address: str
) -> ChannelIdentity | None:
    async with sessions() as session:
        return await session.scalar(
            select(ChannelIdentity).where(
                ChannelIdentity.channel == channel, ChannelIdentity.address == address
            )
        )


async def test_a_hold_is_told_with_its_reason_and_nothing_is_erased(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = citizen(PHONE, "sms")
    await ana.says("hola")
    found = await identity(sessions, "sms", PHONE)
    assert found is not None
    async with sessions() as session, session.begin():
        held = await session.get(Citizen, found.citizen_id)
        assert held is not None
        held.erasure_hold = "hay un proceso judicial abierto sobre tu reporte"
    await ana.says("borrar mis datos")
    assert "proceso judicial abierto" in ana.text  # told before she confirms
    await ana.says("si")
    await ana.says("BORRAR")
    assert "proceso judicial abierto" in ana.text and "registrada" in ana.text
    assert "borramos tus datos" not in ana.text
    assert await identity(sessions, "sms", PHONE) is not None
    async with sessions() as session:
        request = await session.scalar(select(DataRequest))
        assert request is not None and (request.kind, request.status) == ("erase", "held")
        with pytest.raises(erasure.Held):
            await erasure.erase_citizen(session, ana.pipeline.settings, found.citizen_id, by="staff")


async def test_the_city_writes_nothing_on_its_own_to_an_erased_number_until_it_comes_back(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    # An older record holds the same number (say, filed for her at a desk): it is not told anything.
    async with sessions() as session, session.begin():
        old = Citizen(language="es")
        session.add(old)
        await session.flush()
        session.add(ChannelIdentity(citizen_id=old.id, channel="whatsapp", address=PHONE))
        old_id = old.id
    ana = citizen(PHONE, "sms")
    await ana.says("hola")
    await ana.says("borrar mis datos")
    await ana.says("si")
    await ana.says("borrar")
    assert "borramos tus datos" in ana.text
    async with sessions() as session, session.begin():
        assert await session.scalar(select(func.count()).select_from(SuppressedAddress)) == 1
        conversation = await conversation_for_update(session, old_id)
        conversation.last_channel, conversation.last_address = "whatsapp", PHONE
        sent = await tell(session, [old_id], lambda language: "Tu caso avanzó", fallback="es")
        assert sent == []  # the city's own message is stopped
        # A person answering in a conversation is not the city writing on its own.
        answer = await send_to_citizen(
            session, old_id, "Hola, te respondo", author=Author.STAFF, language="es"
        )
        assert answer is not None
    # She writes again: a new citizen, told of what she files.
    await ana.says("hola de nuevo")
    assert any("Aviso de privacidad" in t for t in ana.texts)
    again = await identity(sessions, "sms", PHONE)
    assert again is not None
    async with sessions() as session, session.begin():
        assert await tell(session, [again.citizen_id], lambda language: "Tu caso avanzó", fallback="es")


async def test_the_suppression_list_holds_hashes_not_numbers(settings: Settings) -> None:
    sms, whatsapp = await suppression.hash_of("sms", PHONE), await suppression.hash_of("whatsapp", PHONE)
    assert sms == whatsapp  # one number, whichever channel
    assert PHONE.lstrip("+") not in sms and len(sms) == 64
    assert await suppression.hash_of("telegram", "12345") != await suppression.hash_of("sms", "12345")


@pytest.mark.parametrize(
    ("note", "quotes"),
    [
        ("Llamé a María Fernanda Ruiz, dice que sigue igual", True),
        ("llame a maria fernanda ruiz", True),  # no accents, lower case
        ("Su número es 300 111 2233", True),
        ("escribe desde 3001112233", True),
        ("vive en la carrera 15 # 80-20, casa azul", True),
        ("dijo: el hueco ya se tragó una llanta ayer", True),  # four of her words in a row
        ("Cuadrilla asignada para el martes", False),
        ("Se revisó el hueco y se programó el bacheo", False),
        ("María", False),  # a first name alone is too common a word to count
        (None, False),
    ],
)
def test_a_note_quotes_the_person_by_name_number_address_or_their_words(
    note: str | None, quotes: bool
) -> None:
    found = erasure.Quotes(
        ["María Fernanda Ruiz", PHONE, "carrera 15 # 80-20"],
        ["hay un hueco enorme, el hueco ya se tragó una llanta ayer"],
    )
    assert found.in_(note) is quotes


@pytest.mark.parametrize(
    ("channel", "address", "shown"),
    [
        ("whatsapp", "+573001234567", "WhatsApp ••4567"),
        ("sms", "+573001234567", "SMS ••4567"),
        ("telegram", "987654321", "Telegram ••4321"),
        ("telegram", "123", "Telegram ••3"),  # a short id shows at most half of itself
        ("rest", "web-5f3c9d27e1a0", "el chat web"),
    ],
)
def test_an_address_is_masked_to_its_last_digits(channel: str, address: str, shown: str) -> None:
    assert masks.masked(channel, address, "es").casefold() == shown.casefold()


async def test_the_last_reply_forgets_its_address_once_sent_or_given_up(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        placeholder = Citizen(language="es")
        session.add(placeholder)
        await session.flush()
        rows = []
        for _ in range(2):
            message = Message(citizen_id=placeholder.id, direction="out", author="bot", channel="sms",
                              address="", text="Listo: borramos tus datos.")  # fmt: skip
            session.add(message)
            await session.flush()
            item = await outbox.queue(session, message)
            item.address, item.forget_after_send = PHONE, True
            rows.append((item.id, message.id))
    async with sessions() as session, session.begin():
        await outbox.mark_sent(session, rows[0][0], rows[0][1], "SM123", "sent")
        await outbox.give_up(session, rows[1][0], f"21211 invalid 'To' number {PHONE}")
    async with sessions() as session:
        items = (await session.scalars(select(OutboxItem).order_by(OutboxItem.id))).all()
        assert [(i.address, i.provider_message_id) for i in items] == [("", None), ("", None)]
        assert all(PHONE not in (i.last_error or "") for i in items)
        sids = (await session.scalars(select(Message.provider_message_id))).all()
        assert sids == [None, None]


async def test_erasing_the_reporter_keeps_the_neighbour_who_joined_the_case(
    citizen: Callable[..., Talker], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    reporter, neighbour = citizen("+573001110000", "sms"), citizen("+573002220000", "sms")
    await reporter.says("hola")
    await neighbour.says("hola")
    a, b = await identity(sessions, "sms", "+573001110000"), await identity(sessions, "sms", "+573002220000")
    assert a is not None and b is not None
    async with sessions() as session, session.begin():
        case = Case(code="AAA-111", citizen_id=a.citizen_id, service_code="pothole",
                    description="hueco en mi cuadra", address="calle 1 # 2-3", latitude=4.60971,
                    longitude=-74.08175, department="public_works", channel="sms")  # fmt: skip
        session.add(case)
        await session.flush()
        session.add(CaseSupporter(case_id=case.id, citizen_id=b.citizen_id, channel="sms"))
    async with sessions() as session, session.begin():
        erased = await erasure.erase_citizen(session, settings, a.citizen_id, by="staff")
    async with sessions() as session:
        kept = await session.scalar(select(Case).where(Case.code == "AAA-111"))
        assert kept is not None and kept.citizen_id == erased.placeholder_id
        assert (kept.description, kept.address) == ("", None)
        assert kept.latitude is not None and abs(kept.latitude - 4.60971) < 0.001  # its ~100 m cell
        supporter = await session.scalar(select(CaseSupporter))
        assert supporter is not None and supporter.citizen_id == b.citizen_id  # the neighbour is untouched
        with pytest.raises(erasure.Gone):
            await erasure.erase_citizen(session, settings, a.citizen_id, by="staff")
    assert await identity(sessions, "sms", "+573002220000") is not None
    assert await identity(sessions, "sms", "+573001110000") is None
