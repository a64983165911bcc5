"""What says a citizen may need preferential attention (issue 19), and the words that ask for it, take it
back, or ask for simpler replies. Matched on folded text (bot.words.fold).

Precision first: a wrong offer annoys, and a missed one can still be asked for. So a cue needs the person
to be the writer or someone they speak for ("tengo 82 años", "mi mamá está en silla de ruedas"): an age
alone ("calle 80", "hace 80 días", "un árbol de 100 años") or a word with an everyday sense ("poste
ciego", "el bebedero", "hay un niño jugando") is not one.
"""

from __future__ import annotations

import re

from bot.words import any_of

# An age from sixty up to a hundred and nineteen.
_OLD = r"(?:[6-9]\d|1[01]\d)"
_YEARS = r"(?:anos|anitos|anios|aos|ano|abriles|years?)"
# Someone a citizen may write for, "mi mamá", "my dad".
_KIN = (
    r"(?:mi|mis|my)\s+(?:mama|mami|mamita|papa|papi|papito|madre|padre|abuel[ao]s?|abuelit[ao]s?|suegr[ao]"
    r"|tia|tio|esposo|esposa|marido|senora|mujer|hij[oa]|herman[oa]|vieja|viejo|mom|mum|mother|dad|father"
    r"|grandma|grandpa|grandmother|grandfather|husband|wife|son|daughter|brother|sister|parents?|padres)"
)
# An age said of oneself or of them, and not of a thing ("tengo 70 mil pesos", "I'm 60 meters away"). Whole
# words: "m" (metres) must not stop "im 80 myself".
_NOT_AGE = (
    r"(?!\s*(?:(?:mil|pesos|dolares|soles|euros|dias|meses|semanas|horas|minutos|metros|m|mts|cuadras|km"
    r"|casas|vecinos|reportes|casos|por|meters|yards|miles|feet|days|weeks|hours|minutes|blocks|houses)\b|%))"
)
ELDERLY = any_of(
    rf"\b(?:tengo|tenes|tienes|cumpli|cumplo|cumpliendo)\s+(?:ya\s+)?(?:casi\s+)?{_OLD}\b{_NOT_AGE}"
    rf"(?:\s+{_YEARS}\b|\s+y\b|\s*$)",
    rf"\b{_KIN}\s+(?:ya\s+)?(?:tiene|tienen|de|con|que\s+tiene|is|who\s+is|aged?)\s+(?:ya\s+)?{_OLD}\s+{_YEARS}",
    rf"\b{_KIN}\s+(?:is|de)\s+{_OLD}\b{_NOT_AGE}(?:\s+y\b|\s*$|\s+and\b)",
    # "es que el tiene 72 años", "she's 85": the pronoun right before the verb ("el poste tiene 70 años" is
    # an article and a thing); in Spanish with "años" or ending the message ("el tiene 70 y pico de
    # reclamos" counts complaints).
    rf"\b(?:el|ella)\s+(?:ya\s+)?tiene\s+(?:ya\s+)?(?:casi\s+)?{_OLD}\b{_NOT_AGE}(?:\s+{_YEARS}\b|\s*$)",
    rf"\b(?:he|she)\s+(?:s|is)\s+(?:already\s+)?{_OLD}\b{_NOT_AGE}(?:\s+{_YEARS}\b|\s+and\b|\s*$)",
    rf"\b(?:pensionad[oa]|jubilad[oa]|retired|pensioner)\s+(?:de|of)\s+{_OLD}\b{_NOT_AGE}",
    # Of the writer only: "los vecinos son jubilados" says nothing of who writes.
    r"\b(?:soy|somos)\s+(?:ya\s+)?(?:un\s+|una\s+)?(?:jubilad[oa]s?|pensionad[oa]s?)\b",
    rf"\bi\s*(?:m|am)\s+(?:already\s+)?{_OLD}\b{_NOT_AGE}(?:\s+{_YEARS}|\s+(?:and|myself|too)\b|\s*$)",
    r"\b(?:soy|somos|como|siendo|es|son|ser|estoy\s+en\s+la|esta\s+en\s+la)\s+(?:un\s+|una\s+|ya\s+)?"
    r"(?:adult[oa]s?\s+mayor(?:es)?|adutl[oa]\s+mayor|persona\s+(?:de\s+la\s+tercera\s+edad|mayor)"
    r"|personas\s+mayores|de\s+la\s+tercera\s+edad|tercera\s+edad|ancian[oa]s?|viejit[oa]s?)\b",
    r"\b(?:i\s*m|i\s+am|we\s+are|is|are)\s+(?:a\s+)?(?:senior\s+citizens?|pensioners?|elderly|old\s+age\s+pensioner)",
    r"\b(?:my|mi)\s+(?:elderly|anciana?o?)\s+\w+",
    r"^(?:i\s*m\s+a\s+)?senior(?:\s+citizen)?\b|\bsenior\s+citizens?\s+(?:here|living|alone)\b",
)
DISABILITY = any_of(
    r"\b(?:en|mi|su|usa|uso|con|necesita)\s+(?:una\s+)?sill?a\s+de\s+rued?as\b",
    # The writer's cane, or the cane of someone they speak for: "la señora que camina con bastón casi se cae"
    # is a report about the sidewalk.
    r"\b(?:camino|caminamos|ando|andamos|uso|usamos)\s+(?:con\s+)?(?:un\s+)?baston\b",
    rf"\b{_KIN}\s+(?:ya\s+)?(?:camina|anda|usa)\s+(?:con\s+)?(?:un\s+)?baston\b",
    r"\b(?:invidente|no\s+vidente|movilidad\s+reducida|muletas|andadera|andador|caminador|sordomud[oa]"
    r"|parapleji|cuadripleji|amputad[oa]|hemipleji)",
    r"\b(?:soy|es|son|esta|estoy|somos|tengo|tiene|tenemos|vive\s+con|vivo\s+con)\s+(?:una\s+)?"
    r"(?:discapacidad|discapacitad[oa])",
    r"\b(?:mi|mis|my)\s+\w+\s+(?:con|with)\s+(?:discapacidad|a\s+disability)\b",
    # Said of oneself or of someone they speak for: "la gente no puede caminar por el andén" and "no puedo
    # ver nada sin la luminaria" are reports, not cues (blind and deaf have their own words below).
    r"\bno\s+(?:puedo|podes)\s+(?:caminar|andar|moverme)\b",
    rf"\b{_KIN}\s+(?:ya\s+)?(?:casi\s+)?no\s+(?:puede|pueden)\s+(?:caminar|andar|moverse)\b",
    r"\b(?:soy|es|esta|estoy|quede|quedo|somos|son|nacio|persona)\s+(?:casi\s+|medio\s+|totalmente\s+)?"
    r"(?:ciego|ciega|ciegos|sord[oa]s?)\b",
    r"\b(?:my|in\s+a|use\s+a|uses\s+a|using\s+a|on\s+a)\s+wheel\s*chair\b|\bwheel\s*chair\s+user\b",
    r"\bcrutches\b|\b(?:i\s*m|i\s+am|is|my)\s+disabled\b|\bi\s+have\s+a\s+disability\b",
    r"\b(?:i|she|he|mom|mum|mother|dad|father|wife|husband)\s+(?:can\s*(?:no|not|\s+t)|cannot)\s+walk\b",
    r"\b(?:i\s*m|i\s+am|is|are|went|gone)\s+(?:legally\s+|partially\s+|completely\s+)?(?:blind|deaf)\b",
)
PREGNANCY = any_of(
    r"\b(?:embara[sz]ad[ao]s?|enbara[sz]ad[ao]|embarazo|en\s+estado\s+de\s+embarazo|en\s+cinta|encinta)\b",
    r"\bpregnant\b|\bexpecting\s+a\s+baby\b",
)
CHILD = any_of(
    r"\b(?:mi|mis|tengo\s+(?:un|una|dos|tres)|con\s+(?:un|una|mi))\s+(?:bebe|bebes|bebito|bebita|beba|guagua"
    r"|nino\s+pequeno|nina\s+pequena|ninos\s+pequenos|hij[oa]\s+(?:pequen[oa]|chiquit[oa]|recien\s+nacid[oa])"
    r"|recien\s+nacid[oa])\b",
    r"\b(?:bebe|bebito|bebita|hij[oa]|nin[oa])\s+de\s+(?:\d{1,2}|un|una|dos|tres|pocos)\s+(?:meses|semanas|dias)\b",
    r"\brecien\s+nacid[oa]s?\b|\bneonato\b",
    r"\b(?:my|our)\s+(?:baby|newborn|toddler|infant)\b|\bnewborn\b",
)
ILLNESS = any_of(
    r"\b(?:postrad[oa]|encamad[oa]|en\s+cama\s+(?:hace|desde|todo|enferm)|no\s+se\s+levanta\s+de\s+la\s+cama"
    r"|dialisis|hemodialisis|quimio|quimioterapia|oxigeno\s+dependiente|enfermo\s+terminal|enferma\s+terminal)",
    r"\b(?:con|de|del|depende\s+del?|necesita|usa|uso)\s+(?:un\s+)?(?:tanque\s+de\s+|concentrador\s+de\s+)?oxigeno\b",
    r"\benferm[oa]s?\s+(?:en\s+(?:la\s+)?casa|grave)\b",
    r"\bbed\s*ridden\b|\bhousebound\b|\bon\s+(?:home\s+)?(?:oxygen|dialysis)\b|\bchemo(?:therapy)?\b",
)
READING = any_of(
    r"\bno\s+(?:se|sabe|se\s+muy\s+bien)\s+(?:leer|escribir)\b",
    r"\bno\s+(?:leo|veo)\s+(?:bien|muy\s+bien|casi\s+nada|para\s+leer)\b",
    r"\bno\s+(?:puedo|puede)\s+leer\s*(?:bien|muy\s+bien|mensajes|los\s+mensajes|letras|$)",
    r"\b(?:me|le)\s+cuesta\s+(?:mucho\s+)?(?:leer|escribir)\b|\banalfabet[ao]s?\b|\bleo\s+poco\b",
    r"\b(?:i\s+)?(?:can\s*(?:no|not|\s+t)|don\s*t|do\s+not)\s+read\s*(?:well|very\s+well|much|$)",
    r"\billiterate\b|\breading\s+is\s+hard\b|\bhard\s+(?:for\s+me\s+)?to\s+read\b",
)
# Kind → its cue, in the order a message is read (an age comes before the wheelchair it explains).
CUES: dict[str, re.Pattern[str]] = {
    "elderly": ELDERLY,
    "disability": DISABILITY,
    "pregnancy": PREGNANCY,
    "child": CHILD,
    "illness": ILLNESS,
    "reading": READING,
}

