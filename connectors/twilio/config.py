"""The Twilio connector's settings, gathered from the shared typed settings (`secrets` and `twilio`)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.settings import Settings
from bot.settings_base import SettingsError

DEFAULT_API_BASE_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT = 10.0
DEFAULT_MEDIA_SECONDS = 8.0


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
    def from_settings(cls, settings: Settings) -> TwilioConfig:
        """The credentials from `settings.secrets`; the template, the timeout and the media budget from
        `settings.twilio` (config.yml, or TWILIO_WHATSAPP_TEMPLATE_SID, TWILIO_TIMEOUT_SECONDS and
        TWILIO_MEDIA_SECONDS: validated at start-up)."""
        secrets = settings.secrets
        if not (secrets.twilio_account_sid and secrets.twilio_auth_token):
            raise SettingsError("Twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
        return cls(
            account_sid=secrets.twilio_account_sid,
            auth_token=secrets.twilio_auth_token,
            public_url=settings.server.public_url,
            phone_region=settings.city.phone_region,
            api_base_url=secrets.twilio_api_base_url or DEFAULT_API_BASE_URL,
            sms_from=secrets.twilio_sms_from or None,
            whatsapp_from=secrets.twilio_whatsapp_from or None,
            whatsapp_template_sid=settings.twilio.whatsapp_template_sid,
            timeout=settings.twilio.timeout_seconds,
            media_seconds=settings.twilio.media_seconds,
        )
