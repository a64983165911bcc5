"""What a citizen says inside a report: answers to its questions (yes, no, skip, no photo, a second
thought), and what revises or adds to it (a correction's cue, what something is not, the slot a correction
names, a second problem in the same message)."""

from __future__ import annotations

import re

from bot.words import any_of

# --- The photo step: a refusal skips it; a bare "yes" without a photo gets a nudge. ---
PHOTO_REFUSAL = any_of(
    r"\bsin (foto|fotos|imagen|fotico|fotito)\b|\bno (tengo|hay|puedo|alcance|alcanzo|se|sé)\b.{0,25}\b(foto|"
    r"fotos|camara|celular|imagen|tomar|sacar|mandar|enviar)\b|\bno (tengo|tiene) (camara|datos|saldo)\b",
    r"\b(omit|omitir|omite|omitelo|salta|saltar|saltalo|paso|pasala|sigue|siguele|continua|continuemos|"
    r"adelante|nomas|no mas)\b",
    r"\bno (photo|picture|pic|image|camera)s?\b|\bwithout (a )?(photo|picture|pic)\b|\bskip\b|\bcarry on\b|"
    r"\b(ahorita|ahora|ahorita mismo) no\b|\bno puedo\b|\bno alcanzo\b|\bestoy manejando\b|"
    r"\b(haven ?t|have not|ain ?t|havent) got (a |any )?(photo|pic|picture|camera)s?\b|\bnot right now\b|"
    r"\bmove on\b|\bcan ?t (take|send|get) (a )?(photo|picture|pic)\b|\bdon ?t have (a )?(photo|picture|"
    r"camera|pic)\b|\bdon ?t have (one|any)\b|\bno thanks\b|\bgo on\b|\bnext\b",
)
SKIP_WORDS = frozenset({
    "omitir", "omite", "saltar", "salta", "skip", "no", "nop", "no tengo", "no se", "nose", "ninguna",
    "ninguno", "sin foto", "paso", "next", "none", "no photo", "no thanks", "no gracias", "/skip", "/deny",
    "nope", "nel", "nada", "no no", "no x ahora", "no por ahora", "not now", "n",
})  # fmt: skip
YES_WORDS = frozenset({
    "si", "s", "y", "yes", "ok", "okay", "okey", "dale", "confirmo", "confirmar", "/affirm", "sip", "sii",
    "si claro", "claro", "correcto", "exacto", "de una", "sisas", "va", "sale", "vale", "yes please", "yep",
    "yeah", "sure", "si señor", "si senor", "si por favor", "si porfa", "listo", "perfecto", "asi es",
    "si registralo", "si registrar", "si confirmo", "dale si", "si dale", "ok dale", "go ahead", "correct",
    "confirm", "that s right", "yup", "ya", "simon", "obvio", "por supuesto", "registralo", "file it",
})  # fmt: skip
NO_WORDS = frozenset({"no", "n", "nop", "nope", "/deny", "nel", "no gracias", "no thanks", "nah", "no no"})
# A short answer that starts with one of these is a yes ("si, de una", "yes please do"), or a no.
YES_FIRST = frozenset({
    "si", "yes", "dale", "ok", "okay", "okey", "claro", "sure", "yeah", "yep", "yup", "sip", "simon", "va",
    "vale", "listo", "correcto", "perfecto", "obvio", "sisas", "of course", "afirmativo", "confirmo", "sii",
})  # fmt: skip
NO_FIRST = frozenset({"no", "nope", "nah", "nel", "negativo"})
# The answers the first word decides are at most this long; a longer one is read for what it says.
MAX_SHORT_ANSWER_WORDS = 6


def short_answer(said: str) -> bool | None:
    """True for a short yes ("si de una"), False for a short no ("no gracias, asi esta bien"), else None."""
    tokens = said.split()
    if not tokens or len(tokens) > MAX_SHORT_ANSWER_WORDS:
        return None
    if said in YES_WORDS or tokens[0] in YES_FIRST:
        return True
    if said in NO_WORDS or tokens[0] in NO_FIRST:
        return False
    return None


# A second thought in one answer ("si... bueno no, mejor no", "no, bueno si dale"): the part after the
# last of these is the answer.
SECOND_THOUGHT = any_of(
    r"\bmejor dicho\b|\bmejor\b|\bbueno\b|\bpensandolo (?:bien|mejor)\b|\bpensandolo\b|\bmm+\b|"
    r"\bon second thought\b|\bactually\b|\bwait\b|\bhm+\b"
)
# A yes read by the classifier counts at the confirmation only in a message this short (a "yes" hidden in a
# paragraph of instructions is not the citizen's confirmation).
MAX_CONFIRM_WORDS = 6

