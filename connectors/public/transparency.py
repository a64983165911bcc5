"""`/transparencia`: the city's figures for everyone, no login, in Spanish or English, for phones.

The page runs no script and loads nothing from elsewhere: its charts are SVG drawn by the server, its
style sheet is its own (`/transparencia/estilo.css`), and its Content-Security-Policy says so. The figures
are counted at most every five minutes per worker (`FigureCache`), so asking for the page again and again
cannot make the database work harder. `?months=` other than 3, 6, 12 or 24 is a 400 page saying which;
`?lang=` other than es or en falls back to the browser's language, then the city's.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from aiohttp import web

from bot.appkeys import SESSIONS, SETTINGS
from connectors.public.transparency_equity import served_rows
from connectors.public.transparency_figures import DEFAULT_PERIOD, PERIODS, FigureCache
from connectors.public.transparency_surveys import results as survey_results
from connectors.public.transparency_view import MONTH_CHART_HEIGHT, View
from connectors.public.transparency_words import WORDS
from connectors.rest.policy import page_language
from connectors.static import StaticFile

HERE = Path(__file__).resolve().parent
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
STYLE = "/transparencia/estilo.css"
# Its own style sheet and nothing else: no script, no frame, no form, no image from anywhere.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "public, max-age=60",  # the figures change at most once a minute
    "Vary": "Accept-Language",
}


class BadPeriod(ValueError):
    pass


def asked_months(request: web.Request) -> int:
    asked = request.query.get("months")
    if asked is None or asked == "":
        return DEFAULT_PERIOD
    try:
        months = int(asked.strip())
    except ValueError:
        raise BadPeriod(asked) from None
    if months not in PERIODS:
        raise BadPeriod(asked)
    return months


def render(view: View, months: int) -> str:
    figures = view.f
    bars = view.month_bars()
    return TEMPLATES.get_template("transparency.html").render(
        v=view,
        w=view.w,
        language=view.language,
        other="en" if view.language == "es" else "es",
        city=view.settings.city.name.get(view.language),
        months=months,
        since=view.day(figures.since.astimezone(view.settings.city.zone).date()),
        until=view.day(figures.until.astimezone(view.settings.city.zone).date()),
        style=STYLE,
        bars=bars,
        month_label=view.month_label(bars),
        chart_height=MONTH_CHART_HEIGHT,
        services=view.by_service(),
        areas=view.by_area(),
        area_columns=[view.area_names()[code] for code in view.areas],
        service_area=view.service_area(),
        outcomes=view.outcome_totals(),
        outcome_rows=view.outcome_rows(),
        ratings=view.rating_rows(),
        means=view.rating_means(),
        surveys=survey_results(view),
        served=served_rows(view),
    )


def add_routes(app: web.Application) -> None:
    """GET and HEAD /transparencia, and its style sheet."""
    cache = FigureCache()

    async def stop_counting(app: web.Application) -> None:
        await cache.close()

    app.on_cleanup.append(stop_counting)
    style = StaticFile.read(HERE / "static" / "transparency.css")

    async def page(request: web.Request) -> web.Response:
        settings = request.app[SETTINGS]
        language = page_language(request, settings.city.default_language)
        try:
            months = asked_months(request)
        except BadPeriod:
            return web.Response(
                status=400,
                text=WORDS[language]["bad_period"],
                headers={"Content-Security-Policy": CSP, "Content-Type": "text/plain; charset=utf-8"},
            )
        figures = await cache.figures(request.app[SESSIONS], settings, months)
        html = render(View(figures, settings, language), months)
        return web.Response(text=html, content_type="text/html", charset="utf-8", headers=HEADERS)

    async def stylesheet(request: web.Request) -> web.Response:
        return style.response(request)

    app.router.add_get("/transparencia", page)
    app.router.add_get(STYLE, stylesheet)
