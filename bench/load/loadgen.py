"""The load generator, a process of its own: C simulated citizens talk to one target; JSON results out.

Each citizen sends its next message as soon as the previous one is answered (closed loop). Each pass
through a script is a new citizen (a new web chat sender, a new phone number) on a new connection, as
real citizens are: one sender looping for minutes would measure the per-citizen rate limit, and one
connection kept for the whole run would pin a citizen to one worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import aiohttp
import paths  # noqa: F401  (bench/ on sys.path, for citizens.py)
from citizens import percentile, web_chat_headers
from conversations import (
    REST_PATH,
    SMS,
    TWILIO_PATH,
    WEB_CHAT,
    new_phone,
    sms_form,
    twilio_signature,
    web_chat_body,
)

CHANNELS = ("rest", "twilio")


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    first_error: str | None = None
    answered: int = 0  # every "ok", measured or not: what the server's CPU time is divided by

    def record(self, outcome: str, latency_ms: float, detail: str) -> None:
        self.latencies_ms.append(latency_ms)
        self.outcomes[outcome] += 1
        if outcome != "ok" and self.first_error is None:
            self.first_error = f"{outcome}: {detail}"[:300]


@dataclass(frozen=True)
class Result:
    target: str
    channel: str
    concurrency: int
    messages: int
    seconds: float
    msgs_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    outcomes: dict[str, int]
    first_error: str | None
    answered: int  # 2xx answers over the whole run, warm-up and the last replies in flight included


def from_json(data: dict[str, Any]) -> Result:
    return Result(**data)


@dataclass(frozen=True)
class Target:
    url: str  # where the requests go (loopback)
    channel: str
    public_url: str  # what a Twilio signature is computed over
    auth_token: str


async def send(session: aiohttp.ClientSession, target: Target, sender: str, turn: int, script: int) -> str:
    """One message; "ok", or the reason it is not."""
    if target.channel == "rest":
        body = web_chat_body(sender, WEB_CHAT[script][turn])
        headers = web_chat_headers(sender)  # its own address (as via a proxy) and its chat's secret
        async with session.post(target.url + REST_PATH, json=body, headers=headers) as response:
            raw = await response.read()
            if response.status != 200:
                return f"http_{response.status} {raw[:120]!r}"
            return "ok" if isinstance(json.loads(raw), list) else f"not_a_list {raw[:120]!r}"
    form = sms_form(sender, SMS[script][turn])
    signature = twilio_signature(target.auth_token, target.public_url.rstrip("/") + TWILIO_PATH, form)
    headers = {"X-Twilio-Signature": signature}
    async with session.post(target.url + TWILIO_PATH, data=form, headers=headers) as response:
        raw = await response.read()
        return "ok" if response.status == 200 else f"http_{response.status} {raw[:120]!r}"


def script_length(channel: str, script: int) -> int:
    return len(WEB_CHAT[script] if channel == "rest" else SMS[script])


async def citizen(
    number: int,
    target: Target,
    limits: aiohttp.ClientTimeout,
    measured_from: float,
    until: float,
    tally: Tally,
) -> None:
    scripts = len(WEB_CHAT) if target.channel == "rest" else len(SMS)
    script = number % scripts
    while time.monotonic() < until:
        sender = f"load-{secrets.token_hex(6)}-{number}" if target.channel == "rest" else new_phone()
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(connector=connector, timeout=limits) as session:
            for turn in range(script_length(target.channel, script)):
                if time.monotonic() >= until:
                    return
                started = time.perf_counter()
                try:
                    outcome = await send(session, target, sender, turn, script)
                except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                    outcome = f"{type(exc).__name__} {exc}"
                tally.answered += outcome == "ok"
                if time.monotonic() >= measured_from:
                    kind, _, detail = outcome.partition(" ")
                    tally.record(kind, (time.perf_counter() - started) * 1000, detail)
                if outcome != "ok":
                    await asyncio.sleep(0.05)  # a failing server must not become a busy loop
                    break  # a conversation that went wrong starts over as a new citizen
        script = (script + 1) % scripts


async def drive(name: str, target: Target, concurrency: int, warmup: float, duration: float,
                request_timeout: float) -> Result:  # fmt: skip
    tally = Tally()
    limits = aiohttp.ClientTimeout(total=request_timeout)
    start = time.monotonic()
    measured_from, until = start + warmup, start + warmup + duration
    tasks = [
        asyncio.create_task(citizen(i, target, limits, measured_from, until, tally))
        for i in range(concurrency)
    ]
    await asyncio.sleep(max(0.0, measured_from - time.monotonic()))
    began = time.monotonic()
    try:
        # A message in flight at the deadline may take up to request_timeout to come back; it counts.
        done, _ = await asyncio.wait(tasks, timeout=duration + request_timeout + 5)
        seconds = time.monotonic() - began
        for task in done:
            task.result()  # a citizen that crashed is a bug in this bench: say so
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    count = len(tally.latencies_ms)
    return Result(
        target=name,
        channel=target.channel,
        concurrency=concurrency,
        messages=count,
        seconds=round(seconds, 2),
        msgs_per_s=round(count / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=round(percentile(tally.latencies_ms, 50), 1),
        p90_ms=round(percentile(tally.latencies_ms, 90), 1),
        p99_ms=round(percentile(tally.latencies_ms, 99), 1),
        max_ms=round(max(tally.latencies_ms, default=0.0), 1),
        errors=sum(n for kind, n in tally.outcomes.items() if kind != "ok"),
        outcomes=dict(tally.outcomes),
        first_error=tally.first_error,
        answered=tally.answered,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", required=True, help="the target's name in the results")
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--channel", choices=CHANNELS, required=True)
    parser.add_argument("--public-url", default="", help="what Twilio signatures are computed over")
    parser.add_argument("--auth-token", default="", help="the Twilio auth token the server checks")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--request-timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    if not args.url.startswith("http://127.0.0.1:"):
        parser.error("the load goes to loopback only")
    target = Target(args.url.rstrip("/"), args.channel, args.public_url or args.url, args.auth_token)
    result = asyncio.run(
        drive(args.name, target, args.concurrency, args.warmup, args.duration, args.request_timeout)
    )
    json.dump(asdict(result), sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