# --- Corrections: a cue that the message changes what was said before. ---
CORRECTION_CUES = any_of(
    r"\bme (equivoque|confundi|equivoco)\b|\bperdon\b|\bperdona\b|\bdisculpa\b|\bcorrijo\b|\bcorreccion\b|"
    r"\bquise decir\b|\bqueria decir\b|\ben realidad\b|\bmejor dicho\b|\bno es\b|\bno era\b|\bno,? no\b|"
    r"\bera otra\b|\bes otra\b|\bla (direccion|ubicacion) (correcta |real )?(es|era)\b|\bcambia(r|le|"
    r"la|lo)?\b|"
    r"\bdigo\b|\bojo\b|\berror\b|\besta mal\b|\bestaba mal\b|\buy\b|\bno en\b|\bno la\b|\bno el\b|"
    r"\bsino\b|\bmas bien\b|\bnah\b",
    r"\bsorry\b|\bi meant\b|\bactually\b|\bcorrection\b|\bwrong\b|\bmistake\b|\bchange (the|it|that|my)\b|"
    r"\bi mean\b|\boops\b|\bnot the\b|\bnot a\b|\bnot on\b|\bnot at\b|\brather\b|\binstead\b|\bmy bad\b|"
    r"\bit s not\b|\bits not\b|\bisn t\b|\bwait\b",
)
# "no es un árbol", "not the road": the part that says what it is not, left out before classifying again.
NEGATED_PART = re.compile(
    r"\b(?:no es|no era|no son|no fue|it s not|its not|isn t|wasn t|not)\s+"
    r"(?:(?:un|una|el|la|los|las|del|de la|a|an|the|about|de|en)\s+)?\w+"
    r"(?:\s+(?:caido|caida|roto|rota|danado|danada|de \w+|del \w+))?"
    r"|\bno (?:un|una|el|la|los|las) \w+(?:\s+(?:caido|caida|roto|rota|danado|danada|de \w+|del \w+))?"
)
# "la dirección es Mitre 450", "address: 12 High St": the place after a word that names the slot.
PLACE_AFTER_NAME = re.compile(
    r"(?:direcci[oó]n|ubicaci[oó]n|lugar|address|location|place)\s*(?:correcta|real|right|correct)?\s*"
    r"(?:es|era|queda|is|was|:|=|should be)\s*:?\s*(?P<place>\S.*)$",
    re.IGNORECASE,
)
DESCRIPTION_AFTER_NAME = re.compile(
    r"(?:(?:descripci[oó]n|description|detalle)\s*(?:es|era|is|was|:|=|should be)\s*:?"
    r"|(?:descripci[oó]n|description|detalle|corrijo|corrige|correcci[oó]n|lo que dije|lo q dije)\b"
    r"[^:\n]{0,25}?(?:\s?:|\s[\-–—]\s)"
    r")\s*(?P<text>\S.*)$",
    re.IGNORECASE,
)

# --- Two problems in one message: where a second one starts. ---
SECOND_PROBLEM = re.compile(
    r"\s*(?:,?\s*\by\s+(?:tb|tmb|tbn)\b|,?\s*\b(?:tb|tmb|tbn)\b|,?\s*\by\s+por\s+(?:eso|la\s+misma|lo\s+mismo)\b|"
    r",?\s+y\s+(?=hay\b|el\s|la\s|los\s|las\s|un\s|una\s|encima\b)|,?\s+and\s+(?=there|a\s|the\s|an\s)|"
    r",?\s*\by\s+adem[aá]s\b|,?\s*\badem[aá]s\b|,?\s*\by\s+tambi[eé]n\b|,?\s*\btambi[eé]n\b|"
    r",?\s*\by\s+encima\b|,?\s*\by\s+otra\s+cosa\b|,?\s*\botra\s+cosa\b|,?\s*\baparte\b|"
    r",?\s*\band\s+also\b|,?\s*\balso\b|,?\s*\bplus\b|,?\s*\bas\s+well\s+as\b|,?\s*\band\s+another\b|"
    r",?\s*\bon\s+top\s+of\s+that\b|(?<=[^\W\d_]{4})\.\s+(?=[^\W\d_]))\s*",
    re.IGNORECASE,
)

# Words without which a message cannot hold two problems: a cheap test before SECOND_PROBLEM splits it.
_TWO_MARKERS = frozenset({
    "y", "and", "ademas", "tambien", "tb", "tmb", "tbn", "also", "plus", "aparte", "otra", "encima", "well",
    "top", "another",
})  # fmt: skip


def may_hold_two(said: str, text: str) -> bool:
    """Whether a message (`said`: folded) has a word that may start a second problem, or a second sentence."""
    return not _TWO_MARKERS.isdisjoint(said.split()) or ". " in text
