"""A story's voice note: sent as Telegram or WhatsApp hand one over (kept in the media store, kind
"voice"), then heard by the real voice-note worker with a scripted transcriber at the seam."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from bot.history import Outcome
from bot.messages import Attachment, InboundMessage, OutboundMessage
from bot.pipeline import Pipeline
from bot.voice_notes import VoiceNotes
from storage.media import new_name, url_of
from storage.stores import open_store
from tests.support.scripted_voice import ScriptedTranscriber

if TYPE_CHECKING:
    from tests.support.stories import StoryTurn

_ids = itertools.count(1)


async def send(pipeline: Pipeline, channel: str, address: str, turn: StoryTurn) -> list[OutboundMessage]:
    """The replies the citizen gets: to the note at once (none, normally), then to what was heard."""
    assert turn.voice is not None
    pipeline.listens = True
    transcriber = ScriptedTranscriber()
    transcriber.will_hear(turn.voice, confidence=turn.voice_confidence)
    async with open_store(pipeline.settings) as store:
        name = new_name("audio/ogg")
        await store.put(name, b"OggS story note", "audio/ogg")
        note = InboundMessage(
            channel=channel,
            address=address,
            provider_message_id=f"story-voice-{next(_ids)}",
            attachments=(Attachment(url_of(name), "audio/ogg", "voice"),),
        )
        replies = list((await pipeline.handle(note)).replies)
        handed: list[Outcome] = []

        async def hand_off(message: InboundMessage) -> Outcome:
            handed.append(await pipeline.handle(message))
            return handed[-1]

        await VoiceNotes(pipeline.sessions, store, transcriber, hand_off).pass_once()
    return replies + [reply for outcome in handed for reply in outcome.replies]
