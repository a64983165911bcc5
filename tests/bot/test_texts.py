"""Every text the bot says exists in Spanish and English, with the same blanks to fill."""

from __future__ import annotations

import string

import pytest

from bot.texts import STATUS_NAMES, TEXTS, text
from storage.models import CaseStatus


def blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_both_languages_with_the_same_blanks(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == {"es", "en"}
    assert blanks(entry["es"]) == blanks(entry["en"])
    assert entry["es"] != entry["en"] or key == "open_case_line"


def test_every_case_status_has_a_name_in_both_languages() -> None:
    assert set(STATUS_NAMES) == {s.value for s in CaseStatus}
    assert all(set(names) == {"es", "en"} for names in STATUS_NAMES.values())


def test_unknown_language_falls_back_to_spanish() -> None:
    assert text("cancelled", "pt") == TEXTS["cancelled"]["es"]
