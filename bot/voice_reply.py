"""A short spoken answer to a voice note (issue 19): for a citizen who finds the chat hard (preferential,
or asked for "más simple"), the answer to a voice note also comes as a voice note, made on this machine.

It follows the turn's text replies, which are committed and queued before it is made: the audio is an
addition and never holds the text back. It is one more bot reply, with no text and the audio as its
attachment, so it leaves through the outbox (or the web chat's poll) in order after the text, is played
in the inbox, and is retained and erased with the citizen's other media."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot import voice_speech
from bot.history import Outcome
from bot.messages import InboundMessage, OutboundMessage
from bot.settings import Settings
from bot.texts import text
from connectors.channels import channel as channel_of
from storage import voice_replies
from storage.engine import AsyncSession, async_sessionmaker
from storage.media import MediaStore, new_name, url_of
from storage.preferential import wants_plain

log = logging.getLogger(__name__)


def to_speak(replies: Sequence[OutboundMessage]) -> str:
    """What is said aloud: the replies but the echo of what was heard (it says back the citizen's own
    words), with their choices, shortened (bot/voice_speech.py: MAX_CHARACTERS)."""
    said: list[str] = []
    for reply in replies:
        echo = text("voice_heard", reply.language, heard="").rstrip("»”")
        if not reply.text.strip() or reply.text.startswith(echo):
            continue
        said.append(reply.text.strip())
        if reply.buttons:
            said.append(", ".join(b.title for b in reply.buttons) + ".")
    return voice_speech.shortened(" ".join(said))


class Speaker:
    """Adds the spoken answer after a transcript's turn; one note is made at a time in a process."""

    def __init__(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession], media: MediaStore
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.media = media
        self._one_at_a_time = asyncio.Semaphore(1)

    def may_speak(self, inbound: InboundMessage, outcome: Outcome) -> bool:
        """The city turned it on, a voice note brought the message, the turn (not a replay) said
        something, the channel plays audio and a voice can be made here."""
        return (
            self.settings.voice.reply_aloud
            and inbound.transcribed_from is not None
            and not outcome.duplicate
            and not outcome.erased
            and outcome.message_id is not None
            and bool(outcome.replies)
            and channel_of(inbound.channel).plays_audio  # not SMS (no audio), not e-mail (not a chat)
            and voice_speech.available()
        )

    async def follow(self, inbound: InboundMessage, outcome: Outcome) -> None:
        """Speak the turn's answer if it should be; a failure is logged, the text has gone anyway."""
        if not self.may_speak(inbound, outcome) or outcome.message_id is None:
            return
        try:
            await self._speak(inbound, outcome.message_id, outcome.replies)
        except Exception:  # never the hand-off's failure: that would hear the note again
            log.exception("spoken answer to message %d not made", outcome.message_id)

    async def _speak(
        self, inbound: InboundMessage, message_id: int, replies: Sequence[OutboundMessage]
    ) -> None:
        async with self.sessions() as session:
            found = await voice_replies.answered(session, message_id)
        if found is None or not wants_plain(found.citizen):
            return
        words = to_speak(replies)
        if not words:
            return
        language = replies[0].language
        async with self._one_at_a_time:
            audio = await asyncio.to_thread(voice_speech.speak, words, language)
        name = new_name(voice_speech.CONTENT_TYPE)
        await self.media.put(name, audio, voice_speech.CONTENT_TYPE)
        attachment = {"url": url_of(name), "content_type": voice_speech.CONTENT_TYPE, "kind": "voice"}
        async with self.sessions() as session, session.begin():
            found = await voice_replies.answered(session, message_id)
            if found is not None:
                await voice_replies.add_spoken_reply(
                    session,
                    found.message,
                    attachment,
                    language=language,
                    synchronous=channel_of(inbound.channel).synchronous,
                    sender=inbound.recipient,
                )
        if found is None:  # erased while it was being made: nothing of theirs is kept
            await self.media.delete(name)
