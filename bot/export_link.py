"""The export link's shape: its path, a fresh token, its URL, its expiry in words, and its mask for staff.

The token is 256 random bits (43 URL-safe characters); only its SHA-256 is stored (storage/data_exports.py).
Staff see the bot's messages in the inbox, so wherever the inbox shows a message the token is masked:
a link a citizen was given is theirs, not the staff's."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from bot.settings import Settings
from bot.texts import text

PATH = "/mis-datos/"
TOKEN_BYTES = 32
# What `secrets.token_urlsafe` makes: the path's own characters; a shorter run is not one of ours.
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}")
_IN_TEXT = re.compile(re.escape(PATH) + r"[A-Za-z0-9_-]+")
MASKED = PATH + "••••"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def url_of(settings: Settings, token: str) -> str:
    return f"{settings.server.public_url.rstrip('/')}{PATH}{token}"


def mask(body: str) -> str:
    """The text with every export link's token hidden: `/mis-datos/••••`."""
    return _IN_TEXT.sub(MASKED, body) if PATH in body else body


def in_words(when: datetime, settings: Settings, language: str) -> str:
    """ "el miércoles 9 de diciembre a las 16:05" / "Wednesday 9 December at 16:05", in the city's time."""
    local = when.astimezone(settings.city.zone)
    weekday = text("export_weekdays", language).split(",")[local.weekday()]
    month = text("export_months", language).split(",")[local.month - 1]
    return text("export_when", language, weekday=weekday, day=local.day, month=month, time=f"{local:%H:%M}")
