"""How a citizen asks for the city's topics, leaves one, or comes back (ALTA), matched on folded text.

An opt-in needs a verb of asking to be told ("avisame", "quiero recibir", "notify me") followed closely by
what they want (surveys, alerts, water cuts, road closures), or a short message that is only that ("alertas
de cierres de vias en mi barrio"). A verb alone is a report's wish ("avisenme cuando arreglen el bache"),
and a noun alone is a report ("no hay agua", "el aviso de la esquina se cayo"): neither is an opt-in.
"""

from __future__ import annotations

from bot.words import any_of

# Whole message: the list of topics is offered.
BARE_WORDS = frozenset({
    "avisos", "alertas", "suscribirme", "suscribir", "suscripcion", "suscripciones", "subscribe",
    "subscriptions", "notificaciones", "alerts", "notifications", "/topics", "temas", "mis temas",
    "quiero participar", "participar", "me quiero suscribir", "quiero suscribirme", "i want to take part",
    "sign me up", "inscribirme", "avisos de la ciudad", "alertas de la ciudad",
})  # fmt: skip

# Whole message: ALTA / START and their kin bring paused topics back. "/start" is Telegram's first message
# and stays the menu (bot/anytime_words.MENU_WORDS).
COME_BACK_WORDS = frozenset({
    "alta", "/alta", "darme de alta", "dar de alta", "start", "unstop", "resume", "reanudar", "alta de nuevo",
    "volver a recibir", "reactivar", "quiero volver a recibir",
})  # fmt: skip

# What can be asked for: the generic notices, and the kinds the example topics are.
_WANTED = (
    r"(avisos?|alertas?|notificaciones|encuestas?|consultas?( ciudadanas)?|"
    r"cortes? (de|del) (agua|servicio)|cortes|suspensiones? (de|del) (agua|servicio)|"
    r"cierres? (de|del) (vias?|calles?|carreteras?|avenidas?|transito)|cierres|vias cerradas|obras|"
    r"surveys?|polls?|consultations?|alerts?|notifications?|water (cuts?|outages?|shut ?offs?)|"
    r"(water|road|street|traffic) (alerts?|notifications?)|(road|street) ?(closures?|works)|closures?|"
    r"roadworks|(van a |vayan a )?(corten|cortan|cortaran|cortar|suspendan|quiten|quitan) (el |la )?"
    r"(agua|servicio)|(van a |vayan a )?(cierren|cierran|cerraran|cerrar) (la |las |el |los )?"
    r"(vias?|calles?|avenidas?|carreteras?))"
)
# What a notice is about, after "avisos de" / "alertas de" ("avisos de agua", "alertas de vias").
_ABOUT = (
    r"(agua|vias?|calles?|transito|cortes?|cierres?|obras|encuestas?|water|roads?|traffic|streets?|"
    r"closures?|surveys?)"
)
# Words that may sit between the verb and what is wanted ("avisame de los cortes", "notify me about").
_BETWEEN = r"( (de|del|los|las|el|la|sobre|a|al|con|por|mas|tus|sus|the|about|of|on|for|any|your|me|"
_BETWEEN += r"to|cuando|cada vez que|si|cuando haya|cuando hayan|si hay|if there are|when there are|some|"
_BETWEEN += r"to get|to receive))*"
_VERBS = (
    r"(avisame|avisenme|aviseme|avisanos|avisame|notificame|notifiquenme|notifiqueme|mandame|mandenme|"
    r"enviame|envienme|enviarme|mandarme|quiero recibir|quisiera recibir|me gustaria recibir|"
    r"me interesa recibir|me interesan|(qu|k)iero (que|q|k) me (avisen|notifiquen|manden|envien|lleguen|"
    r"escriban)|"
    r"quiero (tener|estar al tanto de|saber de)|(tambien )?quiero( tambien)?|deseo recibir|me interesa|"
    r"suscrib(ir|irme|ime|anme|eme)|me suscribo|(qu|k)iero (recibir|resibir)|para (recibir|resibir)|"
    r"apuntame|apuntenme|me apunto|regalame|regalenme|quiero estar (informad[oa]|al tanto)|"
    r"(me )?(pueden|podrian|puede|podria|podes|podeis) (avisar|notificar|mandar|enviar)(me|nos)?|"
    r"inscrib(ir|irme|ime)|anotame|anotenme|darme de alta( en)?|activar|activa|activame|"
    r"notify me|alert me|send me|i want|i d like|i would like|subscribe( me)?( to)?|sign me up( for)?|"
    r"keep me (posted|updated|informed)|let me know)"
)
OPT_IN = any_of(
    rf"\b{_VERBS}{_BETWEEN} {_WANTED}\b",
    rf"^(quiero |me gustaria |i want to )?(participar|take part|participate) (en|in) (las |los |the )?"
    rf"{_WANTED}\b",
    r"^(quiero |me quiero )?(suscribirme|suscribir|inscribirme|subscribe|suscribime)\b",
)
# A short message that is only what is wanted: "alertas de cierres de vias en mi barrio", "water alerts".
NOUN_ONLY = any_of(
    rf"^(los |las |the )?(avisos|alertas|notificaciones|alerts|notifications) (de|del|sobre|for|about|of|"
    rf"por) (los |las |la |el |the )?{_ABOUT}\b",
    rf"^{_WANTED} (alerts|notifications|avisos|alertas)( please| por favor)?$",
    r"^(las )?(encuestas|surveys|consultas ciudadanas)( please| por favor| porfa)?$",
)
# A short "water alerts" without a verb is read as an opt-in only up to this many words.
MAX_NOUN_ONLY_WORDS = 9

