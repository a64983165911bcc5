"""The conversation rules, driven through the real pipeline and database with a scripted classifier."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.messages import Location
from storage.models import Case, Conversation, Holder, Message
from tests.support.conversation import Citizen

Sessions = async_sessionmaker[AsyncSession]
STORY = "hay un hueco enorme en la calle 45 con carrera 27, ya se cayeron dos motos"


async def cases(sessions: Sessions) -> list[Case]:
    async with sessions() as session:
        return list((await session.scalars(select(Case).order_by(Case.id))).all())


async def test_first_message_fills_service_description_and_address(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    await ana.says(STORY)
    assert "foto" in ana.text  # service, description and place were all in the first message
    assert ana.buttons == ["Omitir"]
    await ana.presses("Omitir")
    assert "calle 45 con carrera 27" in ana.text and "Bache" in ana.text
    assert ana.buttons == ["Sí, registrar", "No, cancelar"]
    assert await cases(sessions) == []  # never filed without confirmation
    await ana.presses("Sí, registrar")
    [case] = await cases(sessions)
    assert case.code in ana.text
    assert (case.service_code, case.department, case.status) == ("pothole", "public_works", "open")
    assert case.description == STORY and case.address == "calle 45 con carrera 27"


async def files_the_story(ana: Citizen, sessions: Sessions) -> Case:
    """STORY, no photo, confirmed: the citizen's one case."""
    await ana.says(STORY)
    await ana.says("no")
    await ana.says("sí")
    [case] = await cases(sessions)
    return case


