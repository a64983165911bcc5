"""The supervisors' surveys pages: every survey with its reach, and one survey's results as the public will
see them (small counts hidden, bars drawn by the server) plus, for supervisors, the free-text answers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from aiohttp import web

from bot.appkeys import SETTINGS
from bot.survey_results import QuestionResult, SurveyResults, csv_rows, label, results
from inbox.views import csv_download, render, requires, sessions_of, staff_of, ui_for
from storage import surveys as rows
from storage.models import Survey, utcnow

BAR_WIDTH = 180.0  # the longest bar, in SVG units: narrow, so the words stay legible on a phone
ROW_HEIGHT = 26.0


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # "12", or "<5" where hidden: a hidden count draws no bar
    y: float
    width: float


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    height: float


def chart(question: QuestionResult, min_cell: int, language: str) -> Chart:
    """One horizontal bar per choice (or per point of a scale), as long as its public count."""
    top = max((c.count or 0 for c in question.cells), default=0) or 1
    bars = tuple(
        Bar(label(c.labels, language), c.shown(min_cell), i * ROW_HEIGHT, BAR_WIDTH * (c.count or 0) / top)
        for i, c in enumerate(question.cells)
    )
    return Chart(bars, max(1, len(bars)) * ROW_HEIGHT)


def _city_wide(request: web.Request) -> None:
    # Surveys belong to no department, and their free text to the whole city: staff who see everything.
    if staff_of(request).scope is not None:
        raise web.HTTPForbidden(reason="every department only")


@requires("supervisor")
async def surveys_page(request: web.Request) -> web.Response:
    _city_wide(request)
    settings = request.config_dict[SETTINGS]
    listed: list[tuple[Survey, dict[str, int], int]] = []
    async with sessions_of(request)() as session:
        for survey in await rows.every(session):
            reach = await rows.recipients(session, survey.id)
            listed.append((survey, reach, await rows.respondents(session, survey.id)))
    topics = settings.participation.topics
    return render(request, "surveys.html", {"surveys": listed, "now": utcnow(), "topics": topics})


async def _found(request: web.Request, public: bool) -> SurveyResults:
    survey_id = int(request.match_info["survey_id"])
    if survey_id > 2**62:
        raise web.HTTPNotFound()
    async with sessions_of(request)() as session:
        survey = await rows.by_id(session, survey_id)
        if survey is None:
            raise web.HTTPNotFound()
        return await results(session, request.config_dict[SETTINGS], survey, public=public)


@requires("supervisor")
async def survey_page(request: web.Request) -> web.Response:
    _city_wide(request)
    public, private = await _found(request, True), await _found(request, False)
    ui = ui_for(request)
    charts = [chart(q, public.min_cell, ui.lang) for q in public.questions]
    context = {"r": public, "texts": [q.texts for q in private.questions], "charts": charts}
    return render(request, "survey.html", context)


@requires("supervisor")
async def survey_csv(request: web.Request) -> web.Response:
    """The public table, as `ventanilla surveys results --csv` prints it: small counts hidden, no text."""
    _city_wide(request)
    found = await _found(request, True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv_rows(found))
    return csv_download(out.getvalue(), f"encuesta-{found.slug}.csv")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/surveys", surveys_page)
    router.add_get(r"/surveys/{survey_id:\d+}", survey_page)
    router.add_get(r"/surveys/{survey_id:\d+}.csv", survey_csv)
