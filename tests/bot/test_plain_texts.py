"""Issue 19: the plain variants of the bot's texts keep their originals' keys and placeholders, are made of
short sentences, are never longer than the original, and cover the conversation a citizen mostly has."""

from __future__ import annotations

import re
import string

import pytest

from bot.plain_texts import PLAIN
from bot.settings_loading import load_settings
from bot.texts import TEXTS
from storage.models import Citizen
from tests.support.turns import bare_turn

MAX_SENTENCE_WORDS = 12
# The report flow, greeting, menu and help, clarification, the offer of a person, the case filed, status
# answers, and preferential attention's offer and confirmations.
COVERED = (
    "greeting",
    "menu",
    "help",
    "clarify",
    "offer_person",
    "frustration",
    "handoff",
    "ask_service",
    "ask_description",
    "ask_location",
    "ask_photo",
    "location_nudge",
    "photo_nudge",
    "description_too_short",
    "confirm_again",
    "filed",
    "cancelled",
    "case_not_found",
    "no_open_cases",
    "not_a_code",
    "case_status",
    "publish_ask",
    "preferential_offer",
    "preferential_declined",
    "preferential_which",
    "preferential_already",
    "preferential_withdrawn",
    "preferential_none",
)
# Read by a citizen the moment they become preferential, so plain already (no variant needed).
PLAIN_ALREADY = ("preferential_granted",)
PAIRS = [(key, language) for key, entry in PLAIN.items() for language in entry]


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_plain_texts_cover_what_a_citizen_mostly_reads() -> None:
    assert set(COVERED) <= set(PLAIN)


@pytest.mark.parametrize(("key", "language"), PAIRS)
def test_a_plain_text_matches_its_original(key: str, language: str) -> None:
    assert key in TEXTS and language in TEXTS[key]
    plain, original = PLAIN[key][language], TEXTS[key][language]
    assert fields(plain) == fields(original)
    assert len(plain) <= len(original)


PLAIN_TO_READ = [(PLAIN, key, language) for key, language in PAIRS] + [
    (TEXTS, key, language) for key in PLAIN_ALREADY for language in TEXTS[key]
]


@pytest.mark.parametrize(("texts", "key", "language"), PLAIN_TO_READ)
def test_every_plain_sentence_is_short(texts: dict[str, dict[str, str]], key: str, language: str) -> None:
    sentences = [s for s in re.split(r"[.!?\n:]+", texts[key][language]) if s.strip(" •¿¡")]
    assert all(len(s.split()) <= MAX_SENTENCE_WORDS for s in sentences), sentences


def test_a_plain_citizen_reads_the_plain_text_and_others_the_usual_one() -> None:
    settings = load_settings(None, {})
    turn = bare_turn(settings, "hola")
    assert turn.t("ask_service") == TEXTS["ask_service"]["es"]
    turn.citizen.plain_language = True
    assert turn.t("ask_service") == PLAIN["ask_service"]["es"]
    assert turn.t("my_data_title") == TEXTS["my_data_title"]["es"]  # no plain variant: the usual one
    preferential = bare_turn(settings, "hola")
    preferential.citizen = Citizen(language="es", preferential="elderly")
    assert preferential.t("filed", code="ABC-123") == PLAIN["filed"]["es"].format(code="ABC-123")


def test_a_person_is_offered_sooner_to_a_plain_citizen() -> None:
    settings = load_settings(None, {})
    turn = bare_turn(settings, "hola")
    usual = turn.patience()
    assert usual == settings.dialogue.max_misunderstandings == 2
    turn.citizen.plain_language = True
    assert turn.patience() == settings.dialogue.max_misunderstandings_plain == 1
