"""An address as the citizen may be shown it: the channel's name and the last few characters only
("WhatsApp ••4567"), so a screen or a message read over a shoulder gives nothing away."""

from __future__ import annotations

from bot.texts import channel_name

SHOWN = 4  # characters of an address shown at most
WEB_CHAT = "rest"  # its ids are random and say nothing: only the channel is named


def tail(address: str) -> str:
    """The last characters of an address: four of a phone number, fewer of a short id (never more than
    half of it), nothing of one too short to hide anything."""
    kept = "".join(c for c in address if c.isalnum())
    shown = min(SHOWN, len(kept) // 2)
    return f"••{kept[-shown:]}" if shown > 0 else "••"


def masked(channel: str, address: str, language: str) -> str:
    name = channel_name(channel, language)
    return name if channel == WEB_CHAT else f"{name} {tail(address)}"
