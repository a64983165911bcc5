"""The supervisors' page of what citizens asked the knowledge base: the questions nothing answered and those
whose answer "no me sirvió", most frequent first, so the city knows what to write next; each topic's
figures and age; and the two lists as CSV. Masked words and counts only: no way from a question to who
asked it (a supervisor who needs the conversation opens the inbox as usual)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from aiohttp import web

from bot.appkeys import KNOWLEDGE, SETTINGS
from bot.knowledge_files import Topic
from bot.retention import months_before
from bot.settings import Settings
from connectors.open311.privacy import redact
from inbox.export import cell
from inbox.views import csv_download, render, requires, sessions_of, staff_of, ui_for
from storage import knowledge_report
from storage.audit import audit
from storage.knowledge_report import Asked, Report, TopicFigures
from storage.models import utcnow

PERIODS = (7, 30, 90)  # days, as the page offers them
DEFAULT_DAYS = 30
CSV_COLUMNS = ("lista", "pregunta", "veces", "ultima_vez", "idiomas", "tema", "titulo_tema")


@dataclass(frozen=True)
class TopicRow:
    """A topic of the knowledge base (or one asked about whose file is gone) with its figures."""

    slug: str
    title: str
    figures: TopicFigures
    checked: date | None
    stale: bool
    known: bool  # its file is still in the knowledge base

    @property
    def asked(self) -> bool:
        return bool(self.figures.answered or self.figures.chosen)


def days_of(request: web.Request) -> int:
    """The period asked for, one of PERIODS; anything else is the default."""
    asked = request.query.get("days", "")
    return int(asked) if asked in {str(d) for d in PERIODS} else DEFAULT_DAYS


def _city_wide(request: web.Request) -> None:
    # The questions belong to no department (a miss has no topic): staff who see the whole city.
    if staff_of(request).scope is not None:
        raise web.HTTPForbidden(reason="every department only")


async def _topics(request: web.Request) -> dict[str, Topic]:
    """The topics as the files say now: staff who just fixed a file and set its `checked:` see it here."""
    knowledge = request.config_dict.get(KNOWLEDGE)
    if knowledge is None:
        return {}
    await knowledge.refresh()
    return dict(knowledge.topics)


def shown(text: str) -> str:
    """The stored words are masked when recorded; masked again here, a net under that one (e-mail
    addresses, phone and ID numbers), in case an older row or another path missed something."""
    return redact(text) or ""


def is_stale(topic: Topic, settings: Settings, today: datetime) -> bool:
    """Not checked for `knowledge.stale_months`, or never: a topic to read again before trusting it."""
    if topic.checked is None:
        return True
    return topic.checked < months_before(today, settings.knowledge.stale_months).date()


def topic_rows(report: Report, topics: dict[str, Topic], settings: Settings, language: str) -> list[TopicRow]:
    """Every topic of the knowledge base, asked or not, and any asked about whose file is gone: the most
    asked first, those never asked last."""
    today = utcnow().astimezone(settings.city.zone)
    figures = {f.topic: f for f in report.topics}
    rows = []
    for slug in sorted({*topics, *figures}):
        topic = topics.get(slug)
        counted = figures.get(slug) or TopicFigures(slug, 0, 0, 0, 0)
        title = topic.in_language(topic.title, language) if topic is not None else slug
        checked = topic.checked if topic is not None else None
        stale = topic is not None and is_stale(topic, settings, today)
        rows.append(TopicRow(slug, title, counted, checked, stale, topic is not None))
    return sorted(rows, key=lambda r: (-(r.figures.answered + r.figures.chosen), r.title.casefold()))


def _title(topics: dict[str, Topic], slug: str | None, language: str) -> str:
    if slug is None:
        return ""
    topic = topics.get(slug)
    return topic.in_language(topic.title, language) if topic is not None else slug


async def _report(request: web.Request, days: int) -> Report:
    since = utcnow() - timedelta(days=days)
    async with sessions_of(request)() as session:
        return await knowledge_report.report(session, since)


@requires("supervisor")
async def knowledge_page(request: web.Request) -> web.Response:
    _city_wide(request)
    settings = request.config_dict[SETTINGS]
    days = days_of(request)
    found = await _report(request, days)
    topics = await _topics(request)
    language = ui_for(request).lang
    context = {
        "days": days,
        "periods": PERIODS,
        "report": found,
        "topic_rows": topic_rows(found, topics, settings, language),
        "title_of": lambda slug: _title(topics, slug, language),
        "shown": shown,
        "stale_months": settings.knowledge.stale_months,
    }
    return render(request, "knowledge.html", context)


def csv_rows(found: Report, topics: dict[str, Topic]) -> list[list[str]]:
    """The two lists, one row per group; every cell that a spreadsheet would run is made plain text."""
    rows = [list(CSV_COLUMNS)]
    for name, groups in (("sin_respuesta", found.misses), ("no_sirvio", found.not_useful)):
        for asked in groups:
            rows.append(_csv_row(name, asked, topics))
    return rows


def _csv_row(name: str, asked: Asked, topics: dict[str, Topic]) -> list[str]:
    return [
        name,
        cell(shown(asked.example)),
        str(asked.count),
        asked.last_at.isoformat(),
        " ".join(asked.languages),
        cell(asked.topic),
        cell(_title(topics, asked.topic, "es")),
    ]


@requires("supervisor")
async def knowledge_csv(request: web.Request) -> web.Response:
    """The citizens' (masked) words leave the system here: who took them, and which period, is recorded."""
    _city_wide(request)
    days = days_of(request)
    staff = staff_of(request)
    async with sessions_of(request)() as session, session.begin():
        await audit(
            session, actor=staff.username, action="knowledge.export", target_type="knowledge_asks",
            target_id="csv", staff_id=staff.id, detail={"days": days},
        )  # fmt: skip
    found = await _report(request, days)
    out = io.StringIO()
    out.write("\ufeff")  # the byte-order mark makes Excel read UTF-8 (accents, ñ) right
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(found, await _topics(request)))
    return csv_download(out.getvalue(), f"preguntas-{utcnow():%Y-%m-%d}-{days}d.csv")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/knowledge", knowledge_page)
    router.add_get("/knowledge.csv", knowledge_csv)
