"""What the simulated citizens say, on the web chat and by SMS, and how a Twilio webhook is signed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

import paths  # noqa: F401  (bench/ on sys.path, for citizens.py)
from citizens import SCRIPTS, Turn

REST_PATH = "/webhooks/rest/webhook"
TWILIO_PATH = "/webhooks/twilio"
OUR_NUMBER = "+15017122661"  # the city's SMS number the citizens write to (TWILIO_SMS_FROM)
ACCOUNT_SID = "AC" + "0" * 31 + "1"  # the fake provider's (tests/support/fake_twilio.py)
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"

# Web chat: bench/citizens.py's conversations (greet, report with the address in the first message or
# chosen from buttons, skip the photo, confirm, ask how it goes, thank), so both benches drive the same.
WEB_CHAT: tuple[tuple[Turn, ...], ...] = SCRIPTS

# SMS: the same conversations typed on a phone — choices answered by number, the place as an address.
SMS: tuple[tuple[str, ...], ...] = (
    (
        "hola",
        "Hay un bache enorme en la Calle 10 con Carrera 5, frente a la panadería",
        "saltar",
        "si",
        "como va mi caso?",
        "gracias",
    ),
    (
        "buenas tardes",
        "quiero reportar un problema",
        "2",
        "el poste de luz lleva una semana apagado y la cuadra queda oscura",
        "Calle 45 # 12-30, barrio Santa Fe",
        "omitir",
        "si",
        "como va mi reporte?",
        "muchas gracias",
    ),
    (
        "hola, la basura no la recogieron en la Carrera 7 # 45-12",
        "omitir",
        "si",
        "cual es el estado de mi caso",
        "ok gracias, chao",
    ),
)


def web_chat_body(sender: str, turn: Turn) -> dict[str, Any]:
    text, extra = turn
    return {"sender": sender, "message": text, "metadata": {"message_id": str(uuid.uuid4()), **extra}}


def new_phone() -> str:
    """A Colombian mobile number nobody else in the run has: +57 3xx xxx xxxx."""
    return f"+573{secrets.randbelow(10**9):09d}"


def sms_form(phone: str, text: str) -> dict[str, str]:
    """The form Twilio posts for one inbound SMS, with a fresh MessageSid."""
    sid = "SM" + secrets.token_hex(16)
    return {
        "MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "AccountSid": ACCOUNT_SID,
        "From": phone, "To": OUR_NUMBER, "Body": text, "NumMedia": "0", "NumSegments": "1",
        "SmsStatus": "received", "ApiVersion": "2010-04-01",
    }  # fmt: skip


def twilio_signature(auth_token: str, url: str, form: Mapping[str, str]) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by each field name and value, sorted."""
    payload = url + "".join(f"{key}{form[key]}" for key in sorted(form))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()
