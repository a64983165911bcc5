"""What a citizen may say at any point, whatever the bot asked: menu, cancel, a person, stop, link, the
other language, a case's code; frustration; "don't publish"; instructions meant for a model, not the bot."""

from __future__ import annotations

import re

from bot.words import any_of

# --- Words the citizen can always say, whatever the bot asked (DESIGN: conversation rules). ---
MENU_WORDS = frozenset({"menu", "/menu", "inicio", "/start", "start", "main menu", "menu principal"})
LINK_WORDS = frozenset({"vincular", "link", "vincular cuenta", "link account"})
CANCEL_WORDS = frozenset({"cancelar", "cancela", "cancel", "/cancel", "anular", "salir", "exit", "quit"})
PERSON_WORDS = frozenset({
    "humano", "human", "agente", "agent", "persona", "una persona", "person", "asesor", "asesora",
    "operador", "operadora", "operator", "/human_handoff",
})  # fmt: skip
# Opt-out words, on every channel: they pause the citizen's topics (bot/topics.py) and stop what is open.
# Twilio also acts on its own keywords for SMS (bot/pipeline.py); elsewhere only the bot does.
STOP_WORDS = frozenset({
    "stop", "baja", "parar", "para", "salir", "unsubscribe", "cancelar suscripcion", "darme de baja",
    "dar de baja", "stop all", "end", "desuscribir", "desuscribirme", "cancelar suscripciones",
    "cancelar la suscripcion", "de baja", "no mas mensajes", "stopall",
})  # fmt: skip
# Opt-out words that, while a report or another step is open, mean leaving that (rule cancel) instead.
STOP_UNLESS_OPEN = frozenset({"salir", "para", "parar"})

# --- Cancel in words. Strong phrases count anywhere; weak ones only as (almost) the whole message. ---
CANCEL_PHRASES = any_of(
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
PERSON_PHRASES = any_of(
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
FRUSTRATION_PHRASES = any_of(
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

# --- Asking for the other language. ---
TO_ENGLISH = any_of(
    r"\b(in|en) (ingles|english)\b",
    r"\b(speak|write|answer|reply|talk|respond)\b.{0,12}\benglish\b",
    r"\benglish (please|pls|plz)\b|\bdo you speak english\b|\bhablas ingles\b|\bsabes ingles\b",
)
TO_SPANISH = any_of(
    r"\b(en|in) (espanol|castellano|spanish)\b",
    r"\b(speak|write|answer|reply|talk|respond)\b.{0,12}\bspanish\b",
    r"\bspanish (please|pls|plz)\b|\bhablas espanol\b|\bhabla espanol\b|\bhablame en\b",
)
# Longer than this and the message is about something else that mentions a language.
MAX_LANGUAGE_REQUEST_WORDS = 14

# --- Case codes typed with a cue ("caso ABC-123"): told apart from plates in a report. ---
CODE_CUE = re.compile(r"\b(caso|codigo|cod|reporte|reclamo|radicado|ticket|case|code|report|queja|numero)\b")

# "como va lo del hueco", "komo va mi caso de la basura", "how's my pothole report going": asking how a case
# goes by naming its problem. Only a citizen with an open case of that service gets its status for it.
STATUS_QUESTION = any_of(
    r"^(?:\w+ ){0,4}(?:como|komo|cmo|q tal|que tal) (?:va|van|vamos|sigue|siguen|anda|andan|viene|vienen)\b",
    r"\b(?:que|q|k) (?:paso|hubo|hay|se sabe) (?:con|de) (?:lo|la|el|mi|mis|los|las)\b",
    r"\b(?:en que|en q) (?:va|van|quedo|esta|estan)\b|\bnovedades? (?:de|del|con|sobre)\b",
    r"\bhow(?: s| is| are)? (?:my|the|it|things|that)\b.{0,40}\b(?:going|coming along|doing)\b",
    r"\b(?:any (?:news|update)s?|what happened) (?:on|about|with|to) (?:my|the)\b",
)

# A status question about something filed before: "lo del hueco", "lo de la luz", "my pothole report".
ABOUT_A_CASE = any_of(
    r"\blo\s+(?:del|de\s+la|de\s+los|de\s+las|de)\b",
    r"\b(?:mi|mis|el|la)\s+(?:caso|casos|reporte|reportes|queja|quejas|solicitud)\b",
    r"\bmy\s+(?:\w+\s+)?(?:report|case|complaint|request)\b",
)

# "no publiquen mi reporte", "don't publish my description": said at any time, it takes a yes back.
DO_NOT_PUBLISH = any_of(
    r"\b(?:no|ni) (?:lo |la |los |las |me )?publi(?:quen|ques|que|car|carla|carlo|carlas|carlos|ca|cas)\b",
    r"\b(?:don t|dont|do not) publish\b|\bnot to publish\b|\bunpublish\b",
)

# Instructions for a model, not a citizen's words: the bot has none to ignore and shows nobody's data.
INSTRUCTIONS = any_of(
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
