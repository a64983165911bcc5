"""The e-mail channel's settings in one frozen value, and whether the channel is on."""

from __future__ import annotations

from dataclasses import dataclass

from bot.email_settings import Imap, Smtp
from bot.settings import Settings


@dataclass(frozen=True)
class EmailConfig:
    address: str  # the city's public address, lowercased
    display_name: str
    imap: Imap
    smtp: Smtp
    imap_password: str
    smtp_password: str | None
    max_message_bytes: int
    max_replies_per_hour: int
    database_url: str  # the sender reads the thread's headers through its own small pool

    @classmethod
    def from_settings(cls, settings: Settings) -> EmailConfig:
        email = settings.email
        return cls(
            address=(email.address or "").lower(),
            display_name=email.display_name or settings.city.name.get(settings.city.default_language),
            imap=email.imap,
            smtp=email.smtp,
            imap_password=settings.secrets.imap_password or "",
            smtp_password=settings.secrets.smtp_password,
            max_message_bytes=email.max_message_bytes,
            max_replies_per_hour=email.max_replies_per_hour,
            database_url=settings.database.url,
        )


def enabled(settings: Settings) -> bool:
    """On with an address, both servers, the mailbox's password, and the SMTP one when it logs in."""
    email, secrets = settings.email, settings.secrets
    if not (email.address and email.imap.host and email.smtp.host and secrets.imap_password):
        return False
    return not email.smtp.user or bool(secrets.smtp_password)
