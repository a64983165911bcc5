"""The voice-note worker: claims queued notes, hears them off the request path, and hands each transcript
to the pipeline as a new message (same channel, address and recipient), or the fallback when it cannot.

A note is handed on once however often it is tried: the new message's provider id is derived from the
note's, so a retry after a crash is a replay the pipeline recognises. A note that keeps failing ends with
the fallback ("type it, or a person"), never silence."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.history import Outcome
from bot.messages import InboundMessage
from bot.voice import Heard, Transcriber
from storage import voice_notes
from storage.engine import AsyncSession, DBAPIError, async_sessionmaker
from storage.media import MediaStore, name_of
from storage.models import utcnow

log = logging.getLogger(__name__)

MAX_TRIES = 3  # then the fallback, without hearing it again
LEASE = timedelta(minutes=5)  # a claimed note not finished by then (its worker died) is claimed again
IDLE_SECONDS = 30.0  # between looks when nothing woke the worker (notes of a crashed worker, other workers)
BATCH = 4
SUFFIX = "#heard"  # the transcript's provider id: the note's, and this


class VoiceNotes:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        media: MediaStore,
        transcriber: Transcriber,
        hand_off: Callable[[InboundMessage], Awaitable[Outcome]],
        *,
        lease: timedelta = LEASE,
    ) -> None:
        self.sessions = sessions
        self.media = media
        self.transcriber = transcriber
        self.hand_off = hand_off
        self.lease = lease
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            try:
                busy = await self.pass_once()
            except Exception:  # the database away, or a bug: logged, and the worker goes on (a dead task
                log.exception("voice notes: a pass failed; trying again later")  # would hear no more)
                busy = 0
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=IDLE_SECONDS)
            self._wake.clear()

    async def pass_once(self) -> int:
        """Claim due notes and answer each; how many were claimed."""
        async with self.sessions() as session, session.begin():
            claimed = await voice_notes.claim(session, now=utcnow(), lease=self.lease, batch=BATCH)
        for note in claimed:
            if self._stopping:
                break  # its lease lets another worker (or this one, restarted) take it
            await self.answer(note)
        return len(claimed)

    async def answer(self, note: voice_notes.Claimed) -> None:
        audio_url = next((a.get("url", "") for a in note.attachments or () if a.get("kind") == "voice"), None)
        if audio_url is None:  # erased, or past retention, before it was heard: nobody to answer
            async with self.sessions() as session, session.begin():
                await voice_notes.finish(session, note.note_id, "gone")
            return
        heard = await self._heard(note, audio_url)
        if heard is None:
            return  # tried again once the lease ends
        async with self.sessions() as session, session.begin():
            if not await voice_notes.still_there(session, note.message_id):
                # Erased while it was being heard: its words must not come back as a new message.
                await voice_notes.finish(session, note.note_id, "gone")
                return
        inbound = InboundMessage(
            channel=note.channel,
            address=note.address,
            provider_message_id=f"{note.provider_message_id or note.message_id}{SUFFIX}",
            text=heard.text if heard.outcome == "heard" else "",
            recipient=note.recipient,
            transcribed_from=note.message_id,
        )
        try:
            await self.hand_off(inbound)
        except (DBAPIError, OSError):
            log.warning("voice note %d: its transcript could not be handed on; tried again", note.note_id)
            return
        async with self.sessions() as session, session.begin():
            await voice_notes.finish(session, note.note_id)

    async def _heard(self, note: voice_notes.Claimed, url: str) -> Heard | None:
        """What the note said: heard before a crash, heard now, or (too many tries) the fallback."""
        if note.outcome is not None:
            return Heard(note.outcome, note.transcript or "", note.language)
        if note.tries > MAX_TRIES:
            log.error(
                "voice note %d failed %d times; the citizen is asked to type it", note.note_id, MAX_TRIES
            )
            heard = Heard("failed")
        else:
            name = name_of(url)
            stored = await self.media.get(name) if name is not None else None
            if stored is None:
                heard = Heard("unclear")  # not in our store (a provider's link we never kept)
            else:
                try:
                    heard = await self.transcriber.transcribe(stored.data)
                except Exception:
                    log.exception("voice note %d could not be heard (try %d)", note.note_id, note.tries)
                    if note.tries < MAX_TRIES:
                        return None
                    heard = Heard("failed")
            log.info(
                "voice note %d: %s, %.1f s, %s, confidence %.2f",
                note.note_id,
                heard.outcome,
                heard.seconds,
                heard.language,
                heard.confidence,
            )
        async with self.sessions() as session, session.begin():
            await voice_notes.keep_heard(
                session,
                note.note_id,
                outcome=heard.outcome,
                transcript=heard.text,
                language=heard.language,
                confidence=heard.confidence,
                seconds=heard.seconds,
            )
        return heard
