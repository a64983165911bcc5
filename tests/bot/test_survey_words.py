"""How a survey's answers are read, as people write them (bot/survey_words.py)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.survey_words import read, skips, starts

CHOICES = [
    ["parque", "Parque del barrio", "Neighbourhood park"],
    ["alumbrado", "Más alumbrado", "More street lighting"],
    ["biblioteca", "Biblioteca", "Library"],
    ["ciclovia", "Ciclovía", "Cycle lane"],
]
SINGLE: dict[str, Any] = {"kind": "single", "choices": CHOICES}
MULTIPLE: dict[str, Any] = {"kind": "multiple", "choices": CHOICES}
SCALE: dict[str, Any] = {"kind": "scale"}
TEXT: dict[str, Any] = {"kind": "text"}


@pytest.mark.parametrize(
    ("said", "chosen"),
    [
        ("/sv:q:biblioteca", "biblioteca"), ("2", "alumbrado"), ("la 2", "alumbrado"),
        ("opción 3", "biblioteca"),
        ("la segunda", "alumbrado"), ("la bibloteca", "biblioteca"), ("Library", "biblioteca"),
        ("mas alumbrado porfa", "alumbrado"), ("el parque obvio", "parque"), ("CICLOVIA!!", "ciclovia"),
        ("creo que la 4 esta bien", "ciclovia"),
        ("/sv:otra:biblioteca", None), ("/sv:q:piscina", None), ("7", None), ("1 y 3", None), ("no se", None),
        ("hay un bache enorme en la esquina de mi casa hace una semana y nadie viene", None),
    ],
)  # fmt: skip
def test_single(said: str, chosen: str | None) -> None:
    assert read(SINGLE, "q", said) == chosen


@pytest.mark.parametrize(
    ("said", "chosen"),
    [
        ("1 y 3", ["parque", "biblioteca"]), ("1,3", ["parque", "biblioteca"]),
        ("la 2 y la 4", ["alumbrado", "ciclovia"]), ("biblioteca y ciclovia", ["biblioteca", "ciclovia"]),
        ("todas", ["parque", "alumbrado", "biblioteca", "ciclovia"]),
        ("la dos y la cuatro", ["alumbrado", "ciclovia"]),
        ("1 y 7", None), ("ninguna me gusta", None),
    ],
)  # fmt: skip
def test_multiple(said: str, chosen: list[str] | None) -> None:
    assert read(MULTIPLE, "q", said) == chosen


@pytest.mark.parametrize(
    ("said", "score"),
    [("4", 4), ("cinco", 5), ("5 estrellas", 5), ("le pongo un 4", 4), ("4/5", 4), ("⭐⭐⭐", 3),
     ("/sv:q:2", 2), ("10", None), ("0", None), ("regular", None)],
)  # fmt: skip
def test_scale(said: str, score: int | None) -> None:
    assert read(SCALE, "q", said) == score


def test_text_is_anything_but_a_button_and_is_cut_at_500() -> None:
    assert read(TEXT, "q", "  más bancas en la plaza ") == "más bancas en la plaza"
    assert read(TEXT, "q", "/start") is None and read(TEXT, "q", "   ") is None
    assert len(read(TEXT, "q", "a" * 900)) == 500


def test_skip_and_start_words() -> None:
    assert all(skips(w) for w in ("saltar", "SALTAR", "Skip", "/skip", "paso", "siguiente"))
    assert not skips("no sé")
    assert all(
        starts(w)
        for w in ("encuesta", "Encuesta!", "responder encuesta", "quiero cambiar mi respuesta", "survey",
                  "change my answer", "/sv_start:3", "quiero cambiar mis respuestas")
    )  # fmt: skip
    assert not any(starts(w) for w in ("quiero recibir encuestas", "hay un bache", "la respuesta del agua"))
