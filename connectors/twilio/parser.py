"""Pure parsing of Twilio's webhook form posts: an inbound SMS/WhatsApp message, or a delivery status."""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bot.messages import Attachment, InboundMessage, Location
from connectors.errors import BadInput
from connectors.phones import NotAPhoneNumber, normalise_phone

WHATSAPP_PREFIX = "whatsapp:"
# Twilio SIDs are two letters and 32 hex digits; accept a little more, but nothing that is not a token.
SID = re.compile(r"[A-Za-z]{2}[A-Za-z0-9]{8,62}")
STATUS = re.compile(r"[a-z_]{1,20}")
MAX_MEDIA = 10  # Twilio delivers at most ten media items per message
MAX_NAME = 200

# Twilio's own SMS keywords, which Twilio (and carriers) act on before we see the message, minus CANCEL and
# YES, which our citizens say inside a conversation ("cancelar", "yes, file it"). Compared with the whole
# message, accents and case folded, on SMS only: on WhatsApp nobody intercepts them. The Spanish ways
# (BAJA, ALTA, "darme de baja") are not Twilio's: they reach the dialogue, which pauses or resumes the
# citizen's topics and answers in one reply (bot/topics.py, docs/participation.md).
OPT_OUT_WORDS = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "optout", "opt out", "revoke"})
OPT_IN_WORDS = frozenset({"start", "unstop"})


class MalformedForm(BadInput):
    """The form cannot be a Twilio message; `detail` names the field."""

    def __init__(self, detail: str) -> None:
        super().__init__("bad_form", "error_bad_twilio_form", detail=detail)
        self.detail = detail


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery status callback for a message we sent."""

    provider_message_id: str
    status: str
    error_code: int | None = None
    channel: str | None = None  # of the citizen's address in `To`, when it is a phone number
    address: str | None = None


def parse_message(form: Mapping[str, str], region: str) -> InboundMessage:
    """One inbound message from Twilio's form fields (first value of each); raise `MalformedForm`."""
    sid = _sid(form)
    channel, address = _sender(form.get("From"), region)
    payload = form.get("ButtonPayload", "").strip()
    text = payload or form.get("ButtonText", "").strip() or form.get("Body", "")
    return InboundMessage(
        channel=channel,
        address=address,
        provider_message_id=sid,
        text=text,
        location=_location(form),
        attachments=_attachments(form),
        display_name=form.get("ProfileName", "").strip()[:MAX_NAME] or None,
        recipient=_recipient(form.get("To")),
        command=_command(form.get("OptOutType", ""), text, channel),
        raw=dict(form),
    )


def parse_status(form: Mapping[str, str], region: str) -> StatusUpdate:
    """A status callback; `To` (the citizen) is read only if it is a phone number, for opt-outs."""
    sid = _sid(form)
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip().lower()
    if not STATUS.fullmatch(status):
        raise MalformedForm("MessageStatus")
    code = form.get("ErrorCode", "").strip()
    if code and not code.isdigit():
        raise MalformedForm("ErrorCode")
    channel = address = None
    with contextlib.suppress(MalformedForm):  # the status counts anyway; only an opt-out needs `To`
        channel, address = _sender(form.get("To"), region)
    return StatusUpdate(sid, status, int(code) if code else None, channel, address)


def _sid(form: Mapping[str, str]) -> str:
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    if not SID.fullmatch(sid):
        raise MalformedForm("MessageSid")
    return sid


def _sender(value: str | None, region: str) -> tuple[str, str]:
    """("whatsapp" | "sms", canonical E.164) for a `From`-like field."""
    raw = (value or "").strip()
    if not raw:
        raise MalformedForm("From")
    channel = "sms"
    if raw.lower().startswith(WHATSAPP_PREFIX):
        channel, raw = "whatsapp", raw[len(WHATSAPP_PREFIX) :]
    elif ":" in raw:
        raise MalformedForm("From")  # another channel behind Twilio (rcs:, messenger:) we do not serve
    try:
        return channel, normalise_phone(raw, region)
    except NotAPhoneNumber as exc:
        raise MalformedForm("From") from exc


def _recipient(value: str | None) -> str | None:
    raw = (value or "").strip()
    if raw.lower().startswith(WHATSAPP_PREFIX):
        raw = raw[len(WHATSAPP_PREFIX) :]
    return raw[:MAX_NAME] or None


def _location(form: Mapping[str, str]) -> Location | None:
    lat_text, lon_text = form.get("Latitude", "").strip(), form.get("Longitude", "").strip()
    if not lat_text and not lon_text:
        return None
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError as exc:
        raise MalformedForm("Latitude/Longitude") from exc
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise MalformedForm("Latitude/Longitude")
    return Location(
        latitude=lat,
        longitude=lon,
        address=form.get("Address", "").strip() or None,
        label=form.get("Label", "").strip() or None,
    )


def _attachments(form: Mapping[str, str]) -> tuple[Attachment, ...]:
    count_text = form.get("NumMedia", "0").strip() or "0"
    if not count_text.isdigit() or int(count_text) > MAX_MEDIA:
        raise MalformedForm("NumMedia")
    found = []
    for index in range(int(count_text)):
        url = form.get(f"MediaUrl{index}", "").strip()
        if not url.startswith(("https://", "http://")):
            raise MalformedForm(f"MediaUrl{index}")
        content_type = form.get(f"MediaContentType{index}", "").strip().lower()[:100]
        content_type = content_type or "application/octet-stream"
        found.append(Attachment(url=url, content_type=content_type, kind=_kind(content_type)))
    return tuple(found)


def _kind(content_type: str) -> str:
    if content_type.startswith("image/"):
        return "photo"
    if content_type.startswith("audio/"):
        return "voice"
    return "document"


def _command(opt_out_type: str, text: str, channel: str) -> str | None:
    provider = opt_out_type.strip().upper()
    if provider == "STOP":
        return "opt_out"
    if provider == "START":
        return "opt_in"
    if channel != "sms":
        return None
    said = _fold(text)
    if said in OPT_OUT_WORDS:
        return "opt_out"
    if said in OPT_IN_WORDS:
        return "opt_in"
    return None


def _fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "¡BAJA!" → "baja"."""
    if len(text) > 40:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())
