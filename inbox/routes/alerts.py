"""The supervisors' alerts page: write a notice for a topic (and area), see whom it reaches, confirm, and it
is queued (bot/broadcasts.py sends it at the city's pace); past alerts and surveys with their deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot import broadcasts
from bot.appkeys import SETTINGS
from bot.broadcast_delivery import alert_body
from bot.settings import Settings
from inbox.views import back, form_of, render, requires, sessions_of, staff_of, ui_for
from storage import broadcasts as rows
from storage.audit import audit
from storage.models import Broadcast, utcnow

HERE = "/inbox/alerts"
# How the page tells each delivery state and skip reason, in this order.
SHOWN = ("queued", "sent", "delivered", "answered", "skipped")
REASONS = ("opted_out", "outside_window", "no_channel", "closed", "expired", "suppressed", "erased")


@dataclass(frozen=True)
class Draft:
    """What the supervisor typed, checked or not yet."""

    topic: str
    area: str | None
    text_es: str
    text_en: str

    @property
    def words(self) -> dict[str, str]:
        return broadcasts.alert_words(self.text_es, self.text_en)


@dataclass(frozen=True)
class Sent:
    """A past broadcast as the page lists it."""

    broadcast: Broadcast
    title: str  # the survey's title or the alert's Spanish text
    counts: dict[str, int]
    reasons: dict[str, int]


def _draft(settings: Settings, form: dict[str, str]) -> Draft:
    topic = form.get("topic", "")
    known = settings.participation.topics.get(topic)
    # An area only means something for a topic citizens chose by area; otherwise the whole city.
    area = form.get("area", "") or None if known is not None and known.by_area else None
    return Draft(topic, area, form.get("text_es", "").strip(), form.get("text_en", "").strip())


def _only_every_department(request: web.Request) -> None:
    """An alert goes to the whole city's citizens: not for a department's staff (as the audit trail)."""
    if staff_of(request).scope is not None:
        raise web.HTTPForbidden(reason="every department only")


async def _history(request: web.Request, settings: Settings, language: str) -> list[Sent]:
    async with sessions_of(request)() as session:
        found = await rows.recent(session)
        tallies = await rows.tally(session, [b.id for b in found])
        surveys = await rows.surveys_by_id(session, [b.survey_id for b in found if b.survey_id])
    listed = []
    for b in found:
        if b.survey_id is not None and b.survey_id in surveys:
            title = surveys[b.survey_id].title.get(language) or surveys[b.survey_id].title.get("es", "")
        else:
            title = (b.text or {}).get("es", "")
        counts = tallies[b.id]
        reasons = {r: counts[f"skipped:{r}"] for r in REASONS if counts[f"skipped:{r}"]}
        listed.append(Sent(b, title, {s: counts[s] for s in SHOWN}, reasons))
    return listed


async def _page(
    request: web.Request,
    *,
    draft: Draft | None = None,
    problem: str = "",
    preview: dict[str, Any] | None = None,
    status: int = 200,
) -> web.Response:
    settings = request.config_dict[SETTINGS]
    language = ui_for(request).lang
    context = {
        "topics": settings.participation.topics,
        "areas": settings.areas,
        "max_chars": settings.participation.alert_max_chars,
        "draft": draft,
        "problem": problem,
        "preview": preview,
        "sent": await _history(request, settings, language),
        "shown": SHOWN,
    }
    return render(request, "alerts.html", context, status=status)


async def _refused(request: web.Request, draft: Draft, refused: broadcasts.Refused) -> web.Response:
    """The form again, as typed, saying what is wrong in the staff member's language."""
    problem = ui_for(request).t(f"alert_problem_{refused.key}", **refused.values)
    return await _page(request, draft=draft, problem=problem, status=400)


@requires("supervisor")
async def alerts_page(request: web.Request) -> web.Response:
    _only_every_department(request)
    return await _page(request)


@requires("supervisor")
async def preview(request: web.Request) -> web.Response:
    """The alert as citizens will read it and how many it reaches; nothing is queued yet."""
    _only_every_department(request)
    settings = request.config_dict[SETTINGS]
    draft = _draft(settings, await form_of(request))
    try:
        broadcasts.check_alert(settings, draft.topic, draft.area, draft.words)
    except broadcasts.Refused as refused:
        return await _refused(request, draft, refused)
    async with sessions_of(request)() as session:
        reach = await broadcasts.audience_size(session, draft.topic, draft.area)
    shown = Broadcast(kind=broadcasts.ALERT, topic=draft.topic, area=draft.area, text=draft.words)
    bodies = {lang: alert_body(settings, shown, lang) for lang in ("es", "en")}
    return await _page(request, draft=draft, preview={"reach": reach, "bodies": bodies})


@requires("supervisor")
async def send(request: web.Request) -> web.Response:
    """Confirmed: queued for the topic's citizens, and audited (who sent what to how many)."""
    _only_every_department(request)
    settings = request.config_dict[SETTINGS]
    draft = _draft(settings, await form_of(request))
    staff = staff_of(request)
    try:
        async with sessions_of(request)() as session, session.begin():
            queued = await broadcasts.queue_alert(
                session, settings, topic=draft.topic, area=draft.area, words=draft.words,
                now=utcnow(), staff_id=staff.id,
            )  # fmt: skip
            await audit(
                session,
                actor=staff.username,
                staff_id=staff.id,
                action="alert_sent",
                target_type="broadcast",
                target_id=str(queued.broadcast_id),
                to_value=f"{draft.topic}/{draft.area or '*'}",
                detail={"queued": queued.queued, "text": draft.words},
            )
    except broadcasts.Refused as refused:
        return await _refused(request, draft, refused)
    raise back(HERE, "alert_queued", anchor=f"broadcast-{queued.broadcast_id}")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/alerts", alerts_page)  # the inbox is a sub-application under /inbox
    router.add_post("/alerts/preview", preview)
    router.add_post("/alerts", send)
