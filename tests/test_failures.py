"""Faults under load, on real `ventanilla serve --workers 2` processes over PostgreSQL, Twilio at a fake.

Simulated citizens write by SMS (signed Twilio webhooks) while a worker is killed with -9, while
PostgreSQL is restarted, or while Twilio's API is down. Like Twilio, they post a message again until it
gets a 200. Afterwards the database and the fake provider must agree: every acknowledged message is
stored once, and every queued reply reached the provider exactly once (by idempotency token and by
message), and in order for each citizen.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
import yaml
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.settings_loading import DEFAULT_CONFIG
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Direction, Message, OutboxItem, OutboxStatus
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, sign
from tests.support.pg_cluster import find_bin_dir, free_port
from tests.support.postgres import EXTERNAL_URL_ENV, NO_BINARIES, PostgresServer, unique_database_name

pytestmark = pytest.mark.postgres

PUBLIC_URL = "https://ventanilla.example.org"  # what Twilio signs; the service sits "behind a proxy"
OUR_SMS = "+15017122661"
WEBHOOK = "/webhooks/twilio"
# A short report by SMS: greet, report with the place, no photo, confirm, ask how it goes.
SCRIPT = ("hola", "hay un bache enorme en la calle 10 con carrera 5", "omitir", "si", "como va mi caso?")
SETTLE_TIMEOUT = 150.0  # a row claimed by a worker that died is free again after the outbox lease (60 s)


@pytest.fixture(scope="module")
def nlu_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One trained classifier for every service these tests start (the first start trains it)."""
    return tmp_path_factory.mktemp("failures-nlu")


@pytest.fixture
def pg_url(postgres_server: PostgresServer | None) -> Iterator[str]:
    """A fresh, migrated database on the session's PostgreSQL server."""
    if postgres_server is None:
        pytest.skip("PostgreSQL is not installed here (CI installs it)")
    name = unique_database_name("ventanilla_faults")
    postgres_server.create_database(name)
    upgrade(postgres_server.url(name))
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.fixture
def own_postgres() -> Iterator[tuple[PostgresServer, str]]:
    """A PostgreSQL cluster of this test's own, to restart; commits durable across a crash of it."""
    if os.environ.get(EXTERNAL_URL_ENV):
        pytest.skip(f"{EXTERNAL_URL_ENV} names a server this test cannot restart")
    if find_bin_dir() is None and os.environ.get("CI", "").lower() not in {"true", "1"}:
        pytest.skip(NO_BINARIES)
    with PostgresServer() as server:
        server.create_database("ventanilla")
        url = server.url("ventanilla")
        upgrade(url)
        # The test clusters trade durability for speed; a crash must not eat acknowledged commits here.
        asyncio.run(_execute(server.url("postgres"), "ALTER SYSTEM SET synchronous_commit = on"))
        asyncio.run(_execute(server.url("postgres"), "SELECT pg_reload_conf()"))
        yield server, url


