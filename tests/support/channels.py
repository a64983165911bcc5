"""Settings with a channel switched on and pointed at its local fake provider."""

from __future__ import annotations

from bot.settings import Settings
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio


def with_secrets(settings: Settings, **secrets: str) -> Settings:
    return settings.model_copy(update={"secrets": settings.secrets.model_copy(update=secrets)})


def twilio_on(
    settings: Settings, fake: FakeTwilio, *, public_url: str, sms_from: str, whatsapp_from: str | None = None
) -> Settings:
    """Twilio on, behind a proxy at `public_url` (what Twilio signs), its REST API at the fake."""
    on = with_secrets(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_base_url=fake.url,
        twilio_sms_from=sms_from,
        **({"twilio_whatsapp_from": whatsapp_from} if whatsapp_from else {}),
    )
    return on.model_copy(update={"server": on.server.model_copy(update={"public_url": public_url})})


def telegram_on(settings: Settings, fake: FakeTelegram, *, secret: str) -> Settings:
    return with_secrets(
        settings,
        telegram_bot_token=fake.token,
        telegram_webhook_secret=secret,
        telegram_api_base_url=fake.base_url,
    )
