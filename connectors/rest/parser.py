"""Pure parsing of a web chat request (Rasa REST channel shape) into an `InboundMessage`."""

from __future__ import annotations

import math
import re
import uuid
from typing import Any

from bot.messages import Attachment, InboundMessage, Location
from connectors.errors import BadInput
from storage.media import content_type_of

CHANNEL = "rest"
SENDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}")
MESSAGE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
# Only photos and voice notes this service stored itself may be attached, never an arbitrary URL.
MEDIA_URL = re.compile(r"/media/[0-9a-f]{32}\.(?:jpg|png|webp|gif|webm|ogg|m4a)")
VOICE_EXTENSIONS = ("webm", "ogg", "m4a")


def parse_request(data: Any) -> InboundMessage:
    """Validate the JSON body and build the message; raise `BadInput` naming what is wrong."""
    if not isinstance(data, dict):
        raise BadInput("bad_json", "error_bad_json")
    sender = data.get("sender")
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        raise BadInput("bad_sender", "error_bad_sender")
    message = data.get("message", "")
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise BadInput("bad_message", "error_bad_message")
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadInput("bad_metadata", "error_bad_metadata", detail="metadata")
    location = _location(metadata.get("location"))
    attachments = _attachments(metadata.get("attachments"))
    if not message.strip() and location is None and not attachments:
        raise BadInput("empty_message", "error_empty_message")
    return InboundMessage(
        channel=CHANNEL,
        address=sender,
        provider_message_id=f"{sender}:{_message_id(metadata.get('message_id'))}",
        text=message,
        location=location,
        attachments=attachments,
        raw=data,
    )


def _message_id(value: Any) -> str:
    if value is None:
        return f"auto-{uuid.uuid4().hex}"  # the client gave none, so it cannot be deduplicated
    if not isinstance(value, str) or not MESSAGE_ID.fullmatch(value):
        raise BadInput("bad_metadata", "error_bad_metadata", detail="message_id")
    return value


def _location(value: Any) -> Location | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadInput("bad_metadata", "error_bad_metadata", detail="location")
    lat, lon = value.get("latitude"), value.get("longitude")
    if not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon)
    ):
        raise BadInput("bad_metadata", "error_bad_metadata", detail="location")
    assert isinstance(lat, int | float) and isinstance(lon, int | float)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadInput("bad_metadata", "error_bad_metadata", detail="location")
    return Location(latitude=float(lat), longitude=float(lon))


def _attachments(value: Any) -> tuple[Attachment, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > 5:
        raise BadInput("bad_metadata", "error_bad_metadata", detail="attachments")
    found = []
    for item in value:
        url = item.get("url") if isinstance(item, dict) else None
        if not isinstance(url, str) or not MEDIA_URL.fullmatch(url):
            raise BadInput("bad_metadata", "error_bad_metadata", detail="attachments")
        if url.endswith(VOICE_EXTENSIONS):  # the type is the one we stored it as, whatever the client says
            found.append(Attachment(url=url, content_type=content_type_of(url), kind="voice"))
            continue
        content_type = item.get("content_type")
        if not isinstance(content_type, str) or not content_type.startswith("image/"):
            content_type = "image/jpeg"
        found.append(Attachment(url=url, content_type=content_type[:60], kind="photo"))
    return tuple(found)
