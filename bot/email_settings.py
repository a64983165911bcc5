"""The e-mail channel's settings (`email:`, issue 18): the city's public address, its mailbox (IMAP) and
its outgoing server (SMTP). Passwords come from the environment; without them the channel is off."""

from __future__ import annotations

from bot.settings_base import Strict


class Email(Strict):
    """`email:`: the city's mailbox as a channel (docs/operations.md#the-citys-mailbox)."""

    address: str | None = None  # the public address citizens write to; None: the channel is off
