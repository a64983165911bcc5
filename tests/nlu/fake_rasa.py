"""A fake Rasa server for the client and fallback tests: `POST /model/parse` answers what a test sets."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


def rasa_answer(text: str, intent: str = "greet", confidence: float = 0.9, **extra: Any) -> dict[str, Any]:
    """A parse answer shaped like Rasa 3.6's."""
    answer: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": [],
        "intent_ranking": [
            {"name": intent, "confidence": confidence},
            {"name": "out_of_scope", "confidence": 1 - confidence},
        ],
    }
    answer.update(extra)
    return answer


@dataclass
class FakeRasa:
    """What the fake answers: a JSON body, a status, raw bytes, or a delay first."""

    status: int = 200
    body: dict[str, Any] | None = None
    raw: bytes | None = None
    delay: float = 0.0
    texts: list[str] = field(default_factory=list)

    async def parse(self, request: web.Request) -> web.StreamResponse:
        text = (await request.json())["text"]
        self.texts.append(text)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.raw is not None:
            return web.Response(body=self.raw, status=self.status, content_type="application/json")
        return web.json_response(self.body or rasa_answer(text), status=self.status)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/model/parse", self.parse)
        return app
