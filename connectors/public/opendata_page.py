"""The /datos/ index page: the days written, their files with sizes, the licence; Spanish and English,
readable on a phone, with no script and one style block allowed by its hash alone."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from bot import opendata, opendata_files
from bot.settings import Settings

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
CSS = (
    "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fff}"
    "header{display:flex;gap:1rem;justify-content:space-between;align-items:flex-start;padding:1rem;"
    "background:#0b4f8a;color:#fff}header h1{margin:0;font-size:1.4rem}.city{margin:0;opacity:.9}"
    "header a{color:#fff}main,footer{padding:0 1rem;max-width:48rem;margin:0 auto}"
    "h2{font-size:1.15rem;margin-top:1.5rem}h3{font-size:1rem;margin:1rem 0 .25rem}"
    ".files{list-style:none;padding:0;margin:0}.files li{padding:.35rem 0;border-bottom:1px solid #ddd;"
    "overflow-wrap:anywhere}.files span,.inline span{color:#555;font-size:.9rem;white-space:nowrap}"
    ".inline{margin:0 0 .5rem;overflow-wrap:anywhere;line-height:1.9}"
    "a{color:#0b4f8a}.note{color:#555}footer{padding-bottom:2rem;margin-top:1.5rem}"
)
_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
# Nothing but the page's own style block: no script, no image, no form, no frame.
CSP = (
    f"default-src 'none'; style-src 'sha256-{_HASH}'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
WORDS = {
    "es": {
        "title": "Datos abiertos",
        "other": "English",
        "intro": "Los casos que la ciudadanía reporta, publicados cada día en CSV, JSON y GeoJSON, con su "
        "diccionario de datos. Las columnas siguen Open311 GeoReport v2.",
        "licence": "Licencia:",
        "privacy": "Sin nombres, teléfonos, correos ni direcciones; los lugares, aproximados a unos 100 m; "
        "la descripción, solo si quien reportó aceptó publicarla.",
        "latest": "Lo más reciente",
        "days": "Por día",
        "none": "Todavía no hay archivos publicados.",
        "catalogue": "Catálogo para portales de datos",
        "back": "Volver al inicio",
    },
    "en": {
        "title": "Open data",
        "other": "Español",
        "intro": "The cases citizens report, published every day as CSV, JSON and GeoJSON, with a data "
        "dictionary. The columns follow Open311 GeoReport v2.",
        "licence": "Licence:",
        "privacy": "No names, phone numbers, e-mails or addresses; places approximate to about 100 m; the "
        "description only when the person who reported agreed to publish it.",
        "latest": "The newest",
        "days": "By day",
        "none": "No files have been published yet.",
        "catalogue": "Catalogue for data portals",
        "back": "Back to the start",
    },
}


def size(n: int, language: str) -> str:
    """A file's size as people read it: 812 B, 4,2 KB (4.2 KB in English), 1,3 MB."""
    if n < 1024:
        return f"{n} B"
    value, unit = (n / 1024, "KB") if n < 1024 * 1024 else (n / 1024 / 1024, "MB")
    shown = f"{value:.1f}"
    return (shown.replace(".", ",") if language == "es" else shown) + " " + unit


def listing(root: Path, language: str) -> list[dict[str, Any]]:
    found = []
    for day in opendata.days(root):
        present = []
        for name in opendata_files.MEDIA_TYPES:
            path = root / day / name
            if path.is_file() and not path.is_symlink():
                present.append({"name": name, "size": size(path.stat().st_size, language)})
        if present:
            found.append({"day": day, "files": present})
    return found


def render(settings: Settings, language: str) -> bytes:
    licence = settings.opendata.licence
    return (
        TEMPLATES.get_template("datos.html")
        .render(
            language=language,
            other="en" if language == "es" else "es",
            w=WORDS[language],
            city=(settings.opendata.publisher or settings.city.name).get(language),
            licence_url=licence.url,
            licence_title=licence.title,
            days=listing(opendata.root(settings), language),
            css=Markup(CSS),  # our own constant, allowed by its hash in the CSP
        )
        .encode("utf-8")
    )
