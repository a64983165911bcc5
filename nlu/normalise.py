"""Turn a chat message into the plain lower-case text the intent model learns from."""

from __future__ import annotations

import re
import unicodedata

from nlu.entities import find_case_codes

# The model sees at most this much of a message; the words that say what it is about come first.
MAX_CHARS = 2000

# Emojis that carry the message ("👍" alone is a yes). Both languages, so either side's words match.
EMOJI_WORDS = {
    "👍": "si yes ok",
    "👌": "ok",
    "✅": "si yes",
    "✔": "si yes",
    "👎": "no",
    "❌": "no",
    "🙏": "gracias thanks",
    "❤": "gracias thanks",
    "♥": "gracias thanks",
    "👋": "hola hello",
    "🗑": "basura trash",
    "💡": "luz light",
    "🚦": "semaforo traffic light",
    "🌳": "arbol tree",
    "🌲": "arbol tree",
    "💧": "agua water",
    "🚰": "agua water",
    "🐕": "perro dog",
    "🐶": "perro dog",
    "🐈": "gato cat",
    "🐱": "gato cat",
    "🚗": "carro car",
    "🕳": "hueco hole",
    "🔊": "ruido noise",
    "📢": "ruido noise",
    "🆘": "ayuda help",
}
_EMOJI = re.compile("|".join(map(re.escape, EMOJI_WORDS)))
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")  # "holaaaa", "siiii"; double letters (calle, carrera) stay
_DIGITS = re.compile(r"\d")
_NOT_WORD = re.compile(r"[^\w\s?!]+")
_SPACES = re.compile(r"\s+")
CASE_CODE_TOKEN = "casecode"


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Lower-case, accent-free, squeezed text with case codes and digits made generic."""
    text = text[:MAX_CHARS]
    # A case code says "this is about a case" whatever its letters; the letters themselves are noise.
    for code in reversed(find_case_codes(text)):
        text = f"{text[: code.start]} {CASE_CODE_TOKEN} {text[code.end :]}"
    text = _EMOJI.sub(lambda m: f" {EMOJI_WORDS[m.group()]} ", text)
    text = strip_accents(unicodedata.normalize("NFKC", text).lower())
    text = _REPEATS.sub(r"\1", text)
    text = _DIGITS.sub("0", text)
    text = _NOT_WORD.sub(" ", text.replace("_", " "))
    return _SPACES.sub(" ", text).strip()
