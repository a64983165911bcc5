"""`/mis-datos/{token}`: the one-time link to a citizen's export (issue 15).

GET shows a page with a "Descargar" button and never uses the link up: WhatsApp, Telegram and mail
scanners open links to preview them, and would burn a one-time link before its owner saw it. POST claims
the link in one UPDATE (of two racing clients exactly one gets the zip), audits it, and answers the zip.
The token is never logged (the service keeps no access log; docs/operations.md says how to keep the proxy
from logging it), and a wrong, used or expired one gets a polite page, counted like other refusals."""

from __future__ import annotations

import html
import logging
from datetime import datetime

from aiohttp import web

from bot import data_export, metrics
from bot.appkeys import MEDIA, SESSIONS, SETTINGS
from bot.export_link import PATH, TOKEN, in_words
from bot.texts import text
from connectors.http import request_language
from storage import audit, citizens, data_exports
from storage.models import DataExport, utcnow

log = logging.getLogger(__name__)
ROUTE = PATH + "{token}"
# The page: no script, its own inline style, forms only to itself, never framed, never indexed, and no
# Referer carrying the token to anything it links to.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>
body {{ font: 17px/1.5 system-ui, sans-serif; margin: 0; padding: 1.5rem 1rem; color: #1d2733;
  background: #f4f6f8; }}
main {{ max-width: 32rem; margin: 0 auto; background: #fff; border-radius: 12px; padding: 1.5rem;
  box-shadow: 0 1px 3px rgba(0,0,0,.12); }}
h1 {{ font-size: 1.35rem; margin: 0 0 .75rem; }}
p {{ margin: 0 0 1rem; }}
button {{ font: inherit; font-weight: 600; width: 100%; padding: .85rem 1rem; border: 0; border-radius: 8px;
  background: #0b5cad; color: #fff; cursor: pointer; }}
.small {{ font-size: .9rem; color: #56616d; margin-top: .75rem; }}
</style></head>
<body><main><h1>{title}</h1>{body}</main></body></html>
"""


def _language(request: web.Request, citizen_language: str | None) -> str:
    wanted = request.query.get("lang", "")
    if wanted in ("es", "en"):
        return wanted
    return citizen_language if citizen_language in ("es", "en") else request_language(request)


def _page(language: str, title_key: str, body: str, status: int) -> web.Response:
    page = PAGE.format(lang=language, title=html.escape(text(title_key, language)), body=body)
    return web.Response(text=page, content_type="text/html", status=status, headers=HEADERS)


def _gone(request: web.Request, export: DataExport | None, language: str) -> web.Response:
    """Unknown (404), or used or expired (410): ask again in the chat. Counted, never with the token."""
    reason = "unknown" if export is None else "used" if export.used_at is not None else "expired"
    metrics.REJECTED.labels(ROUTE, f"export_link_{reason}").inc()
    log.info("export link refused (%s) for %s", reason, request.method)
    body = f"<p>{html.escape(text('export_page_gone', language))}</p>"
    return _page(language, "export_page_gone_title", body, 404 if export is None else 410)


def _usable(export: DataExport, now: datetime) -> bool:
    return export.used_at is None and export.expires_at > now


async def _find(request: web.Request) -> tuple[str, DataExport | None, str | None]:
    """The token, its link if any, and its citizen's language."""
    token = request.match_info["token"]
    if not TOKEN.fullmatch(token) or len(token) > 100:
        return token, None, None
    async with request.app[SESSIONS]() as session:
        export = await data_exports.by_token(session, token)
        language = (await citizens.get_citizen(session, export.citizen_id)).language if export else None
    return token, export, language


async def page(request: web.Request) -> web.Response:
    """The link's page; looking never uses it up."""
    now = utcnow()
    _, export, citizen_language = await _find(request)
    language = _language(request, citizen_language)
    if export is None or not _usable(export, now):
        return _gone(request, export, language)
    when = in_words(export.expires_at, request.app[SETTINGS], language)
    body = (
        f"<p>{html.escape(text('export_page_body', language))}</p>"
        f'<form method="post"><button type="submit">{html.escape(text("export_page_button", language))}'
        f'</button></form><p class="small">{html.escape(text("export_page_once", language, when=when))}</p>'
    )
    return _page(language, "export_page_title", body, 200)


async def download(request: web.Request) -> web.StreamResponse:
    """Claim the link (once), make the zip, audit it and answer it; the link is given back if the zip
    cannot be made (the media store down: 503, try again)."""
    settings, sessions, now = request.app[SETTINGS], request.app[SESSIONS], utcnow()
    token, export, citizen_language = await _find(request)
    language = _language(request, citizen_language)
    if export is None:
        return _gone(request, None, language)
    async with sessions() as session, session.begin():
        claimed = await data_exports.claim(session, token, now)
    if claimed is None:  # used, expired, or another request took it a moment ago
        _, export, _ = await _find(request)
        return _gone(request, export, language)
    try:
        async with sessions() as session:
            body = await data_export.zip_of(
                session, request.app[MEDIA], settings, claimed.citizen_id, now=now
            )
        if body is None:  # the citizen was erased in between: nothing of them is left to give
            return _gone(request, export, language)
        async with sessions() as session, session.begin():
            await audit.audit(
                session, actor="citizen", action="data.exported", target_type="citizen",
                target_id=str(claimed.citizen_id), detail={"via": "link", "request": claimed.request_id},
            )  # fmt: skip
    except Exception:  # the media store or the database failed: the citizen got nothing, so the link stays
        async with sessions() as session, session.begin():
            await data_exports.release(session, claimed.id, now)
        raise
    name = f"mis-datos-{now.astimezone(settings.city.zone):%Y-%m-%d}.zip"
    headers = HEADERS | {"Content-Disposition": f'attachment; filename="{name}"'}
    return web.Response(body=body, content_type="application/zip", headers=headers)


def add_routes(app: web.Application) -> None:
    app.router.add_get(ROUTE, page)
    app.router.add_post(ROUTE, download)
