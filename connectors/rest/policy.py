"""The city's privacy policy at /privacidad: its own Markdown file per language, as a page for phones.

The city edits the files (`privacy.policy` in config.yml) while the service runs: each request looks at
the file's modification time and size, and renders it again only when they changed. Raw HTML in the file
is shown as text, never run, and links to `javascript:` are dropped (markdown-it's CommonMark, with
html off), so a file edited carelessly, or by someone it should not have been, cannot put a script on
the city's site. A missing file is a page saying the policy is not published yet, and a warning at start.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import jinja2
from aiohttp import web
from markdown_it import MarkdownIt
from markupsafe import Markup

from bot.appkeys import POLICY_PAGES, SETTINGS
from bot.settings import Settings
from bot.settings_base import LANGUAGES
from bot.texts import text

log = logging.getLogger(__name__)

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
# Only the page's own style sheet and its inline icon: no script at all, nothing from elsewhere.
POLICY_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)

Stamp = tuple[int, int] | None  # the file's (mtime in ns, size); None when there is no file to read


def markdown() -> MarkdownIt:
    """CommonMark with raw HTML off (shown as text) and tables on; links allowed, but not `javascript:`."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Page:
    body: bytes
    etag: str


class PolicyPages:
    """The rendered page per language, kept until either language's file changes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.paths = {language: settings.privacy.policy_path(language) for language in LANGUAGES}
        self.md = markdown()
        self.pages: dict[str, tuple[tuple[Stamp, ...], Page]] = {}

    def warn_if_missing(self) -> None:
        for language, path in self.paths.items():
            if not path.is_file():
                log.warning(
                    "privacy.policy.%s: %s not found; /privacidad says the policy is not published yet",
                    language,
                    path,
                )

    def page(self, language: str) -> Page:
        stamps = tuple(_stamp(self.paths[other]) for other in LANGUAGES)
        kept = self.pages.get(language)
        if kept is not None and kept[0] == stamps:
            return kept[1]
        page = self._render(language)
        self.pages[language] = (stamps, page)
        return page

    def _render(self, language: str) -> Page:
        """The policy in `language`; the other language's with a note when only that one is published."""
        shown_in = language
        source = _read(self.paths[language])
        if source is None:
            shown_in = next(o for o in LANGUAGES if o != language)
            source = _read(self.paths[shown_in])
        other = next(o for o in LANGUAGES if o != language)
        html = TEMPLATES.get_template("policy.html").render(
            language=language,
            shown_in=shown_in if source is not None else language,
            city=self.settings.city.name.get(language),
            title=text("policy_title", language),
            # Safe to mark: markdown-it escapes every bit of HTML in the file (html off).
            policy=Markup(self.md.render(source)) if source is not None else None,
            missing=text("policy_missing", language),
            only_other=text("policy_only_other", language) if source and shown_in != language else None,
            other=other,
            other_name=text("policy_language_name", other),
            back=text("policy_back", language),
        )
        body = html.encode("utf-8")
        return Page(body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')


def _stamp(path: Path) -> Stamp:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        if path.exists():  # there, but unreadable (permissions): the city should hear of it
            log.warning("privacy policy %s cannot be read: %s", path, exc)
        return None


def page_language(request: web.Request, default: str) -> str:
    """`?lang=en|es`, else the browser's first Spanish or English preference, else the city's language."""
    asked = request.query.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        for language in LANGUAGES:
            if tag == language or tag.startswith(language + "-"):
                return language
    return default


async def policy(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    page = request.app[POLICY_PAGES].page(page_language(request, settings.city.default_language))
    headers = {
        "ETag": page.etag,
        "Cache-Control": "no-cache",  # the city may edit it at any time: always ask whether it changed
        "Vary": "Accept-Language",
        "Content-Security-Policy": POLICY_CSP,
    }
    if page.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    return web.Response(body=page.body, headers=headers | {"Content-Type": "text/html; charset=utf-8"})


def add_routes(app: web.Application) -> None:
    """GET and HEAD /privacidad, beside the chat page."""
    pages = PolicyPages(app[SETTINGS])
    pages.warn_if_missing()
    app[POLICY_PAGES] = pages
    app.router.add_get("/privacidad", policy)
