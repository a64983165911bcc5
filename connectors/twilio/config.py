"""The Twilio connector's settings: the shared typed settings plus the few variables only it reads."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.settings import Settings, SettingsError

DEFAULT_API_BASE_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT = 10.0
# Seconds for copying a message's media from Twilio into our store, all files together, while Twilio
# waits for the webhook's answer (15 s at most): the rest of the turn must fit in what is left.
DEFAULT_MEDIA_SECONDS = 8.0
# Twilio Content SIDs look like HX followed by 32 hex digits.
CONTENT_SID = re.compile(r"HX[0-9a-fA-F]{32}")


def enabled(settings: Settings) -> bool:
    """The channel is on when both credentials are present."""
    return bool(settings.secrets.twilio_account_sid and settings.secrets.twilio_auth_token)


@dataclass(frozen=True)
class TwilioConfig:
    account_sid: str
    auth_token: str
    public_url: str  # what Twilio calls (and signs); status callbacks are registered under it
    phone_region: str
    api_base_url: str = DEFAULT_API_BASE_URL
    sms_from: str | None = None
    whatsapp_from: str | None = None
    # A WhatsApp Content template for replies outside the 24-hour window; its {{1}} gets the reply.
    whatsapp_template_sid: str | None = None
    timeout: float = DEFAULT_TIMEOUT  # seconds, for each request to the REST API
    media_seconds: float = DEFAULT_MEDIA_SECONDS

    @property
    def status_callback_url(self) -> str | None:
        """Where Twilio should report delivery; None when the public URL is this machine only."""
        host = urlsplit(self.public_url).hostname or ""
        if host in ("localhost", "::1") or host.startswith("127."):
            return None
        return f"{self.public_url.rstrip('/')}/webhooks/twilio/status"

    @classmethod
    def from_settings(cls, settings: Settings, environ: Mapping[str, str] | None = None) -> TwilioConfig:
        """Read `settings.secrets.twilio_*` and, from the environment (not config.yml, which `bot.settings`
        owns): `TWILIO_WHATSAPP_TEMPLATE_SID`, `TWILIO_TIMEOUT_SECONDS` and `TWILIO_MEDIA_SECONDS`."""
        environ = os.environ if environ is None else environ
        secrets = settings.secrets
        if not (secrets.twilio_account_sid and secrets.twilio_auth_token):
            raise SettingsError("Twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
        template = environ.get("TWILIO_WHATSAPP_TEMPLATE_SID", "").strip() or None
        if template is not None and not CONTENT_SID.fullmatch(template):
            raise SettingsError("TWILIO_WHATSAPP_TEMPLATE_SID must be a Content SID (HX + 32 hex digits)")
        return cls(
            account_sid=secrets.twilio_account_sid,
            auth_token=secrets.twilio_auth_token,
            public_url=settings.server.public_url,
            phone_region=settings.city.phone_region,
            api_base_url=secrets.twilio_api_base_url or DEFAULT_API_BASE_URL,
            sms_from=secrets.twilio_sms_from or None,
            whatsapp_from=secrets.twilio_whatsapp_from or None,
            whatsapp_template_sid=template,
            timeout=_seconds(environ, "TWILIO_TIMEOUT_SECONDS", DEFAULT_TIMEOUT, 120),
            media_seconds=_seconds(environ, "TWILIO_MEDIA_SECONDS", DEFAULT_MEDIA_SECONDS, 14),
        )


def _seconds(environ: Mapping[str, str], variable: str, default: float, most: float) -> float:
    raw = environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= most):
        raise SettingsError(f"{variable} must be a number of seconds between 0 and {most:g}")
    return seconds
