"""Run as a program by test_voice_switch.py: the `voice` extra made unimportable before anything of the
service is imported, then the app built and a Telegram voice note sent. Prints the bot's replies as JSON."""

from __future__ import annotations

import sys

sys.modules["faster_whisper"] = None  # type: ignore[assignment]  # as if the extra were not installed

import asyncio  # noqa: E402
import json  # noqa: E402

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.settings_loading import load_settings  # noqa: E402
from storage.engine import create_engine, session_factory  # noqa: E402
from storage.models import Direction, Message  # noqa: E402
from tests.connectors.telegram.test_parser import load  # noqa: E402
from tests.support.channels import telegram_on  # noqa: E402
from tests.support.fake_telegram import FakeTelegram  # noqa: E402
from tests.support.scripted import dialogue_rules  # noqa: E402

SECRET = "s3cr3t-webhook_token"


async def main(database_url: str, folder: str) -> None:
    overrides = {"database.url": database_url, "media.dir": f"{folder}/media", "nlu.model_dir": folder}
    settings = load_settings(None, {}, **overrides, **{"voice.enabled": "true"})
    async with FakeTelegram() as fake:
        fake.add_file("AwACAgEAAxkBAAIBVoice4sec", b"OggS" + bytes(300), "voice/file_9.oga")
        app = create_app(telegram_on(settings, fake, secret=SECRET), classifier=dialogue_rules())
        async with TestClient(TestServer(app)) as client:
            response = await client.post(
                "/webhooks/telegram",
                data=json.dumps(load("vt_voice.json")),
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            assert response.status == 200, await response.text()
    engine = create_engine(database_url)
    async with session_factory(engine)() as session:
        replies = await session.scalars(select(Message.text).where(Message.direction == Direction.OUT))
        print(json.dumps({"replies": list(replies), "faster_whisper": "faster_whisper" in sys.modules}))
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
