"""The readings of the message after a knowledge base answer, on their own: "¿Te sirvió?", "más", a choice,
"ninguno", an area; and what must not be read as one of them (a report, a new question)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import knowledge_words as words
from bot.knowledge_files import Topic
from bot.messages import Location
from bot.settings import Settings
from bot.settings_loading import load_settings
from bot.turn import Turn
from tests.support.turns import bare_turn


@pytest.fixture(scope="module")
def config() -> Settings:
    return load_settings(None, {})


def turn(config: Settings, text: str, location: Location | None = None) -> Turn:
    return bare_turn(config, text, location=location)


def topic(slug: str, es: str, en: str) -> Topic:
    return Topic(slug, Path(f"{slug}.yml"), {"es": es, "en": en}, {"es": "-", "en": "-"}, {}, None)


@pytest.mark.parametrize(
    ("text", "useful"),
    [
        ("si", True), ("Sí, me sirvió", True), ("gracias!", True), ("👍", True), ("yes that helped", True),
        ("perfecto, mil gracias", True), ("/kb_yes", True), ("ok", True),
        ("no", False), ("no me sirvió", False), ("nada que ver", False), ("that's not what I asked", False),
        ("nop", False), ("no, eso no era", False), ("👎", False), ("/kb_no", False), ("didn't help", False),
        # Not answers: a report that starts with a no, a new question, another flow's button.
        ("no pasó el camión de la basura", None), ("y donde pago el predial?", None),
        ("/report_garbage", None), ("si pero a que hora cierran los sabados", None), ("", None),
    ],
)  # fmt: skip
def test_useful_answers(config: Settings, text: str, useful: bool | None) -> None:
    assert words.useful_answer(turn(config, text)) is useful


@pytest.mark.parametrize("text", ["más", "mas info", "Más información", "more", "tell me more", "/kb_more",
                                  "dame mas detalles porfa"])  # fmt: skip
def test_asking_for_more(config: Settings, text: str) -> None:
    assert words.wants_more(turn(config, text))


@pytest.mark.parametrize("text", ["y cuanto cuesta mas o menos el predial", "no hay mas camiones aca"])
def test_not_asking_for_more(config: Settings, text: str) -> None:
    assert not words.wants_more(turn(config, text))


@pytest.mark.parametrize("text", ["ninguno", "Ninguna de esas", "none of these", "neither", "/kb_none",
                                  "otra cosa", "ninguno de los dos"])  # fmt: skip
def test_none_of_these(config: Settings, text: str) -> None:
    assert words.says_none(turn(config, text))


OFFERED = [
    topic("certificado-residencia", "Certificado de residencia", "Residence certificate"),
    topic("certificado-estrato", "Certificado de estrato", "Socioeconomic level certificate"),
]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("/kb_topic certificado-estrato", "certificado-estrato"),
        ("el de residensia", "certificado-residencia"),
        ("estrato", "certificado-estrato"),
        ("the residence one", "certificado-residencia"),
        ("el segundo", "certificado-estrato"),
        ("el ultimo", "certificado-estrato"),
        ("certificado", None),  # both titles have it
        ("/kb_topic impuesto-predial", None),  # not offered
        ("hay un hueco en la calle 5 con carrera 7 frente al colegio", None),
    ],
)
def test_a_topic_chosen(config: Settings, text: str, slug: str | None) -> None:
    chosen = words.topic_chosen(turn(config, text), OFFERED)
    assert (chosen.slug if chosen else None) == slug


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("en el norte", "norte"), ("Centro", "centro"), ("downtown", "centro"), ("el SUR porfa", "sur"),
        ("/kb_area norte", "norte"), ("/kb_area luna", None), ("en mi casa", None),
    ],
)  # fmt: skip
def test_an_area_named(config: Settings, text: str, area: str | None) -> None:
    assert words.area_named(turn(config, text)) == area


def test_a_pin_names_its_area(config: Settings) -> None:
    assert words.area_named(turn(config, "", Location(4.70, -74.05))) == "norte"
