"""How a citizen answers the knowledge base's questions, matched on folded text: "¿Te sirvió?" (yes, no,
more), which of two or three topics, and which area. Nothing here answers or changes the dialogue."""

from __future__ import annotations

from difflib import SequenceMatcher

from bot import report_words
from bot.knowledge_files import Topic
from bot.turn import Turn
from bot.words import any_of, fold

# The answer's buttons; a stale one (pressed after the question lapsed) is read as nothing of ours.
YES, NO, MORE, NONE = "/kb_yes", "/kb_no", "/kb_more", "/kb_none"
TOPIC, AREA = "/kb_topic ", "/kb_area "
# Past this many words a message says more than an answer to "¿Te sirvió?": it is read as itself.
MAX_ANSWER_WORDS = 8
# A yes or no its first word decides ("si gracias", "no para nada") is at most this long.
MAX_BARE_WORDS = 3

# Checked before the yes: "no me sirvio" holds "me sirvio".
NOT_USEFUL = any_of(
    r"\bno (me |nos )?(sirvio|sirve|ayudo|ayuda|resolvio|aclaro)\b", r"\bnada que ver\b",
    r"\bno (era|es) (eso|lo que)\b", r"\beso no (era|es)\b", r"\bno tiene nada que ver\b", r"\bpara nada\b",
    r"\bno entendiste\b", r"\bno me entendiste\b", r"\bnot what i (asked|meant|wanted)\b", r"\bnope\b",
    r"\b(didn ?t|did not|doesn ?t|does not) help\b", r"\bnot (helpful|useful|really)\b", r"\bwrong\b",
    r"\bunhelpful\b", r"\buseless\b", r"\bno sirve\b", r"\bnegativo\b",
)  # fmt: skip
USEFUL = any_of(
    r"\b(me |nos )?(sirvio|sirve|ayudo|ayuda)\b", r"\bgracias\b", r"\bthanks?\b", r"\bthank you\b",
    r"\bperfecto\b", r"\bexcelente\b", r"\bgenial\b", r"\bbuenisimo\b", r"\bchevere\b", r"\bbacano\b",
    r"\bde una\b", r"\bjoya\b", r"\bbarbaro\b", r"\bhelped\b", r"\bhelpful\b", r"\buseful\b", r"\bgreat\b",
    r"\bperfect\b", r"\bcool\b", r"\bexcellent\b", r"\bok(ay|a|is)?\b", r"\bvale\b", r"\blisto\b",
    r"\bclaro\b", r"\bde lujo\b", r"\bsuper\b",
)  # fmt: skip
MORE_WORDS = any_of(
    r"^(\w+ )?mas( info(rmacion)?| detalles?| datos)?( por favor| porfa| pls| please)?$",
    r"\b(dame|dime|quiero|necesito|mandame|pasame|ver|saber) (un poco )?mas"
    r"( info(rmacion)?| detalles?| datos)?( por favor| porfa| pls)?$",
    r"^(mas )?detalles( por favor| porfa)?$",
    r"^more( info(rmation)?| details?)?( please| pls)?$", r"\btell me more\b", r"\bmore (info|details)\b",
)  # fmt: skip
NONE_WORDS = any_of(
    r"^(\w+ )?(ninguno|ninguna|ningunos|ningunas|ninguno de esos|ninguna de esas|ni uno ni otro|"
    r"ninguno de los (dos|tres)|ningun tema|otro|otra|otra cosa|none|none of (these|them|those)|neither|"
    r"something else|other)( de esos| de esas| de estos| de estas| de los dos| of them)?$",
    r"^(no es |no era |it s |its )?(ninguno|ninguna|none|neither)\b",
)  # fmt: skip
ORDINALS = {
    "primero": 1, "primera": 1, "el primero": 1, "la primera": 1, "first": 1, "the first": 1, "first one": 1,
    "the first one": 1, "segundo": 2, "segunda": 2, "el segundo": 2, "la segunda": 2, "second": 2,
    "the second": 2, "second one": 2, "the second one": 2, "tercero": 3, "tercera": 3, "el tercero": 3,
    "la tercera": 3, "third": 3, "the third": 3, "third one": 3, "the third one": 3, "el de arriba": 1,
    "el de abajo": -1, "el ultimo": -1, "la ultima": -1, "the last one": -1, "the last": -1,
}  # fmt: skip
# Words too common in titles to tell two topics apart.
COMMON = frozenset({
    "de", "del", "la", "el", "los", "las", "y", "en", "a", "por", "para", "con", "un", "una", "que", "the",
    "and", "of", "to", "for", "in", "on", "lo", "sobre", "about", "tema", "topic", "uno", "one",
})  # fmt: skip
SIMILAR = 0.8  # how alike a typed word and a title's word must be ("recoleccion" / "recolecion")