async def test_status_by_code_then_list_of_open_cases(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    case = await files_the_story(ana, sessions)
    await ana.says(f"¿cómo va mi reclamo {case.code.lower().replace('-', '')}?")
    assert ana.text.startswith(f"Caso {case.code} (Bache")
    assert "abierto" in ana.text
    await ana.says("estado de mis casos")
    assert case.code in ana.text and "Tus casos abiertos" in ana.text
    other = citizen("web-otro-5f3c9d27e1")
    await other.says("estado")
    assert "No tienes casos abiertos" in other.text


async def test_the_status_date_is_the_citys_date(citizen: Callable[..., Citizen], sessions: Sessions) -> None:
    ana = citizen()
    code = (await files_the_story(ana, sessions)).code
    async with sessions() as session, session.begin():
        case = await session.scalar(select(Case))
        assert case is not None
        # 02:00 UTC on 1 March is still 28 February in Bogotá (config.yml's city.time_zone).
        case.updated_at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    await ana.says(f"estado del caso {code}")
    assert "Actualizado el 28/02/2026." in ana.text


async def test_unknown_code_is_told_apart(citizen: Callable[..., Citizen]) -> None:
    ana = citizen()
    await ana.says("estado del caso K7M-4QP")
    assert "No encuentro el caso K7M-4QP" in ana.text


async def test_category_alone_asks_each_missing_thing_once(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    await ana.says("bache")
    assert "Cuéntame qué pasa" in ana.text
    await ana.says("está enorme y lleno de agua")
    assert "¿Dónde es?" in ana.text
    await ana.says("", location=Location(4.6097, -74.0817))
    assert "foto" in ana.text
    await ana.says("", photo="/media/" + "a" * 32 + ".jpg")
    assert "¿Lo confirmo?" in ana.text and "Con foto" in ana.text and "4.60970" in ana.text
    await ana.presses("Sí, registrar")
    [case] = await cases(sessions)
    assert (case.latitude, case.longitude) == (4.6097, -74.0817)
    assert case.attachments == [{"url": "/media/" + "a" * 32 + ".jpg", "content_type": "image/jpeg"}]
    assert case.description == "está enorme y lleno de agua"


async def test_unsure_category_is_asked_with_choices_and_numbers_work(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    await ana.says("quiero poner una queja")
    assert "¿Qué quieres reportar?" in ana.text
    assert len(ana.buttons) == 12 and ana.buttons[1] == "Alumbrado público dañado"
    await ana.says("2")  # as on SMS: the second option
    assert "Alumbrado público dañado" in ana.text and "Cuéntame" in ana.text


async def test_deny_and_cancel_file_nothing(citizen: Callable[..., Citizen], sessions: Sessions) -> None:
    ana = citizen()
    await ana.says(STORY)
    await ana.says("omitir")
    await ana.presses("No, cancelar")
    assert "No se registró nada" in ana.text
    await ana.says("bache")
    await ana.says("Cancelar")
    assert "No se registró nada" in ana.text
    await ana.says("menú")
    assert ana.buttons == ["Reportar un problema", "Estado de mi caso", "Hablar con una persona"]
    assert await cases(sessions) == []


async def test_two_misunderstandings_offer_a_person(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    await ana.says("asdf qwerty")
    assert "No estoy seguro" in ana.text
    assert ana.buttons[:2] == ["Bache o hueco en la vía", "Estado de mi caso"]
    await ana.says("zzzz mmm")
    assert "¿Quieres hablar con una persona?" in ana.text
    await ana.says("sí")
    assert "Te paso con una persona" in ana.text
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
        assert conversation is not None
        assert (conversation.holder, conversation.handoff_reason) == (Holder.WAITING, "misunderstood")


async def test_bot_is_silent_while_waiting_but_logs_everything(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    await ana.says("quiero hablar con una persona")
    assert "Te paso con una persona" in ana.text
    assert await ana.says("hola? sigue ahí alguien") == []
    assert await ana.says("hay un bache") == []
    async with sessions() as session:
        inbound = await session.scalar(select(func.count()).where(Message.direction == "in"))
        assert inbound == 3
    await ana.says("cancelar")
    assert "saliste de la fila" in ana.text
    await ana.says("hola")
    assert "¡Hola!" in ana.text


async def test_replies_in_english_and_switches_back(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    tom = citizen("web-tom-5f3c9d27e1")
    await tom.says("there is a big pothole on 45th st and 27th ave, two bikes fell")
    assert "photo" in tom.text and tom.buttons == ["Skip"]
    await tom.presses("Skip")
    assert "Shall I confirm?" in tom.text and "Pothole" in tom.text
    await tom.presses("Yes, file it")
    [case] = await cases(sessions)
    assert f"Your code is {case.code}" in tom.text
    assert case.language == "en"
    await tom.says("¿y cómo va mi reclamo?")
    assert "Tus casos abiertos" in tom.text


async def test_replay_is_recorded_and_answered_once(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    await ana.says(STORY, message_id="wamid-1")
    await ana.says("omitir", message_id="wamid-2")
    first = await ana.says("sí", message_id="wamid-3")
    for _ in range(4):
        again = await ana.says("sí", message_id="wamid-3")
        assert again == first and ana.last_outcome is not None and ana.last_outcome.duplicate
    assert len(await cases(sessions)) == 1
    async with sessions() as session:
        counts = dict(
            (await session.execute(select(Message.direction, func.count()).group_by(Message.direction))).all()
        )
    assert counts == {"in": 3, "out": 4}  # one reply each, and the privacy notice with the first


async def test_overlong_and_empty_messages_get_polite_replies(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    await ana.says("a" * 20_000)
    assert "muy largo" in ana.text
    await ana.says("\x00\x01\x02")
    assert "Solo puedo leer texto" in ana.text
    async with sessions() as session:
        texts = (await session.scalars(select(Message.text).where(Message.direction == "in"))).all()
    assert len(texts[0]) == 20_000 and texts[1] == ""  # kept whole; control characters dropped


async def test_a_flood_is_recorded_whole_and_answered_once_with_slow_down(
    citizen: Callable[..., Citizen], sessions: Sessions
) -> None:
    ana = citizen()
    answered = [bool(await ana.says(f"hola {n}")) for n in range(20)]
    assert all(answered)
    assert "espera un momento" in (await ana.says("hola 21"))[0].text
    assert await ana.says("hola 22") == []
    async with sessions() as session:
        inbound = await session.scalar(select(func.count()).where(Message.direction == "in"))
    assert inbound == 22  # nothing lost
