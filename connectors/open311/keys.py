"""Open311 API keys: made at random, shown once, kept only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from connectors.errors import Forbidden
from storage import api_keys as key_rows
from storage.engine import AsyncSession
from storage.models import ApiKey

PREFIX = "v311_"  # lets a leaked key be recognised by secret scanners and people alike
# What a key may do. "file": file requests and read what the public reads (every key before scopes);
# "private": that, and read the citizen's words, the exact place and the address.
FILE = "file"
PRIVATE = "private"
SCOPES = (FILE, PRIVATE)


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


async def verify_key(session: AsyncSession, key: str | None) -> ApiKey:
    """The active key behind `key`; `Forbidden` (403) when it is missing, unknown or revoked."""
    if not key:
        raise Forbidden("missing_key", "open311_missing_key")
    found = await key_rows.api_key_by_hash(session, hash_key(key))
    if found is None:
        raise Forbidden("bad_key", "open311_bad_key")
    if found.revoked_at is not None:
        raise Forbidden("revoked_key", "open311_revoked_key")
    return found


async def reads_private(session: AsyncSession, key: str | None) -> bool:
    """Whether a GET shows the full case: only for a key with the private scope. No key (or an empty one)
    reads what the public reads; a wrong or revoked one is refused (403) rather than quietly answered as
    public, so a system whose key was revoked notices."""
    if not key:
        return False
    return (await verify_key(session, key)).scope == PRIVATE