async def _execute(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as twilio:
        yield twilio


@dataclass
class Service:
    """A running `ventanilla serve --workers N`, its own process group, its output in a file."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    async def pids(self, at_least: int, within: float = 120) -> set[int]:
        """Worker pids answering /healthz (each asked over a new connection) once `at_least` answered."""
        seen: set[int] = set()
        async with asyncio.timeout(within):
            while len(seen) < at_least:
                assert self.process.poll() is None, f"serve exited:\n{self.tail()}"
                async with aiohttp.ClientSession() as session:
                    with contextlib.suppress(aiohttp.ClientError, ValueError):
                        async with session.get(f"{self.base}/healthz") as response:
                            if response.status == 200:
                                seen.add(int((await response.json())["pid"]))
                await asyncio.sleep(0.2)
        return seen


@contextlib.asynccontextmanager
async def serve(
    database_url: str, fake: FakeTwilio, tmp_path: Path, nlu_cache: Path
) -> AsyncIterator[Service]:
    config = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    config["nlu"]["model_dir"] = str(nlu_cache)
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VENTANILLA_", "TWILIO_", "TELEGRAM_"))}
    env |= {
        "VENTANILLA_CONFIG": str(tmp_path / "config.yml"),
        "VENTANILLA_DATABASE_URL": database_url,
        "VENTANILLA_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": fake.url,
        "TWILIO_SMS_FROM": OUR_SMS,
        "TWILIO_TIMEOUT_SECONDS": "5",
    }
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        command = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
        process = subprocess.Popen(  # noqa: ASYNC220 - started once; the test is about a real process
            [sys.executable, "-m", "bot.cli", *command], env=env, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    service = Service(f"http://127.0.0.1:{port}", process, log)
    try:
        yield service
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, 60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # any worker the supervisor left behind


@dataclass
class Citizens:
    """Citizens writing by SMS, each conversation from a new number; each message posted until a 200."""

    base: str
    accepted: dict[str, str] = field(default_factory=dict)  # MessageSid → the citizen's number
    answers: Counter[str] = field(default_factory=Counter)  # "200", "503", "ServerDisconnectedError"…
    retry_after: set[str] = field(default_factory=set)  # Retry-After headers seen on 503s
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    answered: asyncio.Event = field(default_factory=asyncio.Event)  # set at every answer or failure

    async def post_until_accepted(self, session: aiohttp.ClientSession, form: dict[str, str]) -> None:
        signature = sign(AUTH_TOKEN, PUBLIC_URL + WEBHOOK, form)
        while True:
            try:
                async with session.post(
                    self.base + WEBHOOK, data=form, headers={"X-Twilio-Signature": signature}
                ) as response:
                    await response.read()
                    self.answers[str(response.status)] += 1
                    self.answered.set()
                    if response.status == 200:
                        self.accepted[form["MessageSid"]] = form["From"]
                        return
                    if response.status == 503:
                        self.retry_after.add(response.headers.get("Retry-After", ""))
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.answers[type(exc).__name__] += 1  # the worker died with the connection: retry
                self.answered.set()
            # Twilio would wait longer (Retry-After says 5 s); a short pause keeps the test short.
            await asyncio.sleep(0.3)

    async def citizen(self) -> None:
        timeout = aiohttp.ClientTimeout(total=20)
        while not self.stopping.is_set():
            phone = f"+573{secrets.randbelow(10**9):09d}"
            async with aiohttp.ClientSession(timeout=timeout) as session:
                for body in SCRIPT:
                    if self.stopping.is_set():
                        return
                    sid = "SM" + secrets.token_hex(16)
                    form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT_SID, "From": phone,
                            "To": OUR_SMS, "Body": body, "NumMedia": "0"}  # fmt: skip
                    await self.post_until_accepted(session, form)  # a message started is finished

    @contextlib.asynccontextmanager
    async def writing(self, count: int = 6) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(self.citizen()) for _ in range(count)]
        try:
            yield
            self.stopping.set()
            async with asyncio.timeout(90):
                await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def until(self, done: Callable[[], bool], within: float = 120) -> None:
        """Wait, while the citizens write, until `done()` holds."""
        async with asyncio.timeout(within):
            while not done():
                self.answered.clear()
                await self.answered.wait()

    async def until_accepted(self, more: int) -> None:
        target = len(self.accepted) + more
        await self.until(lambda: len(self.accepted) >= target)


async def eventually(check: Callable[[], Awaitable[bool]], within: float, what: str) -> None:
    try:
        async with asyncio.timeout(within):
            while True:
                if await check():
                    return
                await asyncio.sleep(0.5)
    except TimeoutError:
        raise AssertionError(f"not within {within:.0f} s: {what}") from None


async def assert_nothing_lost_and_each_reply_once(
    database_url: str, citizens: Citizens, fake: FakeTwilio
) -> None:
    """Every acknowledged message stored once; every queued reply at the provider once, in order."""
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    try:

        async def settled() -> bool:
            async with sessions() as session:
                statuses = (await session.scalars(select(OutboxItem.status))).all()
            return all(status == OutboxStatus.SENT for status in statuses)

        await eventually(settled, SETTLE_TIMEOUT, "every outbox row sent")
        async with sessions() as session:
            inbound = (
                await session.scalars(
                    select(Message.provider_message_id).where(Message.direction == Direction.IN)
                )
            ).all()
            rows = (
                await session.execute(
                    select(
                        OutboxItem.address,
                        OutboxItem.idempotency_key,
                        OutboxItem.provider_message_id,
                        Message.text,
                    )
                    .join(Message, Message.id == OutboxItem.message_id)
                    .order_by(OutboxItem.id)
                )
            ).all()
    finally:
        await engine.dispose()
    assert Counter(inbound) == Counter(citizens.accepted.keys())  # each acknowledged message once, no other
    await asyncio.sleep(1.0)  # anything beyond what is queued would be a duplicate: give it the chance
    created = {message["sid"]: message for message in fake.messages}
    assert len(created) == len(fake.messages) == len(rows), "replies created at the provider ≠ replies queued"
    assert {r.token for r in fake.requests} == {row.idempotency_key for row in rows}  # one token per reply
    for row in rows:  # … and each created message is the reply of that row, to that citizen
        message = created[row.provider_message_id]
        assert message["to"] == row.address and message["body"].startswith(row.text)
    # … and one citizen's replies reached the provider in the order they were queued, whichever worker
    # sent them (a worker claims a citizen's whole run of unsent replies: bot/outbox.py).
    arrival = {sid: position for position, sid in enumerate(created)}
    sent: dict[str, list[int]] = {}
    for row in rows:
        sent.setdefault(row.address, []).append(arrival[row.provider_message_id])
    assert [phone for phone, order in sent.items() if order != sorted(order)] == []


@pytest.mark.timeout(420)
async def test_kill_9_of_a_worker_while_sms_flow(
    pg_url: str, fake: FakeTwilio, tmp_path: Path, nlu_cache: Path
) -> None:
    async with serve(pg_url, fake, tmp_path, nlu_cache) as service:
        victim = min(await service.pids(at_least=2))
        citizens = Citizens(service.base)
        async with citizens.writing():
            await citizens.until_accepted(30)
            os.kill(victim, signal.SIGKILL)
            await citizens.until_accepted(30)
            # the supervisor started another in its place: two workers answer, the victim is not one
            assert victim not in await service.pids(at_least=2)
            await citizens.until_accepted(10)
        await assert_nothing_lost_and_each_reply_once(pg_url, citizens, fake)
        assert "worker 0 died" in service.tail() or "worker 1 died" in service.tail()


@pytest.mark.timeout(420)
async def test_postgresql_restarted_mid_load(
    own_postgres: tuple[PostgresServer, str], fake: FakeTwilio, tmp_path: Path, nlu_cache: Path
) -> None:
    server, url = own_postgres
    async with serve(url, fake, tmp_path, nlu_cache) as service:
        workers = await service.pids(at_least=2)
        citizens = Citizens(service.base)
        async with citizens.writing():
            await citizens.until_accepted(20)
            await asyncio.to_thread(server.stop_server, "immediate")  # a crash, as far as clients can tell
            before = citizens.answers["503"]
            await citizens.until(lambda: citizens.answers["503"] >= before + 5, within=60)
            async with aiohttp.ClientSession() as session, session.get(f"{service.base}/healthz") as health:
                assert health.status == 503
            await asyncio.to_thread(server.start_server)
            await citizens.until_accepted(30)  # recovered by itself
        assert citizens.retry_after == {"5"}
        # 503 while it was down (and perhaps a dropped connection as it went); never a 500
        assert set(citizens.answers) <= {"200", "503", "ServerDisconnectedError", "ClientOSError"}
        assert await service.pids(at_least=2) == workers  # no worker died of it
        await assert_nothing_lost_and_each_reply_once(url, citizens, fake)


@pytest.mark.timeout(300)
async def test_provider_api_down_for_a_while_under_load(
    pg_url: str, fake: FakeTwilio, tmp_path: Path, nlu_cache: Path
) -> None:
    async with serve(pg_url, fake, tmp_path, nlu_cache) as service:
        await service.pids(at_least=2)
        citizens = Citizens(service.base)
        fake.fail_next(1_000_000)  # every request answered 500
        async with citizens.writing():
            await citizens.until_accepted(25)
            await asyncio.sleep(3)  # the outbox tries, fails and backs off while messages keep coming
            assert fake.messages == [] and len(fake.requests) >= 10
            fake.recover()
            await citizens.until_accepted(20)
        assert set(citizens.answers) == {"200"}  # the webhooks never noticed
        await assert_nothing_lost_and_each_reply_once(pg_url, citizens, fake)
        retried = sum(1 for count in fake.tokens.values() if count > 1)
        assert retried >= 10  # the same idempotency token went again after the outage
