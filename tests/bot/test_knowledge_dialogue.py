"""Answering from the knowledge base through the real pipeline and classifier: a choice between topics that
overlap on purpose (picked by number, by words with typos, or none), "¿Te sirvió?" for the next message only,
and the attacks on it (someone else's answer, a forged button, a question full of personal data)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.knowledge import KnowledgeBase
from bot.pipeline import Pipeline
from bot.settings_loading import load_settings
from nlu.base import Classifier
from storage.models import Conversation, Holder, KnowledgeAsk
from tests.support.conversation import Citizen

# The same questions under two titles: the index cannot tell them apart, so it offers both.
SHARED = {
    "es": ["necesito un certificado", "como saco un certificado", "certificado de la alcaldia",
           "donde piden el certificado", "quiero sacar un certificado"],
    "en": ["i need a certificate", "how do i get a certificate", "certificate from city hall",
           "where do i ask for a certificate", "get a certificate"],
}  # fmt: skip
TOPICS = {
    "certificado-residencia": ("Certificado de residencia", "Residence certificate", "Residencia: en línea."),
    "certificado-estrato": (
        "Certificado de estrato",
        "Socioeconomic level certificate",
        "Estrato: en Planeación.",
    ),
}


def _write(folder: Path) -> None:
    folder.mkdir()
    for slug, (es, en, answer) in TOPICS.items():
        topic = {
            "title": {"es": es, "en": en},
            "answer": {"es": answer, "en": answer},
            "questions": SHARED,
            "checked": date(2026, 11, 20),
        }
        (folder / f"{slug}.yml").write_text(yaml.safe_dump(topic, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def overlapping(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder = tmp_path_factory.mktemp("kb") / "knowledge"
    _write(folder)
    # Two topics the index cannot tell apart score 0.5 each, which config.yml's answer_at (0.5) would
    # answer with the first: a higher bar makes them the choice this file is about.
    overrides = {
        "knowledge.dir": str(folder),
        "knowledge.answer_at": "0.7",
        "nlu.model_dir": str(tmp_path_factory.mktemp("kb-model")),
    }
    return KnowledgeBase.load(load_settings(None, None, **overrides))


@pytest.fixture
def talk(make_pipeline: Callable[..., Pipeline], builtin_classifier: Classifier) -> Callable[..., Citizen]:
    def make(knowledge: KnowledgeBase, address: str = "web-ana-5f3c9d27e1", channel: str = "rest") -> Citizen:
        return Citizen(make_pipeline(builtin_classifier, knowledge), address, channel)

    return make


async def asks_of(sessions: async_sessionmaker[AsyncSession]) -> list[KnowledgeAsk]:
    async with sessions() as session:
        return list((await session.scalars(select(KnowledgeAsk).order_by(KnowledgeAsk.id))).all())


def text(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(r.text for r in replies)


def titles(replies: list) -> list[str]:  # type: ignore[type-arg]
    return [b.title for r in replies for b in r.buttons]


async def test_a_choice_answered_by_number_on_sms(
    talk: Callable[..., Citizen], overlapping: KnowledgeBase, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = talk(overlapping, "+573001234567", "sms")
    replies = await ana.says("necesito un certificado")
    assert "¿Sobre cuál de estos temas preguntas?" in text(replies)
    assert set(titles(replies)) == {"Certificado de residencia", "Certificado de estrato", "Ninguno"}
    [ask] = await asks_of(sessions)
    assert (ask.outcome, ask.topic) == ("choice", None)
    offered = [t for t in titles(replies) if t != "Ninguno"]
    second = offered[1]
    replies = await ana.says("2")
    chosen = next(slug for slug, names in TOPICS.items() if names[0] == second)
    assert TOPICS[chosen][2] in text(replies) and "¿Te sirvió?" in text(replies)
    [ask] = await asks_of(sessions)
    assert (ask.outcome, ask.topic) == ("choice", chosen)
    await ana.says("1")  # "Sí", the first button of the answer
    [ask] = await asks_of(sessions)
    assert ask.useful is True


@pytest.mark.parametrize("said", ["el de residensia", "residencia porfa", "the residence one"])
async def test_a_choice_answered_in_words_with_typos(
    said: str,
    talk: Callable[..., Citizen],
    overlapping: KnowledgeBase,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ana = talk(overlapping)
    await ana.says("como saco un certificado")
    replies = await ana.says(said)
    assert "Residencia: en línea." in text(replies)
    [ask] = await asks_of(sessions)
    assert ask.topic == "certificado-residencia"


async def test_none_of_these_is_a_miss_offered_a_person(
    talk: Callable[..., Citizen],
    overlapping: KnowledgeBase,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ana = talk(overlapping)
    await ana.says("necesito un certificado")
    replies = await ana.says("ninguno de esos")
    assert "Hablar con una persona" in titles(replies)
    [ask] = await asks_of(sessions)
    assert (ask.outcome, ask.topic) == ("miss", None)
    await ana.says("si")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None and conversation.holder != Holder.BOT


async def test_the_useful_question_takes_the_next_message_only(
    talk: Callable[..., Citizen], knowledge_base: KnowledgeBase, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ana = talk(knowledge_base)
    await ana.says("a que hora abre la alcaldia?")
    await ana.says("menu")
    await ana.says("no")  # an answer to the menu, not to "¿Te sirvió?"
    [ask] = await asks_of(sessions)
    assert ask.useful is None


async def test_someone_elses_answer_cannot_be_marked(
    talk: Callable[..., Citizen], knowledge_base: KnowledgeBase, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Bea presses the buttons Ana was shown (forged payloads): Ana's record does not move, and Bea, who
    was asked nothing, gets no answer's follow-up recorded."""
    ana, bea = talk(knowledge_base), talk(knowledge_base, "web-bea-7a1b2c3d4e")
    await ana.says("donde pago el predial")
    for forged in ("/kb_no", "/kb_yes", "/kb_more", "/kb_topic impuesto-predial", "/kb_area norte"):
        replies = await bea.says(forged)
        assert "¿Te sirvió?" not in text(replies)
    [ask] = await asks_of(sessions)
    assert ask.useful is None and ask.topic == "impuesto-predial"


async def test_the_recorded_question_is_masked(
    talk: Callable[..., Citizen], knowledge_base: KnowledgeBase, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A citizen who writes their name, phone and e-mail into a question: the city's list of questions
    keeps the question, not them."""
    ana = talk(knowledge_base)
    # (A long run of details before the question dilutes it: "Hola soy Ana Pérez, mi cel … y …@…: donde
    # pago el predial…" ranks the tax at 0.36, under answer_at, with the 26 example topics.)
    said = (
        "Soy Ana Pérez (300 123 4567, ana.perez@correo.com): "
        "¿dónde pago el impuesto predial de mi casa, calle 45 # 12-30?"
    )
    replies = await ana.says(said)
    assert "cualquier banco" in text(replies)
    [ask] = await asks_of(sessions)
    assert ask.question is not None and "predial" in ask.question
    for private in ("Ana Pérez", "4567", "correo.com", "12-30"):
        assert private.casefold() not in ask.question.casefold()
        assert private.casefold() not in (ask.folded or "")


async def test_without_a_knowledge_base_out_of_scope_still_offers_a_person(
    talk: Callable[..., Citizen],
    make_pipeline: Callable[..., Pipeline],
    builtin_classifier: Classifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ana = Citizen(make_pipeline(builtin_classifier), "web-ana-5f3c9d27e1")
    replies = await ana.says("cual es la capital de francia")
    assert "¿Quieres hablar con una persona?" in text(replies)
    assert await asks_of(sessions) == []
