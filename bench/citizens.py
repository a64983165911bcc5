"""Simulated citizens: each talks to the web chat webhook through a scripted conversation, in a loop."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import math
import secrets
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

WEBHOOK = "/webhooks/rest/webhook"

# One turn: what the citizen types, and what the page adds to metadata (a pin, for instance).
Turn = tuple[str, dict[str, Any]]

# Conversations a citizen really has on the web chat: greet, report (with the address in the first
# message, or chosen from buttons), skip the photo, confirm, ask how it goes, thank.
SCRIPTS: tuple[tuple[Turn, ...], ...] = (
    (
        ("hola", {}),
        ("Hay un bache enorme en la Calle 10 con Carrera 5, frente a la panadería", {}),
        ("saltar", {}),
        ("sí", {}),
        ("¿cómo va mi caso?", {}),
        ("gracias", {}),
    ),
    (
        ("buenas tardes", {}),
        ("quiero reportar un problema", {}),
        ("/report_streetlight", {}),
        ("el poste de luz lleva una semana apagado y la cuadra queda oscura", {}),
        ("", {"location": {"latitude": 4.6097, "longitude": -74.0817}}),
        ("saltar", {}),
        ("sí", {}),
        ("¿cómo va mi reporte?", {}),
        ("muchas gracias", {}),
    ),
    (
        ("hola, la basura no la recogieron en la Carrera 7 # 45-12", {}),
        ("skip", {}),
        ("si", {}),
        ("cuál es el estado de mi caso", {}),
        ("ok gracias, chao", {}),
    ),
)


@dataclass
class Tally:
    """What the measured phase saw: one latency per message, and every failure by kind."""

    latencies_ms: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    first_error: str | None = None

    def record(self, outcome: str, latency_ms: float, detail: str | None = None) -> None:
        self.latencies_ms.append(latency_ms)
        self.outcomes[outcome] += 1
        if outcome != "ok" and self.first_error is None:
            self.first_error = detail or outcome

    @property
    def errors(self) -> int:
        return sum(n for outcome, n in self.outcomes.items() if outcome != "ok")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Phase:
    """When a phase ends and, once it is the measured one, where its results go."""

    deadline: float
    tally: Tally | None = None
    limit: int | None = None  # stop after this many measured messages

    def over(self) -> bool:
        if time.monotonic() >= self.deadline:
            return True
        if self.tally is None or self.limit is None:
            return False
        return len(self.tally.latencies_ms) >= self.limit


def web_chat_headers(sender: str) -> dict[str, str]:
    """What a citizen's browser sends besides the message: its own address through the proxy, and the
    secret its chat is bound to (a bearer token here, where a browser would hold the cookie)."""
    digest = hashlib.sha256(b"key:" + sender.encode()).digest()
    key = base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")
    return {"X-Forwarded-For": address_of(sender), "Authorization": f"Bearer {key}"}


def address_of(sender: str) -> str:
    """A client address of the sender's own, sent as a reverse proxy would (X-Forwarded-For): the service
    limits new web chat senders per client address, and real citizens do not share one."""
    digest = hashlib.sha256(sender.encode()).digest()
    return f"10.{digest[0]}.{digest[1]}.{digest[2] % 254 + 1}"


async def one_message(
    session: aiohttp.ClientSession, url: str, body: dict[str, Any], sender: str | None = None
) -> tuple[str, str]:
    """Send one message; the outcome is "ok" (2xx with a JSON list) or the reason it is not."""
    try:
        headers = web_chat_headers(sender) if sender else None
        async with session.post(url, json=body, headers=headers) as response:
            raw = await response.read()
            if not 200 <= response.status < 300:
                return f"http_{response.status}", raw[:200].decode("utf-8", "replace")
            try:
                replies = json.loads(raw)
            except ValueError:
                return "bad_json", raw[:200].decode("utf-8", "replace")
            return ("ok", "") if isinstance(replies, list) else ("not_a_list", repr(replies)[:200])
    except (aiohttp.ClientError, TimeoutError) as exc:
        return type(exc).__name__, str(exc)[:200]


async def citizen(number: int, session: aiohttp.ClientSession, url: str, phases: list[Phase]) -> None:
    """Talk, one message after the other, until the last phase is over.

    Each pass through the script is a new citizen: real citizens write a few messages each, and one
    sender looping for minutes would trip the service's per-citizen rate limit.
    """
    script = SCRIPTS[number % len(SCRIPTS)]
    step = 0
    sender = ""
    for phase in phases:
        while not phase.over():
            if step % len(script) == 0:
                sender = f"bench-{secrets.token_hex(6)}-{number}"
            text, extra = script[step % len(script)]
            step += 1
            body = {"sender": sender, "message": text, "metadata": {"message_id": str(uuid.uuid4()), **extra}}
            started = time.perf_counter()
            outcome, detail = await one_message(session, url, body, sender)
            if phase.tally is not None:
                phase.tally.record(outcome, (time.perf_counter() - started) * 1000, detail)
            if outcome != "ok" and outcome.startswith(("Client", "Server", "Timeout")):
                await asyncio.sleep(0.05)  # a dead server must not turn this into a busy loop


@dataclass(frozen=True)
class Result:
    target: str
    messages: int
    seconds: float
    msgs_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    p90_ms: float
    max_ms: float
    outcomes: dict[str, int]
    first_error: str | None


async def drive(
    target: str,
    base_url: str,
    *,
    concurrency: int,
    warmup: float,
    duration: float,
    messages: int | None,
    request_timeout: float,
) -> Result:
    """Warm up, then measure `concurrency` citizens for `duration` seconds (or `messages` messages)."""
    url = base_url + WEBHOOK
    timeout = aiohttp.ClientTimeout(total=request_timeout)
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    tally = Tally()
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        now = time.monotonic()
        warm = Phase(deadline=now + warmup)
        measured = Phase(deadline=now + warmup + duration, tally=tally, limit=messages)
        phases = [warm, measured]
        tasks = [asyncio.create_task(citizen(i, session, url, phases)) for i in range(concurrency)]
        try:
            await asyncio.sleep(max(0.0, warm.deadline - time.monotonic()))
            started = time.monotonic()
            # A request in flight at the deadline may take up to request_timeout to come back.
            done, _ = await asyncio.wait(tasks, timeout=duration + request_timeout + 5)
            seconds = time.monotonic() - started
            for task in done:
                task.result()  # a citizen that crashed is a bug in this bench: say so
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    count = len(tally.latencies_ms)
    return Result(
        target=target,
        messages=count,
        seconds=round(seconds, 2),
        msgs_per_s=round(count / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=round(percentile(tally.latencies_ms, 50), 2),
        p99_ms=round(percentile(tally.latencies_ms, 99), 2),
        errors=tally.errors,
        p90_ms=round(percentile(tally.latencies_ms, 90), 2),
        max_ms=round(max(tally.latencies_ms, default=0.0), 2),
        outcomes=dict(tally.outcomes),
        first_error=tally.first_error,
    )
