"""Telegram (python-telegram-bot 22): the webhook at /webhooks/telegram, its parser, sender and commands."""

from bot.settings import Settings
from connectors.telegram.routes import add_routes
from connectors.telegram.sender import TelegramSender


def enabled(settings: Settings) -> bool:
    """On when a bot token is configured (TELEGRAM_BOT_TOKEN)."""
    return bool(settings.secrets.telegram_bot_token)


def make_sender(settings: Settings) -> TelegramSender:
    return TelegramSender.from_settings(settings)


__all__ = ["TelegramSender", "add_routes", "enabled", "make_sender"]
