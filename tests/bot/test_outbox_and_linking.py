"""Replies reach pushing channels once through the outbox; one citizen across SMS, WhatsApp, Telegram."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import linking
from bot.messages import OutboundMessage, SharedContact
from bot.metrics import LINK_REFUSED as REFUSED
from bot.outbox import OutboxWorker, RetryPolicy
from bot.settings import Settings
from connectors.base import Delivery, DeliveryError
from storage.models import Case, ChannelIdentity, Citizen, LinkCode, Message, OutboxItem, utcnow
from tests.support.conversation import Citizen as Talker

Sessions = async_sessionmaker[AsyncSession]
PHONE = "+573001234567"
NOW_POLICY = RetryPolicy(max_attempts=4, base_delay=0.0, max_delay=0.0, lease=60.0)


@dataclass
class ProviderSeam:
    """A provider behind the `Sender` protocol: records deliveries, fails on demand."""

    channels: frozenset[str] = frozenset({"sms", "whatsapp", "telegram"})
    failures: list[DeliveryError] = field(default_factory=list)
    delivered: list[tuple[OutboundMessage, str]] = field(default_factory=list)

    async def send(
        self, message: OutboundMessage, *, idempotency_key: str, last_inbound_at: datetime | None
    ) -> Delivery:
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append((message, idempotency_key))
        return Delivery(provider_message_id=f"SM{len(self.delivered):032d}", status="queued")

    async def close(self) -> None:
        pass

    def texts(self, channel: str) -> list[str]:
        return [m.text for m, _ in self.delivered if m.channel == channel]


async def drain(worker: OutboxWorker) -> None:
    while await worker.run_once():
        pass


async def test_sms_then_whatsapp_from_one_number_is_one_citizen(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    provider = ProviderSeam()
    worker = OutboxWorker(sessions, {c: provider for c in provider.channels}, policy=NOW_POLICY)
    sms = citizen(PHONE, "sms")
    await sms.says("hay un poste de luz caído en la esquina")
    await sms.says("no")  # no address beyond "la esquina"
    await sms.says("no")  # no photo
    await sms.says("1")  # the first numbered choice: confirm
    await drain(worker)
    assert "✅" in provider.texts("sms")[-1]
    whatsapp = citizen(PHONE, "whatsapp")
    await whatsapp.says("¿cómo va mi reclamo?")
    await drain(worker)
    async with sessions() as session:
        case = await session.scalar(select(Case))
        assert case is not None
        assert await session.scalar(select(func.count()).select_from(Citizen)) == 1
        statuses = (await session.scalars(select(OutboxItem.status))).all()
    assert case.code in provider.texts("whatsapp")[-1]
    assert set(statuses) == {"sent"}
    keys = [key for _, key in provider.delivered]
    assert len(keys) == len(set(keys))  # one idempotency key per row


async def test_outage_then_recovery_delivers_every_reply_once(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    provider = ProviderSeam(failures=[DeliveryError("HTTP 503", retryable=True)] * 3)
    worker = OutboxWorker(sessions, {"sms": provider}, policy=NOW_POLICY)
    await citizen(PHONE, "sms").says("hola")
    await drain(worker)
    async with sessions() as session:
        rows = (await session.scalars(select(OutboxItem).order_by(OutboxItem.id))).all()
        out = (await session.scalars(select(Message).where(Message.direction == "out"))).all()
    # The greeting and the menu, after the privacy notice of a first contact.
    assert len(provider.delivered) == len(rows) == len(out) == 3
    assert [r.status for r in rows] == ["sent", "sent", "sent"]
    assert sum(r.attempts for r in rows) == 3 + 3
    assert all(m.provider_message_id and m.delivery_status == "queued" for m in out)


async def test_permanent_failure_is_marked_with_its_reason_and_opt_out_stops_sending(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    provider = ProviderSeam(failures=[DeliveryError("21610 unsubscribed", retryable=False, opted_out=True)])
    worker = OutboxWorker(sessions, {"sms": provider}, policy=NOW_POLICY)
    await citizen(PHONE, "sms").says("hola")
    await drain(worker)
    async with sessions() as session:
        rows = (await session.scalars(select(OutboxItem).order_by(OutboxItem.id))).all()
        identity = await session.scalar(select(ChannelIdentity))
    assert [(r.status, r.last_error) for r in rows] == [
        ("failed", "21610 unsubscribed"),
        ("failed", "the citizen opted out of this channel"),
        ("failed", "the citizen opted out of this channel"),
    ]
    assert identity is not None and identity.opted_out and provider.delivered == []


async def test_rows_left_by_a_stopped_service_go_out_once_after_restart(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    await citizen(PHONE, "sms").says("hola")
    async with sessions() as session, session.begin():
        # One row was being sent when the process died: its lease has run out.
        row = await session.scalar(select(OutboxItem).order_by(OutboxItem.id))
        assert row is not None
        row.status, row.attempts, row.next_attempt_at = "sending", 1, utcnow() - timedelta(seconds=1)
    provider = ProviderSeam()
    await drain(OutboxWorker(sessions, {"sms": provider}, policy=NOW_POLICY))
    await drain(OutboxWorker(sessions, {"sms": provider}, policy=NOW_POLICY))
    assert len(provider.delivered) == 3  # the privacy notice, the greeting, the menu


async def test_telegram_user_sharing_the_number_sees_the_sms_case(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    sms = citizen(PHONE, "sms")
    await sms.says("hay un poste de luz caído en la esquina")
    await sms.says("no")
    await sms.says("no")
    await sms.says("sí")
    telegram = citizen("555001", "telegram")
    await telegram.says("estado")
    assert "No tienes casos abiertos" in telegram.text and "Compartir mi número" in telegram.buttons
    await telegram.send_contact(SharedContact(PHONE, "Ana", belongs_to_sender=True))
    assert "vinculé tu número" in telegram.text
    await telegram.says("estado")
    async with sessions() as session:
        case = await session.scalar(select(Case))
        citizens = await session.scalar(select(func.count()).select_from(Citizen))
    assert case is not None and case.code in telegram.text and citizens == 1


async def test_a_link_code_joins_web_chat_and_telegram_once_the_owner_says_yes(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    web = citizen("web-ana-5f3c9d27e1")
    await web.says("bache")
    await web.says("muy profundo, se come las llantas")
    await web.says("omitir")
    await web.says("omitir")
    await web.says("sí")
    await web.says("vincular")
    code = web.text.split("código es ")[1][:9]
    assert len(code) == 9 and code[4] == "-"  # 8 characters of the code alphabet, shown XXXX-XXXX
    telegram = citizen("555002", "telegram")
    await telegram.says(f"vincular {code.lower().replace('-', ' ')}")  # typed as people type it
    assert "Confírmalo allí" in telegram.text
    await telegram.says("estado")
    assert "No tienes casos abiertos" in telegram.text  # nothing is joined before the owner's yes
    async with sessions() as session:
        question = await session.scalar(
            select(Message)
            .where(Message.address == "web-ana-5f3c9d27e1", Message.direction == "out")
            .order_by(Message.id.desc())
        )
    assert question is not None and "¿Unir ese chat a tu conversación?" in question.text
    assert question.delivery_status == "pending"  # the web chat page fetches it
    await web.says("sí")
    assert "uní Telegram a tu conversación" in web.text
    await telegram.says("estado")
    async with sessions() as session:
        case = await session.scalar(select(Case))
        citizens = await session.scalar(select(func.count()).select_from(Citizen))
    assert case is not None and case.code in telegram.text and citizens == 1
    await citizen("555003", "telegram").says(f"vincular {code}")  # used once only
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Citizen)) == 2


async def test_the_owner_says_no_and_nothing_is_joined(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    owner = citizen("+573001112233", "sms")
    await owner.says("vincular")
    code = owner.text.split("código es ")[1][:9]
    stranger = citizen("web-guess-5f3c9d27e1", "rest")
    await stranger.says(f"vincular {code}")
    await owner.says("2")  # "No", the second choice, as typed on SMS
    assert "no uní nada" in owner.text
    async with sessions() as session:
        told = await session.scalar(
            select(Message.text)
            .where(Message.address == "web-guess-5f3c9d27e1", Message.direction == "out")
            .order_by(Message.id.desc())
        )
        assert await session.scalar(select(func.count()).select_from(Citizen)) == 2
    assert told is not None and "no fue confirmada" in told
    await stranger.says(f"vincular {code}")  # the code is void now
    assert "no es válido" in stranger.text


async def test_guessing_codes_from_fresh_web_chat_ids_is_limited_counted_and_joins_nothing(
    citizen: Callable[..., Talker], sessions: Sessions, caplog: pytest.LogCaptureFixture
) -> None:
    """The audit's attack: every guess from a new web chat sender, so no per-citizen limit applies."""
    owner = citizen("555100", "telegram")
    await owner.says("vincular")
    code = owner.text.split("código es ")[1][:9]
    refused_before = REFUSED.labels("bad_code")._value.get()
    wrong = (c for c in ("2222-2222", "3333-3333", "4444-4444") if c != code)
    guess = next(wrong)
    for n in range(linking.FAILURES_OVERALL):
        attacker = citizen(f"web-attacker-{n}")
        await attacker.says(f"vincular {guess}")
        assert "no es válido" in attacker.text
    assert REFUSED.labels("bad_code")._value.get() - refused_before == linking.FAILURES_OVERALL
    assert "wrong link code from rest/web-attacker-0" in caplog.text
    lucky = citizen("web-attacker-lucky")
    await lucky.says(f"vincular {code}")  # even the right code waits while guessing goes on
    assert "en pausa" in lucky.text
    async with sessions() as session:
        link = await session.scalar(select(LinkCode))
        assert link is not None and link.claimed_at is None and link.used_at is None
        assert await session.scalar(select(func.count()).select_from(Citizen)) == linking.FAILURES_OVERALL + 2