# Leaving one topic: "ya no quiero avisos de agua", "salirme de encuestas", "no me manden mas encuestas".
LEAVE = any_of(
    rf"\bno (quiero|deseo|me interesan?) (recibir |que me \w+ )?(mas )?(los |las |ningun |ninguna )?"
    rf"{_WANTED}",
    rf"\bya no (quiero|deseo|me (manden|envien|interesan?)) (recibir )?(mas )?(los |las )?{_WANTED}",
    rf"\bno (quiero|me (manden|envien|escriban)) (recibir )?mas (los |las )?{_WANTED}",
    rf"\b(salirme|salir|sacame|saquenme|quitame|quitenme|borrame|darme de baja|dame de baja|"
    rf"desuscribirme|desuscribir|cancelar|cancela|cancelame) (de|del|de la|de las|de los|a|la|las|los) "
    rf"(suscripcion (a|de) )?(los |las )?{_WANTED}",
    rf"\b(unsubscribe( me)?|stop sending me|no more|opt out of|leave) (from )?(the )?(city s )?{_WANTED}",
    rf"\b(i )?(don ?t|do not) want (any )?(more )?(the )?{_WANTED}",
)

# Which example topic a message names; a city's own topics are found by their name (bot/topics.py).
HINTS = {
    "encuestas": any_of(r"\bencuestas?\b|\bconsultas?\b|\bsurveys?\b|\bpolls?\b|\bconsultations?\b|"
                        r"\bparticipar\b|\bparticipate\b|\btake part\b"),
    "avisos_agua": any_of(r"\bagua\b|\bwater\b|\bacueducto\b"),
    "avisos_vias": any_of(r"\bvias?\b|\bcalles?\b|\bcierres?\b|\bcarreteras?\b|\bavenidas?\b|\bobras\b|"
                          r"\btransito\b|\broads?\b|\bstreets?\b|\bclosures?\b|\broadworks\b"),
}  # fmt: skip

# Answers to "¿Para qué zona?" that mean the whole city.
WHOLE_CITY = frozenset({
    "toda la ciudad", "toda", "todas", "todo", "todas las zonas", "toda la city", "en toda la ciudad",
    "la ciudad", "ciudad", "whole city", "all", "everywhere", "the whole city", "all areas", "city wide",
    "citywide", "/area all",
})  # fmt: skip

# A second thought at any step: nothing is recorded.
NOT_NOW = frozenset({
    "mejor no", "no mejor no", "ahora no", "por ahora no", "no por ahora", "todavia no", "despues",
    "mejor despues", "luego", "otro dia", "dejalo", "olvidalo", "no gracias", "no nada", "nada",
    "not now", "maybe later", "later", "no thanks", "never mind", "nevermind", "no mejor dejalo", "ninguno",
    "ninguna", "none", "salir", "cancelar", "cancel", "para", "parar", "exit", "quit",
})  # fmt: skip
