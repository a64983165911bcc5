"""A 1–5 rating read from what a citizen typed: "5", "un 4", "cinco", "excelente", "meh 3", "4/5", "★★★★".

Strict on purpose: every word must belong to a rating ("le doy un 4, muy amable") or the message is not
one ("hay un bache en la 5"), so a citizen who moves on is never taken for a rating.
"""

from __future__ import annotations

import re

from bot.words import fold

NUMBERS = {
    "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "two": 2, "three": 3, "four": 4, "five": 5,
}  # fmt: skip
# Also articles ("una atención excelente"): a number only when no word says how it was.
WEAK_ONES = frozenset({"uno", "una", "one"})
# What a word says about the service on its own; an intensifier before it goes to the end of the scale.
GOOD = {
    "excelente": 5, "excelentisimo": 5, "excelentisima": 5, "perfecto": 5, "perfecta": 5, "genial": 5,
    "buenisimo": 5, "buenisima": 5, "estupendo": 5, "estupenda": 5, "maravilloso": 5, "fenomenal": 5,
    "espectacular": 5, "increible": 5, "chevere": 5, "bacan": 5, "bacano": 5, "chido": 5, "padrisimo": 5,
    "barbaro": 5, "joya": 5, "copado": 5, "buenazo": 5, "buenaza": 5, "guay": 5, "10": 5,
    "10/10": 5, "diez": 5,
    "excellent": 5, "great": 5, "amazing": 5, "perfect": 5, "awesome": 5, "fantastic": 5, "superb": 5,
    "bueno": 4, "buena": 4, "bien": 4, "padre": 4, "good": 4, "nice": 4, "helpful": 4,
}  # fmt: skip
NEUTRAL = {
    "regular": 3, "normal": 3, "aceptable": 3, "meh": 3, "mas o menos": 3, "masomenos": 3, "ahi": 3,
    "average": 3, "so so": 3, "so-so": 3, "mediocre": 3,
}  # fmt: skip
BAD = {
    "malo": 2, "mala": 2, "mal": 2, "deficiente": 2, "flojo": 2, "floja": 2, "bad": 2, "poor": 2,
    "pesimo": 1, "pesima": 1, "horrible": 1, "terrible": 1, "fatal": 1, "malisimo": 1, "malisima": 1,
    "nefasto": 1, "nefasta": 1, "awful": 1, "useless": 1, "worst": 1,
}  # fmt: skip
QUALITY = GOOD | NEUTRAL | BAD
INTENSIFIERS = frozenset({"muy", "re", "super", "bien", "tan", "demasiado", "very", "really", "so", "pretty"})
NEGATIONS = frozenset({"no", "not", "nada", "isnt", "wasnt"})
LINKS = frozenset({"fue", "estuvo", "es", "was", "is", "it"})  # "no fue malo", "not so bad", "wasn't it"
# Words that may surround a rating without making it something else.
FILLER = frozenset({
    "verdad", "sinceramente", "honestamente", "honestly", "overall", "general",
    "un", "le", "doy", "te", "pongo", "daria", "diria", "que", "es", "fue", "estuvo", "esta", "el", "la",
    "lo", "los", "de", "sobre", "del", "al", "mi", "su", "nota", "calificacion", "puntaje", "puntuacion",
    "califico", "calificaria", "estrellas", "estrella", "puntos", "servicio", "atencion", "chat",
    "conversacion", "gracias", "muchas", "mil", "amable", "rapido", "rapida", "todo", "y", "pues", "bueno",
    "mmm", "mm", "eh", "ah", "nomas", "para", "senorita", "chica", "chico", "joven", "agente", "persona",
    "equipo", "i", "d", "ll", "s", "give", "it", "a", "an", "was", "the", "service", "rating", "rate",
    "would", "say", "thanks", "thank", "you", "stars", "star", "points", "out", "of", "my", "and", "is",
    "its", "for", "your", "help", "answer", "to", "lady", "guy", "agent", "person", "team",
})  # fmt: skip
# "4/5", "4 de 5", "4 out of 5", "4 sobre 5": the first number is the rating.
OUT_OF_FIVE = re.compile(r"\b([1-5])\s*(?:/|de|sobre|out of)\s*5\b")
TWO_WORDS = re.compile(r"\b(mas o menos|so so)\b")
STARS = re.compile(r"[★⭐]")
MAX_WORDS = 8


def rating_in(text: str) -> int | None:
    """The 1–5 rating the text gives, or None when it is not (only) a rating."""
    stars = len(STARS.findall(text))
    said = fold(STARS.sub(" ", text).replace("☆", " "))
    if not said:
        return stars if 1 <= stars <= 5 else None
    tokens = TWO_WORDS.sub(lambda m: m.group(1).replace(" ", "_"), OUT_OF_FIVE.sub(r"\1", said)).split()
    if len(tokens) > MAX_WORDS:
        return None
    numbers: set[int] = set()
    weak: set[int] = set()
    words: list[int] = []
    for index, token in enumerate(tokens):
        token = token.replace("_", " ")
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in NUMBERS:
            numbers.add(NUMBERS[token])
        elif token in WEAK_ONES:
            weak.add(1)
        elif token == "bien" and following in QUALITY:
            continue  # "bien bueno": an intensifier here
        elif token in QUALITY:
            words.append(_qualified(QUALITY[token], tokens[max(0, index - 2) : index]))
        elif token not in FILLER and token not in INTENSIFIERS and token not in NEGATIONS:
            return None  # a word that is not about a rating: the citizen said something else
    if not numbers and not words:
        numbers = weak
    if numbers:
        # "meh 3": a number says it exactly; two different numbers ("4 o 5") say nothing sure.
        return numbers.pop() if len(numbers) == 1 else None
    return words[0] if words and len(set(words)) == 1 else None


def _qualified(score: int, before: list[str]) -> int:
    """ "muy bueno" is 5, "muy malo" 1; "no muy bueno", "not good" 2; "no fue malo", "not bad" 3."""
    last = before[-1] if before else ""
    negated = last in NEGATIONS or (
        len(before) == 2 and before[0] in NEGATIONS and (last in INTENSIFIERS or last in LINKS)
    )
    if negated:
        return 2 if score >= 4 else 3
    if last in INTENSIFIERS and score != 3:
        return 5 if score >= 4 else 1
    return score
