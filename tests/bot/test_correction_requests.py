"""'Mi nombre está mal' in the chat: a correction request for a person, with its deadline; one question
for the right value, answered by the next message only; nothing about the citizen is changed by the bot."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import correction_requests, dialogue
from bot.correction_requests import gives_the_value, withdraws
from bot.settings import Settings
from bot.settings_loading import load_settings
from bot.words import fold
from storage.models import ChannelIdentity, Citizen, DataRequest
from tests.bot.test_rules import turn
from tests.support.conversation import Citizen as Person


async def requests_of(sessions: async_sessionmaker[AsyncSession], address: str) -> list[DataRequest]:
    async with sessions() as session:
        citizen_id = await session.scalar(
            select(ChannelIdentity.citizen_id).where(ChannelIdentity.address == address)
        )
        return list(
            (
                await session.scalars(
                    select(DataRequest).where(DataRequest.citizen_id == citizen_id).order_by(DataRequest.id)
                )
            ).all()
        )


async def test_a_correction_with_its_value_is_recorded_for_a_person(
    citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    maria = citizen("web-maria-5f3c9d27e1")
    await maria.says("mi nombre esta mal es Maria Perez")
    [request] = await requests_of(sessions, "web-maria-5f3c9d27e1")
    assert (request.kind, request.status, request.channel) == ("correct", "open", "rest")
    assert request.detail == "mi nombre esta mal es Maria Perez"
    assert f"n.º {request.id}" in maria.text and "a más tardar el" in maria.text
    assert "¿Cuál es el dato correcto?" not in maria.text
    async with sessions() as session:
        person = await session.get(Citizen, request.citizen_id)
    assert person is not None and person.display_name is None  # a person corrects it, not the bot


async def test_without_the_value_the_next_message_is_added_to_the_request(
    citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = citizen("web-ana-5f3c9d27e1")
    await ana.says("cambien mi direccion porfa")
    assert "¿Cuál es el dato correcto?" in ana.text
    await ana.says("Calle 45 # 12-30, barrio Chapinero")
    assert "lo agregué a tu solicitud" in ana.text
    [request] = await requests_of(sessions, "web-ana-5f3c9d27e1")
    assert request.detail == "cambien mi direccion porfa\nCalle 45 # 12-30, barrio Chapinero"
    assert request.status == "open"
    # The question took the next message only: a later one is not added.
    await ana.says("gracias")
    [request] = await requests_of(sessions, "web-ana-5f3c9d27e1")
    assert "gracias" not in (request.detail or "")


async def test_second_thoughts_cancel_the_request(
    citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    leo = citizen("web-leo-5f3c9d27e1")
    await leo.says("my name is wrong")
    assert "What is the right information?" in leo.text
    await leo.says("never mind, it's fine")
    assert "cancelled request no." in leo.text
    [request] = await requests_of(sessions, "web-leo-5f3c9d27e1")
    assert request.status == "cancelled" and request.done_at is not None


async def test_another_request_instead_of_the_value_is_that_request(
    citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    sol = citizen("web-sol-5f3c9d27e1")
    await sol.says("cambiá mi nombre")
    await sol.says("humano")  # a person is asked for: the request stays as it was, the person takes over
    [request] = await requests_of(sessions, "web-sol-5f3c9d27e1")
    assert request.detail == "cambiá mi nombre" and request.status == "open"


async def test_a_request_closed_meanwhile_is_not_written_to(
    citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    eva = citizen("web-eva-5f3c9d27e1")
    await eva.says("mi apellido esta mal")
    [request] = await requests_of(sessions, "web-eva-5f3c9d27e1")
    async with sessions() as session, session.begin():
        row = await session.get(DataRequest, request.id)
        assert row is not None
        row.status = "done"
    await eva.says("Gomez con z")
    assert "ya fue atendida" in eva.text
    [request] = await requests_of(sessions, "web-eva-5f3c9d27e1")
    assert request.detail == "mi apellido esta mal"


@pytest.mark.parametrize(
    ("said", "gives"),
    [
        ("mi nombre esta mal es Maria Perez", True),
        ("cambien mi direccion a calle 45 # 12-30", True),
        ("my name is wrong, it should be John Smith", True),
        ("cambien mi direccion porfa", False),
        ("cambiá mi nombre", False),
        ("my last name is misspelled", False),
        ("hola buenas, mi apellido esta mal escrito", False),
    ],
)
def test_whether_the_message_gives_the_right_value(said: str, gives: bool) -> None:
    assert gives_the_value(fold(said)) is gives


@pytest.mark.parametrize(
    ("said", "withdrawn"),
    [
        ("olvidalo, esta bien asi", True),
        ("no", True),
        ("nah never mind", True),
        ("dejalo asi nomas", True),
        ("no, es Perez con z", False),
        ("Maria Perez", False),
        ("calle 45 # 12-30", False),
    ],
)
def test_second_thoughts_in_the_citizens_words(said: str, withdrawn: bool) -> None:
    assert withdraws(fold(said)) is withdrawn


@pytest.fixture(scope="module")
def config() -> Settings:
    return load_settings(None, {})


def test_the_rule_takes_the_next_message_only_and_not_another_request(config: Settings) -> None:
    names = [rule.name for rule in dialogue.RULES]
    # Before the data-rights requests and a cancel (a second thought cancels the request, not a report);
    # after an emergency, a stop, the menu and a change of language.
    assert names.index("emergency") < names.index("correction_answer") < names.index("data_rights")
    assert names.index("language") < names.index("correction_answer") < names.index("cancel")
    asked = turn(config, "Maria Perez", correction_asked=7)
    assert asked.correction_asked == 7 and asked.state.correction_asked is None  # the next message only
    assert correction_requests.answers(asked)
    assert not correction_requests.answers(turn(config, "Maria Perez"))
    assert not correction_requests.answers(turn(config, "borrar mis datos", correction_asked=7))
    assert not correction_requests.answers(turn(config, "humano", correction_asked=7))
    assert not correction_requests.answers(turn(config, "/menu", correction_asked=7))
