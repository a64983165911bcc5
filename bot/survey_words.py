"""How a survey's answers are read: a button, a number ("la 2", "1 y 3", "cinco"), stars, or a choice's own
words with typos; SALTAR for an optional question; ENCUESTA to answer (again).

Pure functions of the folded text and the question as the dialogue state keeps it: {"kind", "optional",
"choices": [[key, es, en], …]}."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from bot.words import any_of, fold

PAYLOAD = "/sv:"  # "/sv:<question>:<choice>": a choice's button
START_PAYLOAD = "/sv_start:"  # "/sv_start:<survey id>": which survey to answer, when several are open
SKIP = "/skip"
MAX_TEXT = 500  # a free-text answer is short; the rest is cut
MAX_CHOICE_WORDS = 12  # more than this is a message about something else, not a pick
MAX_SCALE_WORDS = 8

SKIP_WORDS = frozenset({
    "saltar", "salta", "salto", "saltala", "saltar pregunta", "skip", "skip it", "omitir", "omito", "paso",
    "pasar", "siguiente", "next", "/skip", "prefiero no responder", "prefiero no contestar", "pass",
})  # fmt: skip
START_WORDS = frozenset({
    "encuesta", "la encuesta", "/encuesta", "responder encuesta", "responder la encuesta",
    "contestar encuesta", "contestar la encuesta", "survey", "the survey", "/survey", "answer survey",
    "answer the survey", "take the survey", "encuesta por favor",
    "quiero responder la encuesta", "quiero contestar la encuesta",
})  # fmt: skip
START_PHRASES = any_of(
    r"\b(cambiar|corregir|modificar|cambia|cambio)\b( (de|mis?|la|las|el|los))* (respuestas?|voto)\b",
    r"\b(responder|contestar|llenar|hacer|completar|seguir|terminar|retomar)( (la|con la|mi))? encuesta\b",
    r"\bchange (my )?(answer|answers|vote)\b",
    r"\b(answer|take|finish|continue|redo) (the )?survey\b",
)
NUMBER_WORDS = {
    "uno": 1, "primera": 1, "primero": 1, "one": 1, "first": 1,
    "dos": 2, "segunda": 2, "segundo": 2, "two": 2, "second": 2,
    "tres": 3, "tercera": 3, "tercero": 3, "three": 3, "third": 3,
    "cuatro": 4, "cuarta": 4, "cuarto": 4, "four": 4, "fourth": 4,
    "cinco": 5, "quinta": 5, "quinto": 5, "five": 5, "fifth": 5,
    "seis": 6, "sexta": 6, "six": 6, "sixth": 6, "siete": 7, "septima": 7, "seven": 7,
    "ocho": 8, "octava": 8, "eight": 8, "nueve": 9, "novena": 9, "nine": 9,
}  # fmt: skip
ALL_WORDS = frozenset({"todas", "todos", "todas las anteriores", "todas ellas", "all", "all of them"})
# Words around a pick that say nothing about which one it is.
FILLER = frozenset({
    "la", "el", "lo", "los", "las", "opcion", "opciones", "numero", "nro", "no", "n", "#", "elijo", "escojo",
    "prefiero", "voto", "voto por", "por", "mi", "es", "de", "del", "y", "e", "o", "a", "the", "option",
    "number", "i", "choose", "pick", "vote", "for", "and", "or", "me", "quedo", "con", "gusta", "mas",
    "obvio", "pues", "si", "creo", "que", "para", "yo", "digo", "dale", "ok", "bueno", "una", "un",
})  # fmt: skip


def numbers_in(said: str) -> list[int]:
    """The numbers said, as digits ("1,3" → [1, 3]) or words ("la dos y la cuatro" → [2, 4])."""
    found: list[int] = []
    for token in re.findall(r"\w+", said):
        value = int(token) if token.isdigit() else NUMBER_WORDS.get(token)
        if value is not None and value not in found:
            found.append(value)
    return found


def _close(a: str, b: str) -> bool:
    """The same word, allowing a typo or two in longer words ("biblioteca" ~ "bibloteca")."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= 0.8


def _content(label: str) -> set[str]:
    return {w for w in fold(label).split() if len(w) >= 3 and w not in FILLER}


