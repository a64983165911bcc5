"""Replies by e-mail over SMTP (stdlib smtplib in a worker thread) from the city's address, for the outbox."""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage

from bot.messages import OutboundMessage
from bot.settings import Settings
from connectors.base import Delivery, DeliveryError
from connectors.email.compose import compose, message_id_for, render_text
from connectors.email.config import EmailConfig
from connectors.email.threading import OverCap, record_sent, thread_for
from storage.engine import AsyncEngine, AsyncSession, async_sessionmaker, create_engine, session_factory

log = logging.getLogger(__name__)


def delivery_error(exc: BaseException) -> DeliveryError:
    """A refused address is final; a busy or unreachable server is tried again later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return DeliveryError(f"the mail server refused the address: {exc.recipients}", retryable=False)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError("the mail server refused our login (VENTANILLA_SMTP_PASSWORD?)", retryable=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        return DeliveryError(reason, retryable=exc.smtp_code < 500)
    return DeliveryError(f"cannot reach the mail server: {type(exc).__name__}: {exc}", retryable=True)


class EmailSender:
    """Sends one reply per call; the thread's headers are read through a pool of its own, since the outbox
    builds its senders from the settings alone."""

    channels = frozenset({"email"})

    def __init__(self, config: EmailConfig, sessions: async_sessionmaker[AsyncSession] | None = None) -> None:
        self.config = config
        self._engine: AsyncEngine | None = None
        self._sessions = sessions

    def sessions(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            self._engine = create_engine(self.config.database_url)
            self._sessions = session_factory(self._engine)
        return self._sessions

    async def send(
        self, message: OutboundMessage, *, idempotency_key: str, last_inbound_at: datetime | None
    ) -> Delivery:
        if not render_text(message).strip() and not message.attachments:
            raise DeliveryError("the reply is empty", retryable=False)
        address = message.address.lower()
        try:
            async with self.sessions()() as session, session.begin():
                thread, citizen_id = await thread_for(session, address, self.config.max_replies_per_hour)
        except OverCap as exc:
            log.warning("not mailing %s: %d replies in the last hour", exc, self.config.max_replies_per_hour)
            raise DeliveryError("too many replies to this address in the last hour", retryable=False) from exc
        header_id = message_id_for(self.config, idempotency_key)
        mail = compose(self.config, message, thread, header_id)
        try:
            await asyncio.to_thread(self._deliver, mail, address)
        except (smtplib.SMTPException, OSError, ValueError) as exc:
            raise delivery_error(exc) from exc
        if citizen_id is not None:
            try:
                async with self.sessions()() as session, session.begin():
                    await record_sent(session, citizen_id, address, header_id, thread, idempotency_key)
            except Exception:  # the mail left: not worth sending again for a row we could not write
                log.exception("mail %s to %s sent but not recorded", header_id, address)
        return Delivery(provider_message_id=header_id, status="sent")

    def _deliver(self, mail: EmailMessage, to: str) -> None:
        smtp = self.config.smtp
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if smtp.user:
                client.login(smtp.user, self.config.smtp_password or "")
            # The envelope sender is the city's address: a bounce comes back to its mailbox, where the
            # poller recognises it and answers nothing.
            client.send_message(mail, from_addr=self.config.address, to_addrs=[to])

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()


def make_sender(settings: Settings) -> EmailSender:
    """The outbox's sender for "email" (the connector registry calls it)."""
    return EmailSender(EmailConfig.from_settings(settings))
