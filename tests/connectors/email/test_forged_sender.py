"""A mail's From is not proof of who wrote it. What a forger can and cannot do with someone's address:
our replies go to the real mailbox, so nothing is revealed to them; but a link code typed in a forged mail
would join the forger's chat to the victim's history, and a forged "borrar" would erase it. Neither works."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ChannelIdentity, Citizen, Message
from tests.support.conversation import Citizen as Talker

Sessions = async_sessionmaker[AsyncSession]
VICTIM = "victima@correo.test"
FORGER_PHONE = "+573009998877"


async def citizens(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Citizen)) or 0)


async def last_to(sessions: Sessions, address: str, containing: str = "") -> str:
    async with sessions() as session:
        text = await session.scalar(
            select(Message.text)
            .where(Message.address == address, Message.direction == "out", Message.text.contains(containing))
            .order_by(Message.id.desc())
        )
    return text or ""


async def test_a_forged_mail_cannot_claim_the_forgers_link_code(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    victim = citizen(VICTIM, "email")
    await victim.says("hay un bache en la calle 10")  # the victim's history by mail
    forger = citizen(FORGER_PHONE, "whatsapp")
    await forger.says("vincular")
    code = forger.text.split("código es ")[1][:9]
    await victim.says(f"vincular {code}")  # the forger's mail, with the victim's address as From
    assert "Por correo no puedo usar códigos" in victim.text
    assert "¿Unir" not in await last_to(sessions, FORGER_PHONE)  # the forger is never asked to join
    await forger.says("sí")
    assert await citizens(sessions) == 2  # two people, two histories


async def test_linking_starts_from_the_mailbox_whose_owner_reads_the_code(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    mail = citizen(VICTIM, "email")
    await mail.says("vincular")  # the code goes back to the address, read by its owner only
    code = mail.text.split("código es ")[1][:9]
    whatsapp = citizen("+573001234567", "whatsapp")
    await whatsapp.says(f"vincular {code}")
    assert "¿Unir" in await last_to(sessions, VICTIM)
    await mail.says("1")  # the first numbered option, "Sí", answered by mail
    assert await citizens(sessions) == 1


async def test_an_erasure_asked_by_mail_waits_for_the_code_sent_to_the_mailbox(
    citizen: Callable[..., Talker], sessions: Sessions
) -> None:
    victim = citizen(VICTIM, "email")
    await victim.says("hay un bache en la calle 10")
    forged = citizen(VICTIM, "email")  # the same From, written by someone else
    await forged.says("borrar mis datos")
    await forged.says("si")
    await forged.says("BORRAR")
    assert "Te enviamos un código" in forged.text and "borramos tus datos" not in forged.text
    sent = await last_to(sessions, VICTIM, "Código para confirmar")
    [code] = re.findall(r"\b\d{6}\b", sent)  # in the victim's mailbox, not the forger's
    await forged.says("123456" if code != "123456" else "654321")
    async with sessions() as session:
        assert await session.scalar(select(ChannelIdentity).where(ChannelIdentity.address == VICTIM))
    await victim.says(code)  # the owner, who read it
    assert "borramos tus datos" in victim.text
    async with sessions() as session:
        assert await session.scalar(select(ChannelIdentity).where(ChannelIdentity.address == VICTIM)) is None
