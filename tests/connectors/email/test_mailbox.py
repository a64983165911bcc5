"""The city's mailbox as a channel, end to end against real servers: Dovecot (IMAP) and aiosmtpd (SMTP)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbound import send_to_citizen
from nlu.base import Classifier
from storage.models import Author, Case, EmailHeader, Message
from tests.connectors.email.conftest import Town
from tests.support.mail_servers import CITIZEN, CITY
from tests.support.scripted import ScriptedClassifier

Sessions = async_sessionmaker[AsyncSession]
STORY = "hay un hueco enorme en la calle 45 con carrera 27, ya se cayeron dos motos"


async def inbound(sessions: Sessions) -> list[Message]:
    async with sessions() as session:
        rows = await session.scalars(select(Message).where(Message.direction == "in").order_by(Message.id))
        return list(rows.all())


async def test_a_mail_reaches_the_pipeline_and_the_reply_arrives_threaded(
    town: Town, sessions: Sessions
) -> None:
    theirs = town.write(STORY, subject="Hueco en mi calle")
    done = await town.poll()
    assert done.handed == 1
    [message] = await inbound(sessions)
    assert (message.channel, message.address, message.text) == ("email", CITIZEN, STORY)
    # The first turn: the privacy notice and the answer, each a mail in the same thread.
    notice, reply = town.inbox()
    assert "privacidad" in notice.get_content() and notice["In-Reply-To"] == theirs
    assert reply["From"].addresses[0].addr_spec == CITY
    assert reply["To"] == CITIZEN
    assert reply["Subject"] == "Re: Hueco en mi calle"
    assert reply["In-Reply-To"] == theirs and theirs in reply["References"]
    assert reply["Auto-Submitted"] == "auto-replied"
    assert "foto" in reply.get_content()
    assert "1. Omitir" in reply.get_content()  # a choice is a numbered option, as on SMS
    # Their mail is read in the city's mailbox, so no other worker takes it again.
    [(_, seen)] = town.servers.mails(CITY)
    assert seen
    assert set(town.servers.smtp_logins) == {CITY}  # we logged in to send as the city


async def test_a_reply_to_our_mail_goes_on_with_the_report_and_the_case_code_reaches_the_subject(
    town: Town, sessions: Sessions
) -> None:
    town.write(STORY, subject="Hueco en mi calle")
    await town.poll()
    asks_photo = town.inbox()[-1]
    town.answer(asks_photo, "1")  # "1. Omitir", answered by its number, with our mail quoted below
    await town.poll()
    summary = town.inbox()[-1]
    assert "¿Lo confirmo?" in summary.get_content() and "calle 45 con carrera 27" in summary.get_content()
    assert summary["Subject"] == "Re: Hueco en mi calle"
    town.answer(summary, "Si, por favor\n\nEnviado desde mi iPhone")
    await town.poll()
    filed = town.inbox()[-1]
    async with sessions() as session:
        [case] = (await session.scalars(select(Case))).all()
    assert case.code in filed.get_content()
    assert filed["Subject"] == f"Re: Hueco en mi calle [Caso {case.code}]"
    assert filed["In-Reply-To"] == town.servers.mails(CITY)[-1][0]["Message-ID"]
    # The quoted thread never reached the classifier: each turn read only what was written then.
    texts = [m.text for m in await inbound(sessions)]
    assert texts == [STORY, "1", "Si, por favor"]
    assert len({m.conversation_id for m in await inbound(sessions)}) == 1


async def test_their_mail_and_ours_are_recorded_against_the_citizen(town: Town, sessions: Sessions) -> None:
    theirs = town.write(STORY)
    await town.poll()
    ours = [mail["Message-ID"] for mail in town.inbox()]
    async with sessions() as session:
        rows = (await session.scalars(select(EmailHeader).order_by(EmailHeader.id))).all()
    assert [(r.direction, r.header_id, r.address) for r in rows] == [
        ("in", theirs, CITIZEN),
        *(("out", header_id, CITIZEN) for header_id in ours),
    ]
    assert len({r.citizen_id for r in rows}) == 1


async def test_with_many_workers_one_polls_at_a_time(
    make_town: Callable[[Classifier], Town], scripted: ScriptedClassifier, sessions: Sessions
) -> None:
    first, second = make_town(scripted), make_town(scripted)
    first.write(STORY)
    assert (await first.poller.once()).handed == 1
    assert (await second.poller.once()).claimed is False  # within the interval the first one claimed
    assert len(await inbound(sessions)) == 1


async def test_a_mail_read_again_before_it_was_marked_read_is_one_message(
    town: Town, sessions: Sessions
) -> None:
    town.write(STORY)
    await town.poll()
    client = town.servers.imap(CITY)  # as if the worker died between the commit and marking it \Seen
    client.uid("STORE", "1:*", "-FLAGS", "(\\Seen)")
    client.logout()
    assert (await town.poll()).handed == 1
    assert len(await inbound(sessions)) == 1
    assert len(town.inbox()) == 2  # the notice and the answer, once


async def test_a_persons_answer_from_the_inbox_leaves_as_a_mail_in_the_same_thread(
    town: Town, sessions: Sessions
) -> None:
    theirs = town.write(STORY, subject="Hueco en mi calle")
    await town.poll()
    async with sessions() as session, session.begin():
        [message] = (await session.scalars(select(Message).where(Message.direction == "in"))).all()
        sent = await send_to_citizen(
            session,
            message.citizen_id,
            "Hola, soy Laura de Obras Públicas: mañana pasa una cuadrilla.",
            author=Author.STAFF,
            language="es",
        )
        assert sent is not None
    await town.outbox.run_once()
    answer = town.inbox()[-1]
    assert "Laura de Obras Públicas" in answer.get_content()
    assert answer["Subject"] == "Re: Hueco en mi calle" and answer["In-Reply-To"] == theirs
