"""Reads the city's mailbox every few seconds and hands each new mail to the pipeline (issue 18).

One worker polls at a time, whatever the number of workers: each pass is claimed in `job_runs` as the
daily jobs are (storage/job_runs.py), for most of a poll interval. If a pass outlives its claim and two
overlap, a mail is still one message (its Message-ID is its provider id). A mail is marked \\Seen only
after its turn committed; bounces, automatic replies and mail with no sender are marked \\Seen and
answered nothing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from datetime import timedelta

from prometheus_client import Counter

from bot.housekeeping import every
from bot.messages import Attachment
from connectors import media, photos
from connectors.base import HandOff
from connectors.email.config import EmailConfig
from connectors.email.mailbox import Mailbox, MailboxError
from connectors.email.parser import Mail, NotAMail, parse_mail
from storage import email_headers, job_runs
from storage.engine import AsyncSession, async_sessionmaker
from storage.media import MediaStore
from storage.models import Direction, utcnow

log = logging.getLogger(__name__)
JOB = "email_poll"
NOT_ANSWERED = Counter(
    "ventanilla_email_not_answered_total", "Mail read but never answered (loops, no sender)", ["reason"]
)


@dataclass
class Pass:
    """What one pass did, for logs and tests."""

    handed: int = 0
    not_answered: dict[str, int] = field(default_factory=dict)
    claimed: bool = True


class MailboxPoller:
    def __init__(
        self,
        config: EmailConfig,
        sessions: async_sessionmaker[AsyncSession],
        hand_off: HandOff,
        store: MediaStore,
        max_pixels: int,
    ) -> None:
        self.config, self.sessions, self.hand_off = config, sessions, hand_off
        self.store, self.max_pixels = store, max_pixels
        self._stop = asyncio.Event()

    async def run(self) -> None:
        await every(self.config.imap.poll_seconds, self._stop, self.once, "email poll")

    def stop(self) -> None:
        self._stop.set()

    async def once(self, *, claim: bool = True) -> Pass:
        """One pass over the unread mail, if this worker claims it (`claim=False`: it does, for tests)."""
        if claim and not await self._claim():
            return Pass(claimed=False)
        done = Pass()
        try:
            box = await asyncio.to_thread(Mailbox, self.config)
        except MailboxError as exc:
            log.warning("cannot read the city's mailbox: %s", exc)
            return done
        try:
            for uid in await asyncio.to_thread(box.unseen, self.config.imap.batch):
                await self._take(box, uid, done)
        except MailboxError as exc:
            log.warning("the city's mailbox broke off: %s", exc)
        finally:
            await asyncio.to_thread(box.close)
        return done

    async def _claim(self) -> bool:
        gap = timedelta(seconds=self.config.imap.poll_seconds * 0.9)
        async with self.sessions() as session, session.begin():
            return await job_runs.claim(session, JOB, utcnow(), gap)

    async def _take(self, box: Mailbox, uid: bytes, done: Pass) -> None:
        too_big = await asyncio.to_thread(box.size, uid) > self.config.max_message_bytes
        raw = await asyncio.to_thread(box.fetch, uid, headers_only=too_big)
        try:
            mail = parse_mail(raw, self.config.address, headers_only=too_big)
        except NotAMail as exc:
            await self._skip(box, uid, "no sender", done, str(exc))
            return
        except Exception as exc:  # a mail the parser chokes on would otherwise block every later pass
            log.exception("mail %r could not be read", uid)
            await self._skip(box, uid, "unreadable", done, repr(exc))
            return
        if mail.automatic is not None:
            await self._skip(box, uid, mail.automatic, done, mail.message.address)
            return
        await self._hand_on(mail)
        await asyncio.to_thread(box.mark_seen, uid)  # after the commit: a crash before it reads it again
        done.handed += 1

    async def _skip(self, box: Mailbox, uid: bytes, reason: str, done: Pass, detail: str) -> None:
        log.info("mail %r not answered (%s): %s", uid, reason, detail)
        NOT_ANSWERED.labels(reason).inc()
        done.not_answered[reason] = done.not_answered.get(reason, 0) + 1
        await asyncio.to_thread(box.mark_seen, uid)

    async def _hand_on(self, mail: Mail) -> None:
        """Photos kept, the turn run, their Message-ID recorded; a replay or a failure keeps no copies."""
        copies = await self._keep_images(mail)
        message = replace(mail.message, attachments=copies) if copies else mail.message
        try:
            outcome = await self.hand_off(message)
        except BaseException:
            await media.discard(self.store, copies)
            raise
        if outcome.duplicate:
            await media.discard(self.store, copies)
            return
        async with self.sessions() as session, session.begin():
            citizen_id = await email_headers.citizen_by_address(session, message.address)
            if citizen_id is not None:
                await email_headers.record(
                    session,
                    citizen_id,
                    Direction.IN,
                    message.address,
                    mail.header_id,
                    mail.subject,
                    message_id=outcome.message_id,
                    earlier_ids=" ".join(mail.earlier_ids) or None,
                )

    async def _keep_images(self, mail: Mail) -> tuple[Attachment, ...]:
        kept = []
        for image in mail.images:
            try:
                photo = await photos.clean_in_turn(image.data, self.max_pixels)
            except photos.NotAPhoto as exc:
                log.info("an image in mail %s is not a photo we keep: %s", mail.header_id, exc)
                continue
            kept.append(await media.keep(self.store, photo.data, photo.content_type, "photo"))
        return tuple(kept)
