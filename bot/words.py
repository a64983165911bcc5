"""What the bot listens for, in Spanish (several regions) and English: text cleaning, folding, word lists.

Every list is matched on folded text (`fold`: lower case, no accents, punctuation gone). Whole-message
lists (`*_WORDS`) must be the entire message; `*_PHRASES` patterns may occur anywhere in it. The classifier
reads meaning; these lists catch what must never depend on a model's mood (an emergency, "cancel", a
request for a person) and what a model cannot know (which slot a correction names).
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


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# --- Words the citizen can always say, whatever the bot asked (DESIGN: conversation rules). ---
MENU_WORDS = frozenset({"menu", "/menu", "inicio", "/start", "start", "main menu", "menu principal"})
LINK_WORDS = frozenset({"vincular", "link", "vincular cuenta", "link account"})
CANCEL_WORDS = frozenset({"cancelar", "cancela", "cancel", "/cancel", "anular", "salir", "exit", "quit"})
PERSON_WORDS = frozenset({
    "humano", "human", "agente", "agent", "persona", "una persona", "person", "asesor", "asesora",
    "operador", "operadora", "operator", "/human_handoff",
})  # fmt: skip
# Opt-out words: SMS and WhatsApp carry them to the provider; elsewhere the bot explains and stops.
STOP_WORDS = frozenset({
    "stop", "baja", "parar", "para", "unsubscribe", "cancelar suscripcion", "darme de baja", "dar de baja",
    "stop all", "end", "desuscribir", "desuscribirme",
})  # fmt: skip

# --- Cancel in words. Strong phrases count anywhere; weak ones only as (almost) the whole message. ---
CANCEL_PHRASES = _any(
    r"\bolvid(a|alo|ala|ate|alo todo|a eso|emos|enlo|elo)\b",
    r"\b(ya )?no quiero (reportar|registrar|hacer|poner|seguir|continuar|denunciar)\b",
    r"\bya no (quiero|voy a) \w+( nada| eso| el reporte)?\b",
    r"\bno (lo |la )?(registres|reportes|radiques|envies|mandes|guardes|sigas)\b",
    r"\b(cancela|cancelalo|cancelar|anula|anulalo|borra|borralo) (el|este|ese|mi|la|todo|eso|lo)\b",
    r"\bme arrepenti\b|\bcambie de (opinion|idea)\b|\bya no hace falta\b|\bno hace falta ya\b",
    r"\bya (lo )?(arreglaron|solucionaron|repararon)\b",
    r"\bnever ?mind\b|\bforget (it|about it|that|the whole thing|this)\b|\bscratch that\b",
    r"\b(don ?t|do not|dont) (file|submit|send|register|report|log|save)\b",
    r"\bi ?(ve)? changed my mind\b|\bchanged my mind\b",
    r"\b(cancel|stop|drop|abort) (it|this|that|the report|my report|the whole thing)\b",
    r"\bno longer (need|want)\b",
    r"\bno tengo ganas\b|\b(sabes|sabe|sabés) que,? (deja|dejalo|mejor no|olvidalo|mejor lo dejo)\b",
    r"\bmejor (lo dejo|dejalo|no reporto|no lo reporto|otro dia|despues)\b",
    r"\b(despues|luego|mas tarde) lo (hago|reporto|mando|termino)\b|"
    r"\blo (hago|reporto|termino) (despues|luego|mas tarde|otro dia)\b|\bya no mas\b",
    r"\bdon ?t worry( about it)?\b|\bit s (all )?(sorted|fixed|been fixed|resolved)\b|\bno worries\b|"
    r"\b(already|been) (sorted|fixed)\b|\bnot needed any ?more\b|\bya se (arreglo|soluciono)\b",
)
CANCEL_SHORT = frozenset({
    "mejor no", "no mejor no", "ya no", "dejalo", "dejalo asi", "deja asi", "dejemoslo asi", "no importa",
    "ya no importa", "nada", "ya fue", "no nada", "leave it", "drop it", "abort", "nah forget",
    "no forget it",
    "nada olvidalo", "mejor lo dejo", "mejor despues", "despues lo hago", "otro dia", "not now", "no ya no",
    "ya no gracias", "no mejor dejalo", "stop it", "mejor no gracias", "no gracias ya no", "deja",
    "deja nomas",
    "dejalo nomas", "dejalo ahi", "deja ahi", "olvidate", "chao", "bye forget it",
})  # fmt: skip

# --- A person, asked for in words. ---
PERSON_PHRASES = _any(
    r"\b(hablar|habla|hablo|chatear|comunicar(me)?|comunicarme|pasar(me)?|pasame|pasenme|atienda|atiendan|"
    r"atender|contactar) (con )?(una |un |alguna |algun |alguien |el |la )?(persona|humano|humana|agente|"
    r"asesor|asesora|operador|operadora|funcionari[oa]|ser humano|alguien)\b",
    r"\b(que me atienda|me atienda) (alguien|una persona|un humano|un asesor|un funcionario)\b",
    r"\b(una persona|un humano|alguien) (de verdad|real|de carne y hueso)\b",
    r"\bpersona real\b|\bser humano\b|\bno quiero (hablar con )?(un |una )?(bot|robot|maquina)\b",
    r"\b(talk|speak|chat) (to|with) (a |an |some |your |the )?(real )?(person|human|agent|someone|somebody|"
    r"representative|operator|rep|staff|manager)\b",
    r"\breal (person|human)\b|\b(human|agent|person|representative|operator) please\b",
    r"\b(put|get|transfer|connect) me (through )?(to|with) (a |an |someone|somebody|a real)\b",
    r"\b(not|no more) (a |this )?(bot|robot|machine)\b",
)

# --- Frustration with the bot or the city: an apology and a person, not service buttons. ---
FRUSTRATION_PHRASES = _any(
    r"\bno (sirve|sirven|sirves|serv[ie]s) (para |pa |pa\' )?(nada|de nada|ni mierda)\b",
    r"\b(bot|robot|maquina|sistema|servicio|chat|aplicacion|app|alcaldia|municipio|ustedes)\b.{0,25}\b"
    r"(desastre|inutil|inutiles|basura|malisim[oa]|pesim[oa]|porqueria|mierda|verguenza|una burla|"
    r"un chiste)\b",
    r"\b(que|este|esta|ese) (bot|robot|maquina|servicio|app|sistema) (tan |mas )?\w+\b.{0,10}\b(inutil|malo|"
    r"pesimo|tonto|estupido|idiota|bruto)\b",
    r"\binutil(es)?\b|\bpesimo servicio\b|\bque desastre\b|\buna verguenza\b|\bperdida de tiempo\b",
    r"\bno (me )?entiendes? nada\b|\bno me entiende(s|n)?\b|\bestoy (harto|harta|cansad[oa]|aburrid[oa]|"
    r"podrid[oa]|hasta la madre|chat[oa]|hart[oa] de)\b",
    r"\bnadie (me )?(responde|contesta|hace nada|arregla|ayuda|soluciona)\b|\bnunca (arreglan|hacen|"
    r"responden|solucionan)\b",
    r"\buseless\b|\b(this|the|your) (bot|thing|service|app|system|chat)\b.{0,15}\b(useless|terrible|a joke|"
    r"rubbish|garbage|sucks|stupid|awful|pathetic|broken)\b",
    r"\byou (people |guys |lot )?(never|don ?t|dont|can ?t|cant) (fix|do|help|listen|understand|answer)\b",
    r"\bworst (service|bot|city)\b|\bare you (even )?listening\b|\bridiculous\b|\bfed up\b|\bsick of\b|"
    r"\bwaste of (my )?time\b|\bpathetic\b",
)

# --- Emergencies: answered at once with the city's emergency number, never a report. ---
EMERGENCY_PHRASES = _any(
    # fire and smoke
    r"\bincendi[oa]s?\b|\bse (esta|estan) (incendiando|quemando) (la|el|una|un|mi|los|las)\b|"
    r"\b(en|hay|salen|saliendo|las) llamas\b|\b(sale|saliendo|sale mucho) humo\b|\bhumo (en|de) (la|el|mi|"
    r"una|un) (casa|edificio|apartamento|apto|cocina|local|carro|bus)\b|\b(llamen|llamar|llamo|vengan|manden)"
    r" (a )?los bomberos\b|\bse prend(e|io|io) fuego\b|"
    r"\bprendi(o|eron) fuego\b|\bfuego en\b|\bhay fuego\b|\bse incendia\b",
    r"\bon fire\b|\b(there s a|there is a|a|big|house|building|car|kitchen) fire\b(?! hydrant)|\bflames\b|"
    r"\bsmoke (coming|pouring|everywhere)\b|\bfire (brigade|department|fighters?)\b|\bburning (house|"
    r"building)\b",
    # gas
    r"\b(olor|olorcito|huele|hiede|apesta|tufo)\b.{0,25}\b(a|como a|de) gas\b|"
    r"\b(fuga|escape|salida) de gas\b|\bse (esta )?(sale|saliendo|escapando) el gas\b|\bgas natural\b.{0,20}"
    r"\b(huele|olor|fuga)\b",
    r"\bgas (leak|smell|leaking)\b|\bsmell(s|ing)? (of )?gas\b|\bleaking gas\b|\bsmells like gas\b",
    # violence and crime in progress
    r"\b(me|nos|lo|la|le|los|las|les) (estan|esta) (robando|atracando|asaltando|pegando|golpeando|matando|"
    r"apunalando|disparando|amenazando|violando|secuestrando|agrediendo)\b",
    r"\b(estan|esta) (robando|atracando|asaltando|golpeando|matando|apunalando|disparando|agrediendo)\b",
    r"\b(pelea|rina|pelean) con (cuchillos?|machetes?|armas?|navajas?|pistolas?)\b|\b(tipo|hombre|man|manes|"
    r"tipos|sujetos?) armados?\b|\barmad[oa]s? con\b|\bdisparos?\b|\bbalacera\b|\bbalazos?\b|\btiroteo\b|"
    r"\bbalean\b|\bpunalada\b|\bapunal\w*\b|\bacuchill\w*\b|\bme quieren? matar\b|\bviolencia\b|"
    r"\bsecuestr\w*\b",
    r"\bpolicia (ya|urgente|rapido)\b|\bllamen a la policia\b|\bmanden (a )?la policia\b",
    r"\b(a |someone |somebody |he |they |man |guy |guys |people )?(with|has|have|got) (a )?(gun|knife|"
    r"weapon)s?\b|"
    r"\bshoot(ing|ings)?\b|\bshots? fired\b|\bgunshots?\b|\bstabb(ed|ing)\b|"
    r"\bbeing (attacked|beaten|robbed|mugged|stabbed|assaulted|kidnapped)\b|\b(breaking|broke) in(to)?\b|"
    r"\brobbery\b|\b(mugging|mugged)\b|\bassault(ed|ing)?\b|\bkidnap\w*\b|\bhitting (a|his|her|the)\b|"
    r"\bcall the (police|cops)\b|\bsend (the )?(police|cops)\b",
    # a live wire
    r"\bcables?\b.{0,40}\b(chispas?|chispeando|chispazos?|echando chispas|electrificad[oa]s?|energizad[oa]s?|"
    r"con corriente|da corriente|vivos?|electrocut\w*|corrientazo)\b",
    r"\b(chispas?|chispeando|electrocut\w*|corrientazo)\b.{0,40}\bcables?\b|\belectrocut\w*\b",
    r"\blive (wire|cable|power line)s?\b|\bsparking\b|\bsparks\b|\belectrocut\w*\b",
)

# Someone hurt: an emergency when it is a person ("hay un perro herido" is a stray-animal report).
HURT_PHRASES = _any(
    r"\bherid[oa]s?\b|\bno respira\b|\bno esta respirando\b|\binconsciente\b|\bdesmayad[oa]\b|\bse desmayo\b|"
    r"\bsangrando\b|\bsangra mucho\b|\bmucha sangre\b|\bambulancia\b|\binfarto\b|\bconvulsi\w*\b|"
    r"\bse (esta )?ahogando\b|\batropell(o|aron|ado|ada)\b|\bse muere\b|\bse esta muriendo\b|\bmalherid\w*\b|"
    r"\blesionad[oa]s?\b",
    r"\bnot breathing\b|\bisn ?t breathing\b|\bcan ?t breathe\b|\bunconscious\b|\bpassed out\b|\bbleeding\b|"
    r"\b(someone|somebody|people|person|kid|child|man|woman|guy|he|she|they) (is |are |got |was |were )?"
    r"(badly )?(hurt|injured)\b|\binjured\b|\bambulance\b|\bheart attack\b|\bdrowning\b|\boverdos\w*\b|"
    r"\b(hit|run over) by a (car|truck|bus)\b|\bdying\b",
)
ANIMAL = re.compile(
    r"\b(perr[oa]s?|perrit[oa]s?|gat[oa]s?|gatit[oa]s?|animal(es|ito)?|caballos?|vacas?|burros?|palomas?|"
    r"pajar\w*|dogs?|puppy|cats?|kittens?|horses?|birds?|fox|deer|pigeons?)\b"
)
# Words that look like an emergency and are not: fireworks, the firemen's hydrant.
NOT_EMERGENCY = re.compile(
    r"\bdisparos? de polvora\b|\bfuegos? artificiales\b|\bpolvora\b|\bfireworks?\b|"
    r"\bhidrante( de (los )?bomberos)?\b|\bfire hydrant\b"
)


def emergency_in(said: str) -> bool:
    """Whether folded text says there is an emergency, by the phrase lists alone."""
    said = NOT_EMERGENCY.sub(" ", ABSENT_HAZARD.sub(" ", said))
    if EMERGENCY_PHRASES.search(said):
        return True
    return HURT_PHRASES.search(said) is not None and ANIMAL.search(said) is None


# --- Safety-related reports: filed as usual, with a one-line safety note (texts safety_<hazard>). ---
SAFETY_HAZARDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "wire",
        _any(
            r"\bcables?( de luz| electricos?| de energia| de alta)?\b.{0,25}\b(caid[oa]s?|colgando|"
            r"suelt[oa]s?|"
            r"en el (piso|suelo)|pelad[oa]s?|al aire|rot[oa]s?|bajit[oa]s?|reventad[oa]s?)\b",
            r"\bposte( de luz)? (caido|se cayo|tumbado|en el piso|a punto de caer|inclinado)\b|\bse cayo "
            r"(el|un) poste\b",
            r"\b(fallen|downed|hanging|loose|low) (power |electric |electrical )?(lines?|wires?|"
            r"cables?|pole)\b|"
            r"\b(power )?(line|wire|cable)s? (is |are )?(down|hanging|dangling)\b|\bpole (fell|down|"
            r"is down)\b",
        ),
    ),
    (
        "manhole",
        _any(
            r"\b(alcantarilla|registro|pozo|sumidero|manhole|boca de tormenta)\b.{0,30}\b(sin tapa|"
            r"destapad[oa]|"
            r"abiert[oa]|sin la tapa)\b",
            r"\b(sin|falta la|se robaron la|robaron la|no tiene) tapa\b|\btapa de (la )?(alcantarilla|"
            r"registro)\b",
            r"\bopen manhole\b|\b(missing|no|stolen) (manhole |drain |sewer )?(cover|lid)\b|"
            r"\bmanhole (cover )?(s |is )?(missing|open|gone)\b|\buncovered (manhole|drain)\b",
        ),
    ),
)

# The service a hazard is most likely reported under, when the classifier names none.
HAZARD_SERVICES = {"wire": "streetlight", "manhole": "sewer"}

# --- Corrections: a cue that the message changes what was said before. ---
CORRECTION_CUES = _any(
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

# --- The photo step: a refusal skips it; a bare "yes" without a photo gets a nudge. ---
PHOTO_REFUSAL = _any(
    r"\bsin (foto|fotos|imagen|fotico|fotito)\b|\bno (tengo|hay|puedo|alcance|alcanzo|se|sé)\b.{0,25}\b(foto|"
    r"fotos|camara|celular|imagen|tomar|sacar|mandar|enviar)\b|\bno (tengo|tiene) (camara|datos|saldo)\b",
    r"\b(omit|omitir|omite|omitelo|salta|saltar|saltalo|paso|pasala|sigue|siguele|continua|continuemos|"
    r"adelante|nomas|no mas)\b",
    r"\bno (photo|picture|pic|image|camera)s?\b|\bwithout (a )?(photo|picture|pic)\b|\bskip\b|\bcarry on\b|"
    r"\b(ahorita|ahora|ahorita mismo) no\b|\bno puedo\b|\bno alcanzo\b|\bestoy manejando\b|"
    r"\b(haven ?t|have not|ain ?t|havent) got (a |any )?(photo|pic|picture|camera)s?\b|\bnot right now\b|"
    r"\bmove on\b|\bcan ?t (take|send|get) (a )?(photo|picture|pic)\b|\bdon ?t have (a )?(photo|picture|"
    r"camera|pic)\b|\bno thanks\b|\bgo on\b|\bnext\b",
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
SECOND_THOUGHT = _any(
    r"\bmejor dicho\b|\bmejor\b|\bbueno\b|\bpensandolo (?:bien|mejor)\b|\bpensandolo\b|\bmm+\b|"
    r"\bon second thought\b|\bactually\b|\bwait\b|\bhm+\b"
)
# "no publiquen mi reporte", "don't publish my description": said at any time, it takes a yes back.
DO_NOT_PUBLISH = _any(
    r"\b(?:no|ni) (?:lo |la |los |las |me )?publi(?:quen|ques|que|car|carla|carlo|carlas|carlos|ca|cas)\b",
    r"\b(?:don t|dont|do not) publish\b|\bnot to publish\b|\bunpublish\b",
)
# A yes read by the classifier counts at the confirmation only in a message this short (a "yes" hidden in a
# paragraph of instructions is not the citizen's confirmation).
MAX_CONFIRM_WORDS = 6

# --- Asking for the other language. ---
TO_ENGLISH = _any(
    r"\b(in|en) (ingles|english)\b",
    r"\b(speak|write|answer|reply|talk|respond)\b.{0,12}\benglish\b",
    r"\benglish (please|pls|plz)\b|\bdo you speak english\b|\bhablas ingles\b|\bsabes ingles\b",
)
TO_SPANISH = _any(
    r"\b(en|in) (espanol|castellano|spanish)\b",
    r"\b(speak|write|answer|reply|talk|respond)\b.{0,12}\bspanish\b",
    r"\bspanish (please|pls|plz)\b|\bhablas espanol\b|\bhabla espanol\b|\bhablame en\b",
)
# Longer than this and the message is about something else that mentions a language.
MAX_LANGUAGE_REQUEST_WORDS = 14

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


# --- Case codes typed with a cue ("caso ABC-123"): told apart from plates in a report. ---
CODE_CUE = re.compile(r"\b(caso|codigo|cod|reporte|reclamo|radicado|ticket|case|code|report|queja|numero)\b")

# "no sparks", "sin heridos": a hazard the citizen says is absent is not an emergency.
ABSENT_HAZARD = re.compile(
    r"\b(?:no|not|sin|without|no hay|there are no|there s no|nobody|nadie)\s+(?:any\s+)?(?:sparks?|sparking|"
    r"chispas?|humo|smoke|fire|fuego|heridos?|herida|injur\w*|hurt|injured)\b"
)

# Instructions for a model, not a citizen's words: the bot has none to ignore and shows nobody's data.
INSTRUCTIONS = _any(
    r"\bignor(a|e|en|ar) (todas |all |your |tus |las |previous |the |any )*(instrucciones|"
    r"instructions|reglas|"
    r"rules|prompt)\b",
    r"\bsystem( prompt)?\s*[:=]|\byou are now\b|\bahora eres\b|\bact as\b|\bactua como\b|\bdeveloper mode\b|"
    r"\bjailbreak\b|\bprompt injection\b|\bconfirm\s*=\s*true\b|\badmin mode\b|\bmodo (admin|"
    r"desarrollador)\b",
    r"\b(muestrame|muestreme|dame|show me|give me|list|lista|listame) (todos |all |the )*(los |"
    r"las )?(casos|cases|"
    r"datos|data|telefonos|phone numbers|reportes|reports) (de|of) (los |las |other |otros |otras |"
    r"todos |all )",
)