# Asking for it in so many words, whatever the kind.
ASKS = any_of(
    r"\b(?:atencion|trato|servicio|turno|fila)\s+(?:preferencial|preferente|prioritari[oa])\b",
    r"\b(?:atiendan?|atienda|atender|atiendes)\s+(?:a\s+mi\s+)?(?:primero|con\s+prioridad|de\s+forma\s+preferencial)\b",
    r"\b(?:priority|preferential)\s+(?:service|attention|treatment|support|help)\b",
    r"\b(?:be\s+)?(?:served|seen|helped)\s+first\b",
)
# Taking it back; the ask's words follow a verb that removes.
WITHDRAWS = any_of(
    r"\b(?:ya\s+no\s+(?:quiero|necesito|deseo)|no\s+quiero\s+mas|quitar|quita|quitame|quiteme|quiten|quitenme"
    r"|sacar|saca|saquen|sacame|retirar|retiren|eliminar|elimina|cancelar|cancela|cancelen|desactivar"
    r"|desactiva)\s+(?:la\s+|mi\s+|el\s+)?(?:atencion\s+(?:preferencial|preferente|prioritaria)|prioridad"
    r"|trato\s+preferencial)\b",
    r"\b(?:remove|cancel|withdraw|stop|drop|turn\s+off|take\s+away|no\s+longer\s+(?:need|want)"
    r"|don\s*t\s+(?:need|want))\s+(?:my\s+|the\s+)?(?:priority|preferential)\b",
)

