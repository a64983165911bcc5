"""Mail as it really comes: HTML only, another charset, broken MIME, no sender, too big, with a photo.
Each is handled without a crash, and nothing readable is lost."""

from __future__ import annotations

import io
from collections.abc import Callable
from email.message import EmailMessage

from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from connectors.email.config import EmailConfig
from connectors.email.poller import MailboxPoller
from storage.media import name_of
from storage.models import Message
from tests.connectors.email.conftest import Town, email_on
from tests.support.mail_servers import CITIZEN, CITY, MailServers

Sessions = async_sessionmaker[AsyncSession]


async def inbound(sessions: Sessions) -> list[Message]:
    async with sessions() as session:
        rows = await session.scalars(select(Message).where(Message.direction == "in").order_by(Message.id))
        return list(rows.all())


def raw(body: str, *, head: str = "", charset: str = "utf-8") -> bytes:
    top = f"From: Vecino <{CITIZEN}>\r\nTo: {CITY}\r\nSubject: Reclamo\r\nMessage-ID: <bad-1@correo.test>\r\n"
    return (top + head + "\r\n" + body).encode(charset)


async def test_an_html_only_mail_is_read_as_text_without_the_quoted_thread(
    town: Town, sessions: Sessions
) -> None:
    html = (
        "<html><head><style>p{color:red}</style></head><body><div>Hay un bache enorme&nbsp;en la "
        "<b>calle 10</b></div><div><br></div>"
        "<blockquote>Ciudad escribió: ¿Dónde es?</blockquote></body></html>"
    )
    town.servers.deliver(
        CITY, raw(html, head="MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n")
    )
    await town.poll()
    [message] = await inbound(sessions)
    assert message.text == "Hay un bache enorme en la calle 10"
    assert town.inbox()  # answered


async def test_a_latin_1_mail_keeps_its_accents(town: Town, sessions: Sessions) -> None:
    head = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
    town.servers.deliver(
        CITY, raw("El poste de la esquina está apagado, señor", head=head, charset="latin-1")
    )
    await town.poll()
    [message] = await inbound(sessions)
    assert message.text == "El poste de la esquina está apagado, señor"


async def test_an_unknown_charset_is_read_rather_than_refused(town: Town, sessions: Sessions) -> None:
    head = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
    town.servers.deliver(CITY, raw("hay basura en el parque", head=head))
    await town.poll()
    [message] = await inbound(sessions)
    assert message.text == "hay basura en el parque"


async def test_broken_mime_is_read_as_far_as_it_goes(town: Town, sessions: Sessions) -> None:
    head = 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="nunca"\r\n'
    body = (
        "--nunca\r\nContent-Type: text/plain\r\n\r\nhay un hueco en la 5\r\n"
        "--nunca\r\nContent-Type: image/jpeg\r\n"
    )
    town.servers.deliver(
        CITY, raw(body, head=head) + b"Content-Transfer-Encoding: base64\r\n\r\n!!!no es base64"
    )
    done = await town.poll()
    assert done.handed == 1
    [message] = await inbound(sessions)
    assert message.text == "hay un hueco en la 5" and not message.attachments  # the broken image is dropped
    assert town.inbox()


async def test_a_mail_with_no_sender_is_set_aside_read(town: Town, sessions: Sessions) -> None:
    town.servers.deliver(CITY, b"To: atencion@ciudad.test\r\nSubject: ?\r\n\r\nhay un bache\r\n")
    town.servers.deliver(CITY, b"From: no es una direccion\r\nSubject: ?\r\n\r\nhay un bache\r\n")
    done = await town.poll()
    assert done.not_answered == {"no sender": 2}
    assert await inbound(sessions) == []
    assert all(seen for _, seen in town.servers.mails(CITY))


async def test_a_mail_too_big_is_answered_from_its_headers(
    settings: Settings,
    servers: MailServers,
    sessions: Sessions,
    make_town: Callable[..., Town],
    scripted: object,
) -> None:
    small = email_on(settings, servers, max_message_bytes=10_000)
    town = make_town(scripted)
    town.poller = MailboxPoller(
        EmailConfig.from_settings(small), sessions, town.poller.hand_off, town.store, 1
    )
    town.write("hay un bache\n" + "x" * 20_000)
    done = await town.poll()
    assert done.handed == 1
    [message] = await inbound(sessions)
    assert message.text == "" and isinstance(message.raw, dict) and message.raw["headers_only"] is True
    assert town.inbox()  # the citizen still hears from the city


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


async def test_an_attached_photo_is_a_photo(town: Town, sessions: Sessions) -> None:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = CITIZEN, CITY, "Foto del bache"
    mail["Message-ID"] = "<foto-1@correo.test>"
    mail.set_content("hay un hueco enorme en la calle 45 con carrera 27")
    mail.add_attachment(jpeg(), maintype="image", subtype="jpeg", filename="IMG_0001.jpg")
    town.servers.deliver(CITY, bytes(mail))
    await town.poll()
    [message] = await inbound(sessions)
    [photo] = message.attachments or []
    assert photo["kind"] == "photo" and photo["content_type"] == "image/jpeg"
    name = name_of(photo["url"])
    assert name is not None and await town.store.get(name) is not None  # our copy, drawn again
    summary = town.inbox()[-1].get_content()
    assert "• Con foto" in summary and "¿Lo confirmo?" in summary  # the photo counts: not asked for again
