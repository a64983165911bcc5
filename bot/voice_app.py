"""The voice part of the app: the transcriber (when the extra is installed and `voice.enabled`) and the
worker that hears queued notes, both in the app's cleanup context."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from bot import voice
from bot.appkeys import MEDIA, PIPELINE, SESSIONS, SETTINGS
from bot.history import Outcome
from bot.messages import InboundMessage
from bot.voice_notes import VoiceNotes
from bot.voice_reply import Speaker
from storage import voice_notes

TRANSCRIBER = web.AppKey("transcriber", voice.Transcriber)
WORKER = web.AppKey("voice_notes", VoiceNotes)


def transcriber_ctx(given: voice.Transcriber | None) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        # A given one (tests' scripted transcriber) is used whatever is installed; else Whisper, when it
        # may be (checking the weights' hashes reads 145 MB: off the loop). The model loads on first use.
        found = given if given is not None else await asyncio.to_thread(voice.available, app[SETTINGS])
        if found is not None and app[SETTINGS].voice.enabled:
            app[TRANSCRIBER] = found
        yield

    return ctx


async def worker_ctx(app: web.Application) -> AsyncIterator[None]:
    """Hears queued notes beside the webhooks; woken by the commit that queued one."""
    transcriber = app.get(TRANSCRIBER)
    if transcriber is None:
        yield
        return

    speaker = Speaker(app[SETTINGS], app[SESSIONS], app[MEDIA])

    async def hand_off(message: InboundMessage) -> Outcome:
        outcome = await app[PIPELINE].handle(message)  # committed: the text replies are on their way
        await speaker.follow(message, outcome)  # issue 19: a spoken answer after them, when it should
        return outcome

    worker = VoiceNotes(app[SESSIONS], app[MEDIA], transcriber, hand_off)
    stop_waking = voice_notes.when_queued(app[SESSIONS], worker.wake)
    app[WORKER] = worker
    task = asyncio.create_task(worker.run(), name="voice-notes")
    try:
        yield
    finally:
        stop_waking()
        worker.stop()
        task.cancel()  # a note being heard is heard again by the next worker once its lease ends
        with contextlib.suppress(asyncio.CancelledError):
            await task
