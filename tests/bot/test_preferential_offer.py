"""Issue 19, part A, through the real pipeline and the real built-in classifier (SQLite and PostgreSQL):
ordinary reports get no offer of preferential attention; a yes is recorded with the citizen's words, as
written, and their channel; the city can turn the offer off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.texts import TEXTS
from bot.words import fold
from nlu.base import Classifier
from storage import preferential
from storage.models import ChannelIdentity, Citizen, Conversation
from tests.support.conversation import Citizen as Person

ORDINARY = Path(__file__).resolve().parents[1] / "fixtures" / "preferential" / "ordinary_reports.yml"
REPORTS: list[str] = yaml.safe_load(ORDINARY.read_text(encoding="utf-8"))["reports"]
OFFERS = [fold(v) for v in TEXTS["preferential_offer"].values()]


def offered(person: Person) -> bool:
    return any(offer in fold(person.text) for offer in OFFERS)


async def citizen_of(
    sessions: async_sessionmaker[AsyncSession], person: Person
) -> tuple[Citizen, dict[str, Any]]:
    async with sessions() as session:
        citizen = await session.scalar(
            select(Citizen)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == Citizen.id)
            .where(ChannelIdentity.channel == person.channel, ChannelIdentity.address == person.address)
        )
        assert citizen is not None
        state = await session.scalar(select(Conversation.state).where(Conversation.citizen_id == citizen.id))
        return citizen, dict(state or {})


def test_the_ordinary_reports_are_many_and_varied() -> None:
    assert len(REPORTS) >= 50 and len(set(REPORTS)) == len(REPORTS)


async def test_no_offer_for_ordinary_reports(
    make_pipeline: Callable[..., Pipeline],
    builtin_classifier: Classifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    pipeline = make_pipeline(builtin_classifier)
    wrongly = []
    for number, report in enumerate(REPORTS):
        person = Person(pipeline, f"web-ordinary-{number}")
        await person.says(report)
        _, state = await citizen_of(sessions, person)
        # Neither now nor kept for later (a cue inside a report is offered once it is filed).
        if offered(person) or state.get("preferential"):
            wrongly.append(report)
    assert wrongly == []


async def test_a_yes_is_recorded_with_the_words_as_written_and_the_channel(
    make_pipeline: Callable[..., Pipeline],
    builtin_classifier: Classifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = Person(make_pipeline(builtin_classifier), "+573001234567", channel="whatsapp")
    words = "Buenas, mi mamá está en silla de ruedas y no puede salir ¿me ayudan?"
    await person.says(words)
    assert offered(person)
    await person.presses("Sí, quiero")
    citizen, _ = await citizen_of(sessions, person)
    assert citizen.preferential == "disability"
    async with sessions() as session:
        (record,) = await preferential.records(session, citizen.id)
    assert (record.action, record.kind, record.words, record.channel, record.staff_id) == (
        "granted", "disability", words, "whatsapp", None,
    )  # fmt: skip


async def test_a_long_message_keeps_its_first_500_characters(
    make_pipeline: Callable[..., Pipeline],
    builtin_classifier: Classifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = Person(make_pipeline(builtin_classifier), "web-long-words")
    words = "tengo 82 años y vivo sola, " + "le cuento que " * 60
    await person.says(words)
    await person.says("si")
    citizen, _ = await citizen_of(sessions, person)
    async with sessions() as session:
        (record,) = await preferential.records(session, citizen.id)
    assert record.words == words.strip()[:500]


@pytest.fixture
def no_offer(settings: Settings) -> Settings:
    dialogue = settings.dialogue.model_copy(update={"offer_preferential": False})
    return settings.model_copy(update={"dialogue": dialogue})


async def test_the_city_can_turn_the_offer_off_and_a_citizen_can_still_ask(
    no_offer: Settings,
    builtin_classifier: Classifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    person = Person(Pipeline(no_offer, sessions, builtin_classifier), "web-no-offer")
    await person.says("tengo 82 años y vivo sola")
    assert not offered(person)
    await person.says("necesito atención preferencial, tengo 82 años")
    citizen, _ = await citizen_of(sessions, person)
    assert citizen.preferential == "elderly"


async def test_my_data_tells_the_citizen_their_own_kind_and_nobody_else_s(
    make_pipeline: Callable[..., Pipeline], builtin_classifier: Classifier
) -> None:
    pipeline = make_pipeline(builtin_classifier)
    ana, beto = Person(pipeline, "web-ana-pref"), Person(pipeline, "web-beto-pref")
    await ana.says("estoy embarazada de 8 meses")
    await ana.says("si")
    await beto.says("hola")
    await ana.says("mis datos")
    assert "Atención preferencial: sí (Embarazo)" in ana.text
    await beto.says("mis datos")
    assert "preferencial" not in fold(beto.text) and "Embarazo" not in beto.text
