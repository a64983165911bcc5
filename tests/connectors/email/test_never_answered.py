"""Mail that is never answered, so that no two robots mail each other all night: bounces, auto-replies,
lists, our own mail; and the hourly cap on replies to one address, the last guard."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from connectors.email.config import EmailConfig
from connectors.email.poller import MailboxPoller
from connectors.email.sender import EmailSender
from storage.models import Message, OutboxItem
from tests.connectors.email.conftest import Town, email_on
from tests.support.mail_servers import CITIZEN, CITY, MailServers

Sessions = async_sessionmaker[AsyncSession]


async def messages(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count(Message.id))) or 0)


AUTOMATIC = {
    "out of office (RFC 3834)": {"Auto_Submitted": "auto-replied", "Subject": "Fuera de la oficina"},
    "auto-generated": {"Auto_Submitted": "auto-generated"},
    "X-Autoreply": {"X_Autoreply": "yes", "Subject": "Respuesta automática: Bache"},
    "X-Autorespond": {"X_Autorespond": "Vacation"},
    "bulk": {"Precedence": "bulk"},
    "junk": {"Precedence": "junk"},
    "a mailing list": {"List_Id": "<vecinos.lista.correo.test>"},
    "a bounce from the mailer daemon": {"From": "Mail Delivery System <MAILER-DAEMON@correo.test>"},
    "a bounce from postmaster": {"From": "postmaster@correo.test"},
    "the null return path": {"Return_Path": "<>"},
    "our own address": {"From": f"Ciudad <{CITY}>"},
}


@pytest.mark.parametrize("headers", AUTOMATIC.values(), ids=AUTOMATIC.keys())
async def test_automatic_mail_is_read_and_never_answered(
    town: Town, sessions: Sessions, headers: dict[str, str]
) -> None:
    headers = dict(headers)
    subject = headers.pop("Subject", "Bache")
    town.write("Estaré fuera hasta el lunes. hay un bache", subject=subject, **headers)
    done = await town.poll()
    assert done.handed == 0 and sum(done.not_answered.values()) == 1
    assert town.inbox() == []
    assert await messages(sessions) == 0  # the pipeline never saw it: no turn, no reply queued
    [(_, seen)] = town.servers.mails(CITY)
    assert seen  # and it is not read again at the next poll


async def test_a_delivery_report_is_a_bounce(town: Town, sessions: Sessions) -> None:
    report = (
        f"From: Correo <notificaciones@correo.test>\r\nTo: {CITY}\r\nSubject: Undelivered Mail\r\n"
        "Message-ID: <dsn-1@correo.test>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nNo se pudo entregar.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; correo.test\r\n\r\n"
        "Final-Recipient: rfc822; nadie@correo.test\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n"
    )
    town.servers.deliver(CITY, report.encode())
    done = await town.poll()
    assert done.not_answered == {"bounce": 1}
    assert await messages(sessions) == 0


async def test_no_more_than_the_hourly_cap_of_replies_reaches_one_address(
    settings: Settings,
    servers: MailServers,
    sessions: Sessions,
    make_town: Callable[..., Town],
    scripted: object,
) -> None:
    capped = email_on(settings, servers, max_replies_per_hour=3)
    town = make_town(scripted)
    config = EmailConfig.from_settings(capped)
    town.sender = EmailSender(config, sessions)
    town.outbox.senders = {"email": town.sender}
    town.poller = MailboxPoller(config, sessions, town.poller.hand_off, town.store, 10_000_000)
    for text in ("hola", "hay un bache", "en la calle 10", "no tengo foto"):
        town.write(text)
        await town.poll()
    assert len(town.inbox()) == 3
    async with sessions() as session:
        refused = await session.scalar(
            select(func.count(OutboxItem.id)).where(
                OutboxItem.status == "failed", OutboxItem.address == CITIZEN
            )
        )
    assert refused and refused >= 1  # kept in the history as not delivered, never sent
