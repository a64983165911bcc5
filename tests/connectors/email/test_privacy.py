"""What the e-mail channel keeps of a citizen (their Message-IDs and subjects, ours too) follows erasure,
retention and the joining of two histories, like the rest of their data."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import retention
from storage.models import ChannelIdentity, EmailHeader
from tests.connectors.email.conftest import Town
from tests.support.mail_servers import CITIZEN

Sessions = async_sessionmaker[AsyncSession]


async def headers(sessions: Sessions) -> list[EmailHeader]:
    async with sessions() as session:
        return list((await session.scalars(select(EmailHeader).order_by(EmailHeader.id))).all())


async def test_an_erasure_by_mail_takes_the_mail_headers_with_it(town: Town, sessions: Sessions) -> None:
    town.write("hay un hueco en la calle 45 con carrera 27", subject="Mi direccion: calle 45 # 27-10")
    await town.poll()
    assert await headers(sessions)
    town.answer(town.inbox()[-1], "borrar mis datos")
    await town.poll()
    town.answer(town.inbox()[-1], "si")
    await town.poll()
    town.answer(town.inbox()[-1], "BORRAR")
    await town.poll()
    code = next(m for m in town.inbox() if "Código para confirmar" in m.get_content())
    digits = [
        w.strip(".") for w in code.get_content().split() if w.strip(".").isdigit() and len(w.strip(".")) == 6
    ]
    town.answer(town.inbox()[-1], digits[0])
    await town.poll()
    assert "borramos tus datos" in town.inbox()[-1].get_content()
    async with sessions() as session:
        assert await session.scalar(select(ChannelIdentity).where(ChannelIdentity.address == CITIZEN)) is None
    assert [h for h in await headers(sessions) if h.direction == "in"] == []
    assert all("calle 45" not in h.subject for h in await headers(sessions))


async def test_retention_blanking_a_mail_forgets_its_subject_and_message_id(
    town: Town, sessions: Sessions
) -> None:
    town.write("hay un bache", subject="Bache frente a mi casa, calle 8 # 3-21")
    await town.poll()
    rows = await headers(sessions)
    assert {h.direction for h in rows} == {"in", "out"} and all(h.message_id for h in rows)
    async with sessions() as session, session.begin():
        await retention.blank_messages(session, [h.message_id for h in rows if h.message_id])
    assert await headers(sessions) == []
