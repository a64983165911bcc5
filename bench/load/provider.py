"""The fake Twilio REST API (tests/support/fake_twilio.py) in a process of its own, plus a count of what came.

Prints one JSON line, {"url": …, "stats": …}, once both listen on loopback; runs until SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import signal

import paths
from aiohttp import web

from tests.support.fake_twilio import FakeTwilio


def stats_of(fake: FakeTwilio) -> dict[str, int]:
    return {
        "requests": len(fake.requests),
        "messages": len(fake.messages),  # created once per idempotency token, as Twilio does
        "tokens": len(fake.tokens),
        "tokens_sent_again": sum(1 for count in fake.tokens.values() if count > 1),
    }


async def serve() -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    async with FakeTwilio() as fake:

        async def stats(_: web.Request) -> web.Response:
            return web.json_response(stats_of(fake))

        app = web.Application()
        app.router.add_get("/stats", stats)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, paths.HOST, 0).start()
        port = runner.addresses[0][1]
        print(json.dumps({"url": fake.url, "stats": f"http://{paths.HOST}:{port}/stats"}), flush=True)
        try:
            await stopping.wait()
        finally:
            await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve())
