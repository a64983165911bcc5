"""How the bot reads a citizen's words: `clean_text` (what is stored), `fold` (what the word lists match) and
`any_of` (how a list of phrases becomes one pattern).

The lists themselves are by what they are for: `bot.anytime_words` (what a citizen may say whatever the
bot asked), `bot.danger_words` (emergencies and hazards), `bot.report_words` (answers to the report's
questions, and what revises or adds to a report). Every list is matched on folded text (`fold`: lower
case, no accents, punctuation gone). Whole-message lists (`*_WORDS`) must be the entire message;
`*_PHRASES` patterns may occur anywhere in it. The classifier reads meaning; these lists catch what must
never depend on a model's mood (an emergency, "cancel", a request for a person) and what a model cannot
know (which slot a correction names).
"""

from __future__ import annotations

import re
import unicodedata

from bot.messages import storable


def clean_text(value: str) -> str:
    """Text any database stores (bot.messages.storable), without surrounding space."""
    return storable(value).strip()


def fold(value: str) -> str:
    """Lower-case, accents and punctuation gone, spaces squeezed: "¡Menú!" → "menu"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w/#-]+", " ", bare).strip()


def any_of(*patterns: str) -> re.Pattern[str]:
    """One pattern that matches where any of `patterns` does."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))
