"""The suppression list: numbers and chat ids whose citizen erased their data get nothing the city sends
on its own initiative (case news, follow-ups, surveys, alerts).

Only a one-way hash is kept: PBKDF2-SHA256 of the number's digits (the same for SMS and WhatsApp) or of
the channel and chat id, with a fixed salt and enough rounds that trying every phone number of a country
is slow (the space is small, so no hash of a phone number is unbreakable: docs/privacy.md says so).
A number that writes to the city again comes back as a new citizen by their own choice, created after
its entry: it sees the privacy notice again and hears about what it files from then on; any record of
that number from before the erasure hears nothing. Hashing takes ~0.1 s of CPU, so it runs in a thread
and only when the city sends on its own initiative, never on an inbound message."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from storage import erasure as rows
from storage.engine import AsyncSession

SALT = b"ventanilla/suppression/v1"
ROUNDS = 40_000
PHONE_CHANNELS = frozenset({"sms", "whatsapp"})


def key_of(channel: str, address: str) -> str:
    """What is hashed: a phone number's digits (whatever the channel), else channel and id."""
    digits = "".join(c for c in address if c.isdigit())
    if channel in PHONE_CHANNELS or channel == "phone":
        return f"tel:{digits}"
    return f"{channel}:{address.strip()}"


@lru_cache(maxsize=4096)
def _hash(key: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", key.encode(), SALT, ROUNDS).hex()


async def hash_of(channel: str, address: str) -> str:
    return await asyncio.to_thread(_hash, key_of(channel, address))


async def suppress(session: AsyncSession, addresses: Iterable[tuple[str, str]], phone: str | None) -> None:
    """Put each phone number and chat id on the list (web chat ids are random per browser: not kept)."""
    keys = {
        await hash_of(channel, address) for channel, address in addresses if channel != "rest" and address
    }
    if phone:
        keys.add(await hash_of("phone", phone))
    if keys:
        await rows.suppress(session, keys)


async def blocks(session: AsyncSession, channel: str, address: str, citizen_since: datetime) -> bool:
    """Whether a message the city sends on its own initiative to this address is stopped: it is on the
    list, and the citizen it would reach was created before it was put there."""
    if channel == "rest":
        return False
    since = await rows.suppressed_since(session, await hash_of(channel, address))
    return since is not None and citizen_since <= since