def useful_answer(turn: Turn) -> bool | None:
    """The answer to "¿Te sirvió?": True, False, or None when the message is something else."""
    text, said = turn.text.strip(), turn.said
    if text in (YES, NO):
        return text == YES
    if "👎" in text:
        return False
    if "👍" in text or (text and not said and any(c in text for c in "🙏👌😊🙂❤")):
        return True
    tokens = said.split()
    if not tokens or len(tokens) > MAX_ANSWER_WORDS or text.startswith("/"):
        return None
    if NOT_USEFUL.search(said):
        return False
    if USEFUL.search(said):
        return True
    # "no paso el camion de la basura" starts with a no but is a report: only a short one is an answer.
    return report_words.short_answer(said) if len(tokens) <= MAX_BARE_WORDS else None


def wants_more(turn: Turn) -> bool:
    said = turn.said
    short = len(said.split()) <= MAX_ANSWER_WORDS
    return turn.text.strip() == MORE or (short and MORE_WORDS.search(said) is not None)


def says_none(turn: Turn) -> bool:
    said = turn.said
    short = len(said.split()) <= MAX_ANSWER_WORDS
    return turn.text.strip() == NONE or (short and NONE_WORDS.search(said) is not None)


def _alike(word: str, words: set[str]) -> bool:
    return word in words or any(
        len(w) >= 4 and SequenceMatcher(None, word, w).ratio() >= SIMILAR for w in words
    )


def topic_chosen(turn: Turn, offered: list[Topic]) -> Topic | None:
    """Which offered topic the message picks: its button, an ordinal ("el segundo"), or words of its title
    however typed ("el de la basura", "predail"); None when it picks none or more than one."""
    text, said = turn.text.strip(), turn.said
    if text.startswith(TOPIC):
        slug = text.removeprefix(TOPIC)
        return next((t for t in offered if t.slug == slug), None)
    if text.startswith("/") or len(said.split()) > MAX_ANSWER_WORDS:
        return None
    place = ORDINALS.get(said)
    if place is not None and offered:
        return offered[place - 1] if 1 <= place <= len(offered) else offered[-1] if place == -1 else None
    typed = [w for w in said.split() if w not in COMMON and len(w) >= 3]
    scores = []
    for topic in offered:
        words = {w for title in topic.title.values() for w in fold(title).split() if w not in COMMON}
        words |= {w for w in topic.slug.split("-") if w not in COMMON}
        scores.append(sum(_alike(w, words) for w in typed))
    best = max(scores, default=0)
    return offered[scores.index(best)] if best > 0 and scores.count(best) == 1 else None


def area_named(turn: Turn) -> str | None:
    """The area a message names ("en el norte", "centro", "downtown", its button) or its pin lies in."""
    areas, text = turn.settings.areas, turn.text.strip()
    if text.startswith(AREA):
        key = text.removeprefix(AREA)
        return key if key in areas else None
    location = turn.inbound.location
    if location is not None:
        area = turn.settings.area_of(location.latitude, location.longitude)
        return next((key for key, a in areas.items() if a is area), None)
    said = turn.said
    for key, area in areas.items():
        names = {key, fold(area.name.es), fold(area.name.en)}
        if any_of(*(rf"\b{n}\b" for n in names if n)).search(said):
            return key
    return None
