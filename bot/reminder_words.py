"""Due-date reminders in words: how a citizen asks for one or leaves one, the subscription topic and
broadcast occasion they are kept under, and dates as the citizen reads them ("27 de abril")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.knowledge_files import DueDate, Topic
from bot.settings import Settings
from bot.words import any_of

# A reminder's subscription topic ("recordar:impuesto-predial") and the button's payload.
PREFIX = "recordar:"
PAYLOAD = "/recordar "
REMINDER = "reminder"  # the broadcasts' kind

# "recuérdame", "recordame" (voseo), "remind me", "quiero un recordatorio": asking to be reminded.
ASK = any_of(
    r"\b(recuerdame|recuerdeme|recuerdenme|recordame|recordarme|recordarnos|recuerdanos|me recuerdas|"
    r"me recuerdan|me recordas|me podes recordar|me puedes recordar|me pueden recordar|me podrias recordar|"
    r"recodarme|recordarmelo|recordamelo|recuerdamelo|recuerdemelo|recordarnoslo|remind me|remind us)\b",
    # The noun only with a verb of wanting one or what it is for: "this is a reminder that…" is no ask.
    r"\b(quiero|quisiera|pon|ponme|poneme|dame|mandame|enviame|activa|activame|crea|creame|programa|"
    r"i want|i d like|set|set up|send me|give me) (un |una |a |el |the )?(recordatorio|reminder)\b",
    r"\b(recordatorio|reminder)s? (de|del|para|for|of|about)\b",
    # "avísame la fecha del predial", "notify me when property tax is due": a verb of being told later
    # and a date ("tell me when it is due" asks it now: that is the knowledge base's question).
    r"\b(avisame|avisenme|aviseme|avisanos|me avisas|me avisan|notificame|notify me|alert me)\b.*\b(fecha|"
    r"vence|vencimiento|venza|vencer|plazo|ultimo dia|cuando (hay que|toca|se debe) pagar|due|deadline|"
    r"date)\b",
)
# A message that asks for a reminder without naming a topic we know must at least speak of dates to be
# offered the list ("recuérdame mi código de caso" is not about dates).
DATES = any_of(r"\b(fechas?|vence|vencimientos?|plazos?|pagos?|dates?|due|deadlines?|payments?)\b")
# "ya no me recuerdes el predial", "stop reminding me", "cancela el recordatorio": leaving one topic.
LEAVE = any_of(
    r"\bno (me )?(recuerdes|recuerden|recordes|recuerde)\b",
    r"\b(quitame|quitenme|cancela|cancelar|cancelame|borra|borrame|elimina|sacame|saca|desactiva|"
    r"no quiero)( el| los| mi| mis)? (recordatorios?|recordatoria)\b",
    r"\b(stop|don ?t|do not|no more) remind(ing|er|ers)?\b|\bcancel (the |my )?reminders?\b",
)
# What is cut from the message before the knowledge base looks for the topic in it.
_NOISE = any_of(
    r"\b(ya no|no|me|porfa|por favor|please|pls|plis|gracias|thanks|cuando|cuándo|when|la fecha|"
    r"the date|de|del|el|la|of|the|avisame|avisenme|quiero|un|una|a|set|is)\b",
)

_MONTHS = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}  # fmt: skip


def topic_code(slug: str) -> str:
    return PREFIX + slug


def slug_of(code: str) -> str | None:
    """The topic slug of a reminder subscription's topic, None for any other topic."""
    return code.removeprefix(PREFIX) if code.startswith(PREFIX) else None


def occasion(slug: str, due: DueDate) -> str:
    return f"{slug}@{due.day.isoformat()}"


def occasion_day(value: str | None) -> date | None:
    """The date of a reminder broadcast's occasion ("impuesto-predial@2027-04-30")."""
    if not value or "@" not in value:
        return None
    try:
        return date.fromisoformat(value.rsplit("@", 1)[1])
    except ValueError:
        return None


def city_today(settings: Settings, now: datetime) -> date:
    return now.astimezone(settings.city.zone).date()


def coming(topic: Topic, today: date) -> list[DueDate]:
    """The topic's dates not yet passed, soonest first."""
    return sorted((d for d in topic.dates if d.day >= today), key=lambda d: d.day)


def remind_on(settings: Settings, due: DueDate, today: date) -> date:
    """The day its reminder goes: `remind_days_before` the date, or today when that day has passed."""
    return max(due.day - timedelta(days=settings.knowledge.remind_days_before), today)


def is_due(settings: Settings, due: DueDate, today: date) -> bool:
    """Its reminder day has come and the date itself has not passed (city dates)."""
    return due.day - timedelta(days=settings.knowledge.remind_days_before) <= today <= due.day


def day_words(day: date, language: str) -> str:
    """ "27 de abril", "27 April"."""
    month = _MONTHS.get(language, _MONTHS["es"])[day.month - 1]
    return f"{day.day} {month}" if language == "en" else f"{day.day} de {month}"


def clock(moment: time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def subject(text: str) -> str:
    """The message without the words of asking: what the knowledge base looks for ("el predial")."""
    bare = _NOISE.sub(" ", ASK.sub(" ", LEAVE.sub(" ", text)))
    return " ".join(bare.split())