# Simpler replies, please; a short message only, so "sería más fácil si…" in a report is not one.
PLAIN_ON = any_of(
    r"\bmas\s+(?:simple|sencillo|facil|clarito|despacio)\b",
    r"\b(?:habla|hablame|hableme|hablen|explica|explicame|expliqueme|escribe|escribeme|escribame)\s+"
    r"(?:mas\s+)?(?:simple|sencillo|facil|clarito|en\s+palabras\s+simples)\b",
    r"\bpalabras\s+(?:simples|sencillas|faciles)\b",
    r"\bsimpler\b|\bplain\s+(?:words|language|english)\b|\bmore\s+simply\b|\beasier\s+words\b",
    r"\bkeep\s+it\s+simple\b",
)
# A request for plain or usual replies is a short message; a long one is about something else ("sería más
# fácil si arreglaran el hueco…", "el bache sigue como antes y…").
MAX_REQUEST_WORDS = 8
# Back to the usual replies, in a short message. Only asked when the citizen gets plain replies, and never
# "como antes" or "back to normal" inside a sentence: "el bache sigue como antes" is about the street.
PLAIN_OFF = any_of(
    r"^(?:modo\s+|texto\s+)?normal(?:\s+(?:por\s+favor|porfa|nomas|no\s+mas|gracias|please|thanks))?$",
    r"\bmodo\s+normal\b",
    r"\b(?:habla|hablame|hableme|hablen|escribe|escribeme|escribame|escribime|responde|respondeme|texto"
    r"|mensajes)\s+(?:mas\s+)?normal(?:mente)?\b",
    r"^(?:(?:ya|ok|vale|dale|mejor|asi)\s+)?(?:(?:escribe|escribeme|escribime|escribame|habla|hablame|hableme)\s+)?"
    r"como\s+antes(?:\s+(?:por\s+favor|porfa|gracias))?$",
    # Not "normal text messages dont work for me": "text" and "messages" only after a request verb.
    r"\bnormal\s+(?:mode|replies|wording)\b|^normal\s+please$",
    r"\b(?:send|write|use)\s+(?:me\s+)?normal\s+(?:text|messages)\b",
    r"\b(?:talk|write|speak|reply)\s+normally\b",
    r"^back\s+to\s+normal(?:\s+(?:mode|replies|please))?$",
)


def cue_of(said: str) -> str | None:
    """The kind of preferential attention the folded message suggests, or None."""
    return next((kind for kind, cue in CUES.items() if cue.search(said)), None)


def asks(said: str) -> bool:
    return ASKS.search(said) is not None and WITHDRAWS.search(said) is None


def withdraws(said: str) -> bool:
    return WITHDRAWS.search(said) is not None


def asks_plain(said: str) -> bool:
    return len(said.split()) <= MAX_REQUEST_WORDS and PLAIN_ON.search(said) is not None


def asks_normal(said: str) -> bool:
    return len(said.split()) <= MAX_REQUEST_WORDS and PLAIN_OFF.search(said) is not None
