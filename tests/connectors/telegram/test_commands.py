"""`ventanilla telegram set-webhook` and `ventanilla telegram poll` against the fake Bot API."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from connectors.telegram.commands import add_telegram_commands, poll
from storage.models import Direction, Message
from tests.connectors.telegram.conftest import SECRET
from tests.connectors.telegram.test_parser import load
from tests.support.fake_telegram import FakeTelegram
from tests.support.scripted import ScriptedClassifier


def parse_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ventanilla")
    add_telegram_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def with_secrets(settings: Settings, **secrets: Any) -> Settings:
    return settings.model_copy(update={"secrets": settings.secrets.model_copy(update=secrets)})


async def run(argv: list[str], settings: Settings) -> int:
    """Commands call asyncio.run themselves: run them in a thread while the fake serves on this loop."""
    args = parse_args(*argv)
    return int(await asyncio.to_thread(args.func, args, settings))


async def test_set_webhook_registers_the_public_url_and_the_secret(
    telegram_settings: Settings, fake_telegram: FakeTelegram, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = telegram_settings.model_copy(
        update={
            "server": telegram_settings.server.model_copy(update={"public_url": "https://city.example.org/"})
        }
    )
    assert await run(["telegram", "set-webhook"], settings) == 0
    assert fake_telegram.webhook == {
        "url": "https://city.example.org/webhooks/telegram",
        "secret_token": SECRET,
        "allowed_updates": ["message", "edited_message", "channel_post", "callback_query"],
        "drop_pending_updates": False,
    }
    out = capsys.readouterr()
    assert "https://city.example.org/webhooks/telegram" in out.out and SECRET not in out.out + out.err


async def test_set_webhook_warns_about_plain_http_and_reports_telegrams_refusal(
    telegram_settings: Settings, fake_telegram: FakeTelegram, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_telegram.fail_next(1, status=400, method="setWebhook")
    assert await run(["telegram", "set-webhook", "--drop-pending-updates"], telegram_settings) == 1
    err = capsys.readouterr().err
    assert "only delivers to HTTPS" in err and "Telegram refused the webhook" in err
    assert fake_telegram.sent("setWebhook")[0]["drop_pending_updates"] is True


@pytest.mark.parametrize(
    ("secrets", "message"),
    [
        ({"telegram_bot_token": None}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"telegram_webhook_secret": None}, "TELEGRAM_WEBHOOK_SECRET is not set"),
        ({"telegram_webhook_secret": "has spaces!"}, "TELEGRAM_WEBHOOK_SECRET must be"),
    ],
)
async def test_set_webhook_names_the_missing_setting(
    telegram_settings: Settings,
    fake_telegram: FakeTelegram,
    capsys: pytest.CaptureFixture[str],
    secrets: dict[str, Any],
    message: str,
) -> None:
    assert await run(["telegram", "set-webhook"], with_secrets(telegram_settings, **secrets)) == 2
    assert message in capsys.readouterr().err
    assert fake_telegram.calls == []


async def test_poll_removes_the_webhook_and_feeds_updates_to_the_pipeline_once(
    telegram_settings: Settings,
    fake_telegram: FakeTelegram,
    scripted: ScriptedClassifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    fake_telegram.webhook = {"url": "https://old.example.org/webhooks/telegram"}
    for name in ("vt_start.json", "vt_edited_message.json", "vt_group_message.json"):
        fake_telegram.push_update(load(name))
    fake_telegram.fail_next(1, status=502, method="getUpdates")  # a hiccup: polling carries on
    stop = asyncio.Event()
    task = asyncio.create_task(poll(telegram_settings, classifier=scripted, stop=stop, poll_seconds=0))
    for _ in range(200):
        if fake_telegram.updates == [] or task.done():
            break
        await asyncio.sleep(0.05)
    stop.set()
    assert await asyncio.wait_for(task, timeout=10) == 0
    assert fake_telegram.webhook is None and fake_telegram.calls[1].method == "deleteWebhook"
    async with sessions() as session:
        inbound = list(await session.scalars(select(Message).where(Message.direction == Direction.IN)))
    assert sorted(m.provider_message_id or "" for m in inbound) == ["u700000106", "u700000112"]
    assert any(m["chat_id"] == "-1001234567890" for m in fake_telegram.sent())  # the group was refused


async def test_poll_stops_when_another_process_holds_the_updates(
    telegram_settings: Settings, fake_telegram: FakeTelegram, scripted: ScriptedClassifier
) -> None:
    fake_telegram.fail_next(1, status=409, method="getUpdates")
    assert await poll(telegram_settings, classifier=scripted, poll_seconds=0) == 1


def test_poll_needs_a_token(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse_args("telegram", "poll", "--no-http")
    assert args.func(args, with_secrets(settings, telegram_bot_token=None)) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
