"""Voice notes recorded on the web chat page: whether the page offers the microphone, and keeping one.

The page offers it only when a note can be understood here: the `voice` extra is installed (its
transcriber imports) and `voice.enabled` is on. An upload is kept only after `connectors.audio` has read
it as the audio it claims to be, within `voice.max_seconds`, in the same quotas as photos.
"""

from __future__ import annotations

import hashlib
import logging

from bot.messages import Attachment
from bot.settings import Settings
from bot.voice import switched_on
from connectors import audio, media
from connectors.errors import BadInput
from connectors.static import StaticFile
from storage.media import MediaStore

log = logging.getLogger(__name__)

# A browser's recorder makes Opus at about 32 kbit/s or AAC at up to 256 kbit/s: 32 kB a second of the
# longest note allowed, plus its headers, is room enough for any of them and no more.
BYTES_A_SECOND = 32_000
HEADROOM = 64 * 1024


def most_bytes(settings: Settings) -> int:
    """The largest voice note upload taken, in bytes."""
    return min(settings.server.max_upload_bytes, settings.voice.max_seconds * BYTES_A_SECOND + HEADROOM)


def configured(page: StaticFile, settings: Settings) -> StaticFile:
    """The chat page telling its script the longest note it may record, 0 when it offers no microphone."""
    seconds = settings.voice.max_seconds if switched_on(settings) else 0
    body = page.body.replace(b'data-voice-seconds="0"', f'data-voice-seconds="{seconds}"'.encode(), 1)
    return StaticFile(body, page.content_type, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')


async def keep(store: MediaStore, settings: Settings, data: bytes, declared_type: str) -> Attachment:
    """Keep the note if it is one; `BadInput` (nothing kept) if it is not, or is too long."""
    if not switched_on(settings):
        raise BadInput("voice_off", "error_voice_off")
    try:
        note = await audio.check(data, declared_type, settings.voice.max_seconds)
    except audio.TooLong as exc:
        raise BadInput("voice_too_long", "error_voice_too_long", seconds=settings.voice.max_seconds) from exc
    except audio.NotAudio as exc:
        log.info("web chat voice note refused: %s", exc)
        raise BadInput("bad_voice", "error_bad_voice") from exc
    return await media.keep(store, data, note.content_type, "voice")