async def test_one_identity_gets_five_wrong_codes_an_hour(citizen: Callable[..., Talker]) -> None:
    owner = citizen("web-owner-5f3c9d27e1")
    await owner.says("vincular")
    code = owner.text.split("código es ")[1][:9]
    guesser = citizen("555200", "telegram")
    for _ in range(linking.FAILURES_PER_IDENTITY):
        await guesser.says("vincular 2345-6789" if code != "2345-6789" else "vincular 3456-7892")
    await guesser.says(f"vincular {code}")
    assert "Demasiados códigos equivocados" in guesser.text


async def test_the_rate_limit_comes_before_any_link(
    citizen: Callable[..., Talker], sessions: Sessions, settings: Settings
) -> None:
    owner = citizen("web-owner-2")
    await owner.says("vincular")
    code = owner.text.split("código es ")[1][:9]
    flood = citizen("555300", "telegram")
    for _ in range(settings.dialogue.max_messages_per_minute):
        await flood.says("hola")
    await flood.says(f"vincular {code}")
    assert "vincular" not in flood.text.lower() and "Confírmalo" not in flood.text
    async with sessions() as session:
        link = await session.scalar(select(LinkCode))
        assert link is not None and link.claimed_at is None


async def test_two_workers_never_split_one_citizens_replies(
    citizen: Callable[..., Talker], sessions: Sessions, database_url: str
) -> None:
    """Each worker takes a whole citizen's run of replies, so a later reply cannot overtake an earlier one."""
    await citizen(PHONE, "sms").says("hola")
    await citizen("+573009876543", "sms").says("hola")
    first = OutboxWorker(sessions, {"sms": ProviderSeam()}, policy=NOW_POLICY, batch=1)
    second = OutboxWorker(sessions, {"sms": ProviderSeam()}, policy=NOW_POLICY, batch=1)
    taken_first = await first.claim()
    taken_second = await second.claim()
    assert [c.message.address for c in taken_first] == [PHONE] * 3  # notice, greeting, menu
    assert [c.message.address for c in taken_second] == ["+573009876543"] * 3
    assert await second.claim() == []
    if database_url.startswith("sqlite"):
        return  # SQLite has one writer: a claim cannot run while another transaction holds a row
    # On PostgreSQL: while one transaction still holds a citizen's first unsent reply, another worker
    # skips that citizen entirely, rather than take the reply behind it.
    await citizen(PHONE, "sms").says("gracias")
    async with sessions() as holder, holder.begin():
        await holder.execute(
            select(OutboxItem)
            .where(OutboxItem.status == "pending")
            .order_by(OutboxItem.id)
            .limit(1)
            .with_for_update()
        )
        assert await second.claim() == []


async def test_a_reply_queued_after_a_failed_one_waits_for_it(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    provider = ProviderSeam(failures=[DeliveryError("HTTP 503", retryable=True)])
    later = RetryPolicy(max_attempts=4, base_delay=120.0, max_delay=120.0, lease=60.0)
    worker = OutboxWorker(sessions, {"sms": provider}, policy=later)
    sms = citizen(PHONE, "sms")
    await sms.says("hola")
    await drain(worker)
    await sms.says("menu")  # new replies, due now, behind the first reply that waits for its retry
    await drain(worker)
    assert provider.delivered == []
    async with sessions() as session, session.begin():
        rows = (await session.scalars(select(OutboxItem).order_by(OutboxItem.id))).all()
        for row in rows:
            row.next_attempt_at = utcnow() - timedelta(seconds=1)  # the retry comes due
    await drain(worker)
    async with sessions() as session:
        expected = (
            await session.scalars(select(Message.text).where(Message.direction == "out").order_by(Message.id))
        ).all()
    assert provider.texts("sms") == expected and len(expected) >= 3