def _named(said: str, choices: list[list[str]]) -> list[str]:
    """The choices the message names by their words: the whole label, or a word only that choice has."""
    tokens = [t for t in said.split() if t not in FILLER]
    words = [_content(es) | _content(en) for _, es, en in choices]
    named: list[str] = []
    for i, (key, es, en) in enumerate(choices):
        labels = {fold(es), fold(en)}
        others = set().union(*(w for j, w in enumerate(words) if j != i))
        own = words[i] - others
        whole = any(re.search(rf"\b{re.escape(label)}\b", said) for label in labels if label)
        close = any(SequenceMatcher(None, said, label).ratio() >= 0.85 for label in labels)
        if whole or close or any(_close(t, w) for t in tokens for w in own):
            named.append(key)
    return named


def _pick_by_number(said: str, count: int) -> list[int]:
    picked = numbers_in(said)
    return picked if picked and all(1 <= n <= count for n in picked) else []


def read_single(said: str, text: str, key: str, choices: list[list[str]]) -> str | None:
    keys = [c[0] for c in choices]
    if text.startswith(f"{PAYLOAD}{key}:") and text.rsplit(":", 1)[1] in keys:
        return text.rsplit(":", 1)[1]
    if not said or len(said.split()) > MAX_CHOICE_WORDS or text.startswith("/"):
        return None
    picked = _pick_by_number(said, len(choices))
    if len(picked) == 1 and not [t for t in said.split() if t not in FILLER and not _is_number(t)]:
        return keys[picked[0] - 1]
    named = _named(said, choices)
    if len(named) == 1:
        return named[0]
    return keys[picked[0] - 1] if len(picked) == 1 and not named else None


def _is_number(token: str) -> bool:
    return token.isdigit() or token in NUMBER_WORDS


def read_multiple(said: str, text: str, key: str, choices: list[list[str]]) -> list[str] | None:
    keys = [c[0] for c in choices]
    if text.startswith(f"{PAYLOAD}{key}:"):
        chosen = text.rsplit(":", 1)[1].split(",")
        return chosen if chosen and all(c in keys for c in chosen) else None
    if not said or len(said.split()) > MAX_CHOICE_WORDS * 2 or text.startswith("/"):
        return None
    if said in ALL_WORDS:
        return keys
    numbered = {keys[n - 1] for n in _pick_by_number(said, len(choices))}
    named = set(_named(said, choices))
    return [k for k in keys if k in numbered | named] or None


def read_scale(said: str, text: str, key: str) -> int | None:
    if text.startswith(f"{PAYLOAD}{key}:"):
        value = text.rsplit(":", 1)[1]
        return int(value) if value in ("1", "2", "3", "4", "5") else None
    tokens = re.findall(r"\w+", said)
    if len(tokens) > MAX_SCALE_WORDS or text.startswith("/"):
        return None
    found = numbers_in(said)
    if found:
        return found[0] if 1 <= found[0] <= 5 else None
    stars = text.count("⭐") or text.count("★")
    return stars if 1 <= stars <= 5 else None


def read(question: dict[str, Any], key: str, text: str) -> Any:
    """The answer's value (a choice's key, a list of keys, 1–5, or text), or None when it is not one."""
    said = fold(text)
    kind, choices = question["kind"], question.get("choices") or []
    if kind == "single":
        return read_single(said, text.strip(), key, choices)
    if kind == "multiple":
        return read_multiple(said, text.strip(), key, choices)
    if kind == "scale":
        return read_scale(said, text.strip(), key)
    body = text.strip()
    return body[:MAX_TEXT] if body and said and not body.startswith("/") else None


def skips(text: str) -> bool:
    return text.strip() == SKIP or fold(text) in SKIP_WORDS


def starts(text: str) -> bool:
    said = fold(text)
    return said in START_WORDS or text.startswith(START_PAYLOAD) or bool(START_PHRASES.search(said))


def foreign_button(text: str) -> bool:
    """A button of something else than the survey (the menu's, a report's)."""
    payload = text.strip()
    ours = payload.startswith((PAYLOAD, START_PAYLOAD)) or payload == SKIP
    return payload.startswith("/") and not ours and fold(payload) not in START_WORDS | SKIP_WORDS
