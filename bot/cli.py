"""The `ventanilla` command: serve, chat, db, nlu."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from bot.app import create_app

    host = args.host or settings.server.host
    port = args.port or settings.server.port
    _require_migrated(settings)  # migrations run once, by `db upgrade`, never by each worker
    if args.workers > 1:
        from bot.workers import Supervisor
        from nlu.factory import build_classifier

        build_classifier(settings)  # train (or check) the cached model once, before the workers load it
        return Supervisor(settings, host, port, args.workers).run()
    web.run_app(
        create_app(settings),
        host=host,
        port=port,
        access_log=None,
        print=lambda _: print(f"Ventanilla on http://{'localhost' if host == '0.0.0.0' else host}:{port}/"),
    )
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot import console

    _require_migrated(settings)
    return console.run(settings, args.address)


def _housekeeping(args: argparse.Namespace, settings: Settings) -> int:
    from bot.housekeeping import sweep_once

    _require_migrated(settings)
    swept = asyncio.run(sweep_once(settings))
    print(f"removed {swept.photos} unused photos and {swept.chats} one-message web chats")
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.migrate import upgrade

    upgrade(settings.database.url, args.revision)
    print(f"database at {args.revision}")
    return 0


def _db_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.migrate import downgrade

    downgrade(settings.database.url, args.revision)
    print(f"database at {args.revision}")
    return 0


def _require_migrated(settings: Settings) -> None:
    from storage.migrate import current_revision_sync, head_revision

    if current_revision_sync(settings.database.url) != head_revision():
        raise SettingsError("the database is not migrated: run `ventanilla db upgrade`")


def build_parser() -> argparse.ArgumentParser:
    from connectors.open311.commands import add_open311_commands
    from connectors.telegram.commands import add_telegram_commands
    from inbox.commands import add_staff_commands
    from nlu.commands import add_nlu_commands

    parser = argparse.ArgumentParser(prog="ventanilla", description="Citizen contact service for cities.")
    parser.add_argument(
        "--config", type=Path, help="settings file (default: config.yml, or $VENTANILLA_CONFIG)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the whole service on one port")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1, help="processes sharing the port (default 1)")
    serve.set_defaults(func=_serve)

    chat = commands.add_parser("chat", help="talk to the bot in the terminal")
    chat.add_argument("--as", dest="address", help="the console sender id (default: console-$USER)")
    chat.set_defaults(func=_chat)

    db = commands.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True
    )
    up = db.add_parser("upgrade", help="apply migrations")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=_db_upgrade)
    down = db.add_parser("downgrade", help="revert migrations")
    down.add_argument("revision")
    down.set_defaults(func=_db_downgrade)

    sweep = commands.add_parser(
        "housekeeping",
        help="remove photos nobody sent and one-message web chats now (the service does it every 10 minutes)",
    )
    sweep.set_defaults(func=_housekeeping)

    add_nlu_commands(commands)
    add_telegram_commands(commands)
    add_open311_commands(commands)
    add_staff_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet = args.command in {"chat", "nlu"}  # their output is the conversation or JSON: keep logs out
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(args.config)
        return int(args.func(args, settings))
    except SettingsError as exc:
        print(f"ventanilla: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
