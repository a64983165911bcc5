"""`ventanilla chat`: talk to the bot in the terminal through the same pipeline as every channel."""

from __future__ import annotations

import asyncio
import getpass
import sys
import uuid
from typing import TextIO

from bot.knowledge import KnowledgeBase
from bot.messages import InboundMessage, OutboundMessage
from bot.pipeline import Pipeline
from bot.settings import Settings
from nlu.factory import build_classifier
from storage.engine import create_engine, session_factory

CHANNEL = "console"


def render(reply: OutboundMessage) -> str:
    """A reply as the terminal shows it: buttons become numbered options, as on SMS."""
    lines = [f"🤖 {reply.text}"]
    lines.extend(f"   {n}. {button.title}" for n, button in enumerate(reply.buttons, start=1))
    return "\n".join(lines)


async def chat(settings: Settings, address: str | None, stdin: TextIO, stdout: TextIO) -> int:
    engine = create_engine(settings.database.url)
    try:
        classifier = await asyncio.to_thread(build_classifier, settings)
        knowledge = await asyncio.to_thread(KnowledgeBase.load, settings)
        pipeline = Pipeline(settings, session_factory(engine), classifier, knowledge=knowledge)
        address = address or f"console-{getpass.getuser()}"
        interactive = stdin.isatty()
        if interactive:
            print("Ventanilla — escribe tu mensaje (Ctrl-D para salir) · type your message", file=stdout)
        while True:
            if interactive:
                print("> ", end="", file=stdout, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                return 0
            if not line.strip():
                continue
            inbound = InboundMessage(
                channel=CHANNEL, address=address, provider_message_id=uuid.uuid4().hex, text=line.rstrip("\n")
            )
            outcome = await pipeline.handle(inbound)
            for reply in outcome.replies:
                print(render(reply), file=stdout, flush=True)
    finally:
        await engine.dispose()


def run(settings: Settings, address: str | None) -> int:
    return asyncio.run(chat(settings, address, sys.stdin, sys.stdout))
