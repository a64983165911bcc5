"""Tolerant decoding of update payloads, including old Bot API 3.x ones that lack today's fields."""

from __future__ import annotations

import copy
import logging
from typing import Any

from telegram import Bot, Update

from connectors.errors import BadInput

log = logging.getLogger(__name__)

# What python-telegram-bot may raise on a payload that misses a field it requires.
# OverflowError: a date no calendar has ("date": 1e20) overflows the platform's time_t.
DECODE_ERRORS = (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError)
# The message fields the connector reads that never hold a nested file object.
PLAIN_MESSAGE_KEYS = ("message_id", "date", "chat", "from", "text", "caption", "location", "venue", "contact")
MESSAGE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post")
MEDIA_DEFAULTS: dict[str, dict[str, Any]] = {
    "sticker": {"is_animated": False, "is_video": False, "type": "regular", "width": 0, "height": 0},
    "animation": {"width": 0, "height": 0, "duration": 0},
    "video": {"width": 0, "height": 0, "duration": 0},
    "video_note": {"length": 0, "duration": 0},
    "voice": {"duration": 0},
    "audio": {"duration": 0},
}


class NotAnUpdate(BadInput):
    """The JSON is not a Telegram update at all (no integer `update_id`)."""

    def __init__(self, why: str = "") -> None:
        super().__init__("bad_update", "error_bad_telegram_update")
        self.why = why


def decode_update(data: Any, bot: Bot | None = None) -> Update | None:
    """The update, read as strictly as python-telegram-bot allows, then more leniently; None if unusable.

    Raises `NotAnUpdate` for JSON that no Bot API version would send.
    """
    if not isinstance(data, dict):
        raise NotAnUpdate("the body is not a JSON object")
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise NotAnUpdate("the body has no integer update_id")
    for attempt in (_as_is, complete_legacy_fields, _plain_message_only):
        try:
            return Update.de_json(attempt(data), bot)
        except DECODE_ERRORS as exc:
            log.debug("update %s not readable with %s: %s", update_id, attempt.__name__, exc)
    log.warning("telegram update %s could not be read even leniently; ignored", update_id)
    return None


def _as_is(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(data)


def complete_legacy_fields(data: Any) -> Any:
    """A copy with the fields Bot API 3.x did not send yet filled in with neutral values."""
    if isinstance(data, list):
        return [complete_legacy_fields(item) for item in data]
    if not isinstance(data, dict):
        return data
    out = {key: complete_legacy_fields(value) for key, value in data.items()}
    if "file_id" in out and "file_unique_id" not in out:
        out["file_unique_id"] = out["file_id"]
    if "id" in out and "first_name" in out and "type" not in out and "is_bot" not in out:
        out["is_bot"] = False  # a User object (a Chat carries "type")
    for key, defaults in MEDIA_DEFAULTS.items():
        if isinstance(out.get(key), dict):
            out[key] = {**defaults, **out[key]}
    return out


def _plain_message_only(data: dict[str, Any]) -> dict[str, Any]:
    """Last resort: keep the text, location and contact, drop every attachment the library cannot read."""
    out = complete_legacy_fields(data)
    for key in MESSAGE_KEYS:
        if isinstance(out.get(key), dict):
            out[key] = {k: v for k, v in out[key].items() if k in PLAIN_MESSAGE_KEYS}
    return {key: value for key, value in out.items() if key == "update_id" or key in MESSAGE_KEYS}
