"""The inbox queue page on PostgreSQL with 100,000 cases and 1,000,000 messages: one command, figures printed.

Run: .venv/bin/python bench/inbox_queue.py [--requests N]
It starts its own throw-away PostgreSQL cluster, migrates, seeds with generate_series (seconds, not
minutes), starts `ventanilla serve` against it as a separate process, logs an agent in, and times
GET /inbox/queue over HTTP and the queue query alone, for every department and for an agent limited to
two (the department condition is a correlated subquery per row).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import text  # noqa: E402

from storage.conversations import QueueFilter, queue  # noqa: E402
from storage.engine import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

CITIZENS, CASES, MESSAGES, WAITING, HELD = 50_000, 100_000, 1_000_000, 3_000, 300
PASSWORD = "bench-password-123"
SEED = [
    f"""INSERT INTO citizens (id, display_name, language, phone_e164, preferential, created_at)
        SELECT i, 'Vecina ' || i, CASE WHEN i % 7 = 0 THEN 'en' ELSE 'es' END,
               '+5730' || lpad(i::text, 8, '0'),
               CASE WHEN i % 97 = 0 THEN 'elderly' END, now() - (i % 365) * interval '1 day'
        FROM generate_series(1, {CITIZENS}) AS i""",
    f"""INSERT INTO channel_identities (id, citizen_id, channel, address, opted_out, created_at)
        SELECT i, i, (ARRAY['sms','whatsapp','telegram','rest'])[1 + i % 4], 'addr-' || i, false, now()
        FROM generate_series(1, {CITIZENS}) AS i""",
    f"""INSERT INTO conversations (id, citizen_id, holder, state, last_channel, last_address, waiting_since,
                                   created_at, updated_at)
        SELECT i, i,
               CASE WHEN i <= {WAITING} THEN 'waiting' WHEN i <= {WAITING + HELD} THEN 'staff' ELSE 'bot' END,
               '{{}}', (ARRAY['sms','whatsapp','telegram','rest'])[1 + i % 4], 'addr-' || i,
               CASE WHEN i <= {WAITING + HELD} THEN now() - (i % 600) * interval '1 minute' END, now(), now()
        FROM generate_series(1, {CITIZENS}) AS i""",
    f"""INSERT INTO cases (id, code, citizen_id, service_code, description, status, priority, department,
                           channel, language, created_at, updated_at)
        SELECT i, 'B' || lpad(i::text, 7, '0'), 1 + i % {CITIZENS},
               (ARRAY['pothole','streetlight','garbage','water','noise','tree'])[1 + i % 6],
               'Descripción del caso ' || i,
               (ARRAY['open','acknowledged','in_progress','resolved','closed','rejected'])[1 + i % 6], 0,
               (ARRAY['public_works','public_lighting','sanitation','water_utility','environment',
                      'environment'])[1 + i % 6],
               'sms', 'es', now() - (i % 720) * interval '2 hours', now()
        FROM generate_series(1, {CASES}) AS i""",
    f"""INSERT INTO messages (id, citizen_id, conversation_id, direction, author, channel, address, text,
                              internal, created_at)
        SELECT i, 1 + i % {CITIZENS}, 1 + i % {CITIZENS}, CASE WHEN i % 2 = 0 THEN 'in' ELSE 'out' END,
               CASE WHEN i % 2 = 0 THEN 'citizen' ELSE 'bot' END, 'sms', 'addr-' || (1 + i % {CITIZENS}),
               'mensaje número ' || i || ' sobre un problema en la calle', false,
               now() - (({MESSAGES} - i) / 100) * interval '1 minute'
        FROM generate_series(1, {MESSAGES}) AS i""",
]
SEQUENCES = ["citizens", "channel_identities", "conversations", "cases", "messages"]


async def seed(url: str) -> float:
    started = time.perf_counter()
    engine = create_engine(url)
    async with engine.begin() as connection:
        for statement in SEED:
            await connection.execute(text(statement))
        for table in SEQUENCES:
            await connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
        await connection.execute(
            text(
                "INSERT INTO staff_users (username, password_hash, role, active, failed_logins, created_at) "
                "VALUES ('agente', :hash, 'agent', true, 0, now())"
            ),
            {"hash": PasswordHasher().hash(PASSWORD)},
        )
    async with engine.connect() as connection:
        await connection.execute(text("COMMIT"))
        await connection.execute(text("ANALYZE"))
    await engine.dispose()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


LIMITED = frozenset({"sanitation", "water_utility"})


async def time_query(url: str, requests: int, scope: frozenset[str] | None = None) -> list[float]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    timings = []
    try:
        for _ in range(requests):
            async with sessions() as session:
                started = time.perf_counter()
                rows = await queue(session, QueueFilter(scope=scope))
                timings.append((time.perf_counter() - started) * 1000)
        assert rows, "the seeded queue is empty"
    finally:
        await engine.dispose()
    return timings


async def time_page(base: str, requests: int) -> tuple[list[float], int]:
    # unsafe=True: keep cookies from an IP address (127.0.0.1), which the jar refuses by default.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        for _ in range(300):  # wait for serve
            try:
                async with http.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
        async with http.get(f"{base}/inbox/login") as response:
            token = re.search(r'name="csrf_token" value="([^"]+)"', await response.text())
        assert token is not None
        form = {"csrf_token": token[1], "username": "agente", "password": PASSWORD, "next": "/inbox/queue"}
        async with http.post(f"{base}/inbox/login", data=form, allow_redirects=False) as response:
            assert response.status == 303, response.status
        timings, size = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            async with http.get(f"{base}/inbox/queue") as response:
                size = len(await response.read())
                assert response.status == 200
            timings.append((time.perf_counter() - started) * 1000)
    return timings, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with PostgresServer() as server:
        server.create_database("bench")
        url = server.url("bench")
        upgrade(url)
        seconds = asyncio.run(seed(url))
        print(f"seeded {CITIZENS:,} citizens, {CASES:,} cases, {MESSAGES:,} messages in {seconds:.1f} s")
        query = asyncio.run(time_query(url, args.requests))
        limited = asyncio.run(time_query(url, args.requests, LIMITED))
        port = 18000 + os.getpid() % 1000
        env = {**os.environ, "VENTANILLA_DATABASE_URL": url}
        serve = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            page, size = asyncio.run(time_page(f"http://127.0.0.1:{port}", args.requests))
        finally:
            serve.terminate()
            serve.wait(timeout=30)
    print(f"\n{'what':<32}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, values in (
        ("queue query, all departments", query),
        ("queue query, 2 departments", limited),
        ("GET /inbox/queue over HTTP", page),
    ):
        row = f"{name:<32}{len(values):>5}{statistics.median(values):>9.1f}"
        print(f"{row}{percentile(values, 0.99):>9.1f}{max(values):>9.1f}")
    print(
        f"\n{WAITING + HELD:,} conversations in the queue (the page shows the first 200); page {size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
