"""The e-mail channel's settings (`email:`, issue 18): the city's public address, its mailbox (IMAP) and
its outgoing server (SMTP). Passwords come from the environment; without them the channel is off."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.settings_base import Strict

Security = Literal["ssl", "starttls", "none"]


class Imap(Strict):
    """Where citizens' mail is read: the city's existing mailbox."""

    host: str = ""
    port: int = Field(993, ge=1, le=65535)
    # ssl: TLS from the first byte (993); starttls: upgraded on 143; none: only on a trusted network.
    security: Security = "ssl"
    user: str = ""  # usually the address itself; the password is VENTANILLA_IMAP_PASSWORD
    folder: str = "INBOX"
    poll_seconds: float = Field(30.0, ge=1, le=3600)
    timeout_seconds: float = Field(20.0, gt=0, le=300)
    batch: int = Field(25, ge=1, le=500)  # mails taken per poll; the rest wait for the next


class Smtp(Strict):
    """Where replies leave from, as the city's address."""

    host: str = ""
    port: int = Field(465, ge=1, le=65535)
    security: Security = "ssl"
    user: str = ""  # the password is VENTANILLA_SMTP_PASSWORD
    timeout_seconds: float = Field(20.0, gt=0, le=300)


class Email(Strict):
    """`email:`: the city's mailbox as a channel (docs/operations.md#connecting-the-citys-mailbox)."""

    address: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$")  # None: the channel is off
    display_name: str = ""  # shown beside the address in the citizen's mail; empty: the city's name
    imap: Imap = Imap()
    smtp: Smtp = Smtp()
    # A bigger mail is read for its headers only (the citizen is answered, the attachments are not kept).
    max_message_bytes: int = Field(15 * 1024 * 1024, ge=10_000)
    # Replies to one address in an hour, whatever the bot thinks: the last guard against a mail loop.
    max_replies_per_hour: int = Field(12, ge=1, le=1000)
