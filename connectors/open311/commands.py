"""The `ventanilla open311 add-key|list-keys|revoke-key` commands: API keys for the city's other systems."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.settings import Settings
from bot.settings_base import SettingsError
from connectors.open311.keys import FILE, SCOPES, hash_key, new_key
from storage import api_keys as key_rows
from storage.engine import AsyncSession, create_engine, session_factory

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@-]{0,119}")
T = TypeVar("T")


def add_open311_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `open311` and its sub-commands on the application's top-level sub-parsers."""
    open311 = subparsers.add_parser("open311", help="API keys for the city's other systems (Open311)")
    commands = open311.add_subparsers(
        dest="open311_command", required=True, metavar="{add-key,list-keys,revoke-key}"
    )
    add = commands.add_parser("add-key", help="make a key for one system; it is printed once, last")
    add.add_argument("name", help="the system the key is for, e.g. fixmystreet")
    add.add_argument(
        "--scope",
        choices=SCOPES,
        default=FILE,
        help="file (default): file requests, read what the public reads; private: also read the "
        "citizen's words, exact place and address (only for the city's own systems)",
    )
    add.set_defaults(func=add_key_command)
    listed = commands.add_parser("list-keys", help="list keys by name (the keys themselves are not kept)")
    listed.set_defaults(func=list_keys_command)
    revoke = commands.add_parser("revoke-key", help="revoke every active key with this name")
    revoke.add_argument("name")
    revoke.set_defaults(func=revoke_key_command)


def _in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    from storage.migrate import current_revision_sync, head_revision

    if current_revision_sync(settings.database.url) != head_revision():
        raise SettingsError("the database is not migrated: run `ventanilla db upgrade`")

    async def run() -> T:
        engine = create_engine(settings.database.url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _fail(message: str) -> int:
    print(f"ventanilla open311: {message}", file=sys.stderr)
    return 1


def add_key_command(args: argparse.Namespace, settings: Settings) -> int:
    name = args.name.strip()
    if not NAME.fullmatch(name):
        return _fail(
            "the name must be 1-120 letters, digits, spaces or . _ @ -, starting with a letter or digit"
        )
    key = new_key()

    async def add(session: AsyncSession) -> bool:
        if await key_rows.active_key_named(session, name) is not None:
            return False
        await key_rows.add_api_key(session, name, hash_key(key), args.scope)
        return True

    if not _in_session(settings, add):
        return _fail(f"{name!r} already has an active key: revoke it first, or choose another name")
    # Only the hash is kept: this is the one time anyone sees the key. It goes last, alone.
    print(
        f"New Open311 API key for {name!r} (scope {args.scope}), shown only now. "
        "Give it to that system; keep it secret:"
    )
    print(key)
    return 0


def list_keys_command(args: argparse.Namespace, settings: Settings) -> int:
    async def rows(session: AsyncSession) -> list[tuple[str, str, str, str]]:
        return [
            (
                key.name,
                key.scope,
                key.created_at.strftime("%Y-%m-%d %H:%M"),
                f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active",
            )
            for key in await key_rows.api_keys(session)
        ]

    found = _in_session(settings, rows)
    if not found:
        print("no Open311 API keys yet: `ventanilla open311 add-key NAME` makes one")
        return 0
    width = max(len(name) for name, _, _, _ in found)
    for name, scope, created, state in found:
        print(f"{name:<{width}}  {scope:<7}  created {created} UTC  {state}")
    return 0


def revoke_key_command(args: argparse.Namespace, settings: Settings) -> int:
    name = args.name.strip()

    async def revoke(session: AsyncSession) -> int:
        return await key_rows.revoke_api_keys(session, name)

    count = _in_session(settings, revoke)
    if count == 0:
        return _fail(f"no active key named {name!r}")
    print(f"revoked {count} key{'s' if count > 1 else ''} named {name!r}: its requests now get 403")
    return 0
