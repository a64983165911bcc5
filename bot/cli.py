"""The `ventanilla` command: serve, chat, db, nlu."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from bot.settings import Settings
from bot.settings_base import SettingsError
from bot.settings_loading import load_settings

LOOPBACK_OR_ANY = ("127.0.0.1", "0.0.0.0")  # shown as localhost, the address the README gives


class CannotListen(Exception):
    """`serve` cannot have its address and port; the message says which, and how to choose another."""


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from bot.app import create_app

    host = args.host or settings.server.host
    port = args.port or settings.server.port
    settings = _public_url_on(settings, port)
    _require_migrated(settings)  # migrations run once, by `db upgrade`, never by each worker
    _check_can_listen(host, port)
    if args.workers > 1:
        from bot.knowledge import KnowledgeBase
        from bot.workers import Supervisor
        from nlu.factory import build_classifier

        build_classifier(settings)  # train (or check) the cached model once, before the workers load it
        KnowledgeBase.load(settings)  # and the knowledge base's index: each worker then loads it from disk
        return Supervisor(settings, host, port, args.workers).run()
    shown = "localhost" if host in LOOPBACK_OR_ANY else host
    try:
        web.run_app(
            create_app(settings),
            host=host,
            port=port,
            access_log=None,
            print=lambda _: print(f"Ventanilla on http://{shown}:{port}/"),
        )
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise CannotListen(_why_not(exc, host, port)) from exc  # taken since the check: rare, same words
    return 0


def _public_url_on(settings: Settings, port: int) -> Settings:
    """On one machine (a public URL on localhost), links the bot writes (the privacy policy, a data export)
    follow the port it was told to use: `make run PORT=8099` must not link to :8080."""
    url = urlsplit(settings.server.public_url)
    if url.hostname not in {"localhost", "127.0.0.1"} or url.port in (None, port):
        return settings
    moved = url._replace(netloc=f"{url.hostname}:{port}").geturl()
    return settings.model_copy(update={"server": settings.server.model_copy(update={"public_url": moved})})


def _check_can_listen(host: str, port: int) -> None:
    """Say in one line, before the start-up work (database, classifier), that the port cannot be had;
    aiohttp would say it after that work, in a 30-line traceback."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
        with socket.create_server((host, port), family=family):
            pass  # closed at once: a listening socket that never accepted leaves nothing behind
    except OSError as exc:
        raise CannotListen(_why_not(exc, host, port)) from exc


def _why_not(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        other = port + 1 if port < 65535 else port - 1
        return (
            f"port {port} on {host} is already in use (another program, or ventanilla serve running); "
            f"choose another with --port {other} (make run PORT={other}) or VENTANILLA_PORT={other}"
        )
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


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
    from bot.followup_commands import add_followup_commands
    from bot.knowledge_reminder_commands import add_reminder_commands
    from bot.participation_commands import add_participation_commands
    from bot.retention_commands import add_retention_commands
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
    add_followup_commands(commands)
    add_retention_commands(commands)
    add_participation_commands(commands)
    add_reminder_commands(commands)
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
    except (SettingsError, CannotListen) as exc:
        print(f"ventanilla: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
