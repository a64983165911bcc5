"""Speech made on this machine (issue 19): espeak-ng says a short text, PyAV makes it an OGG/Opus voice
note, the format WhatsApp and Telegram use for theirs. No network, no model to download.

Synchronous and CPU-bound: call `speak` in a worker thread (bot/voice_reply.py does)."""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

CONTENT_TYPE = "audio/ogg"
# espeak-ng voices: Latin American Spanish (the cities this serves first), American English.
VOICES = {"es": "es-419", "en": "en-us"}
# Words a minute. espeak-ng's default, 175, runs together for older listeners; 135 is slow but not odd.
SPEED = 135
# The longest text spoken: about 20 seconds at SPEED (measured: 10-11 characters a second,
# bench/speech.py). Longer answers are cut at the end of a sentence; the text message carries everything.
MAX_CHARACTERS = 220
TIMEOUT = 20.0  # seconds espeak-ng may take; it says MAX_CHARACTERS in well under one
OPUS_BITRATE = 24_000  # speech needs no more; a 20-second note is about 60 kB
ESPEAK = "espeak-ng"  # looked up on PATH each time, so installing it later needs only a restart

# What a listener gains nothing from hearing: emoji and pictographs, and the quotes of the echo.
_UNSPOKEN = re.compile('[\u2190-\u2bff\U0001f000-\U0001faff\ufe0f\u200d«»“”"*_]')
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


class SpeechFailed(Exception):
    """espeak-ng or the encoder did not make a note (the text reply has gone anyway)."""


def engine() -> str | None:
    """The espeak-ng program, when installed."""
    return shutil.which(ESPEAK)


def available() -> bool:
    """Whether a note can be made here: espeak-ng on PATH and PyAV (the `voice` extra) importable."""
    return engine() is not None and importlib.util.find_spec("av") is not None


def shortened(text: str, limit: int = MAX_CHARACTERS) -> str:
    """`text` without what is not spoken, cut after the last sentence that fits in `limit` characters
    (or at a space, if even the first sentence is longer)."""
    plain = " ".join(_UNSPOKEN.sub(" ", text).split())
    if len(plain) <= limit:
        return plain
    kept = ""
    for sentence in _SENTENCE_END.split(plain):
        joined = f"{kept} {sentence}".strip()
        if len(joined) > limit:
            break
        kept = joined
    if kept:
        return kept
    cut = plain.rfind(" ", 0, limit)
    return plain[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "."


def speak(text: str, language: str) -> bytes:
    """`text` spoken in `language` ("es" or "en"), as OGG/Opus bytes; SpeechFailed if it cannot be."""
    program = engine()
    if program is None:
        raise SpeechFailed("espeak-ng is not installed")
    with tempfile.TemporaryDirectory(prefix="ventanilla-speech-") as folder:
        path = Path(folder) / "said.wav"
        try:
            # The text goes on stdin, never as an argument: a reply that starts with "-" is no option.
            subprocess.run(
                [
                    program,
                    "-v",
                    VOICES.get(language, VOICES["es"]),
                    "-s",
                    str(SPEED),
                    "-b",
                    "1",
                    "-w",
                    str(path),
                ],
                input=text.encode("utf-8"),
                check=True,
                capture_output=True,
                timeout=TIMEOUT,
            )
            with wave.open(str(path)) as wav:
                rate, width = wav.getframerate(), wav.getsampwidth()
                pcm = wav.readframes(wav.getnframes())
        except (OSError, subprocess.SubprocessError, wave.Error, EOFError) as exc:
            raise SpeechFailed(f"espeak-ng: {type(exc).__name__}: {exc}") from exc
    if width != 2 or not pcm:
        raise SpeechFailed(f"espeak-ng made {len(pcm)} bytes of {width * 8}-bit audio")
    return _ogg_opus(pcm, rate)


def _ogg_opus(pcm: bytes, rate: int) -> bytes:
    """16-bit mono PCM at `rate` as OGG/Opus (48 kHz inside, as Opus requires; PyAV resamples)."""
    import av  # the `voice` extra; `available()` said it is there
    import numpy as np

    out = io.BytesIO()
    try:
        with av.open(out, "w", format="ogg") as container:
            stream = container.add_stream("libopus", rate=48_000)
            stream.layout = "mono"
            stream.bit_rate = OPUS_BITRATE
            samples = np.frombuffer(pcm, dtype="<i2").reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
            for packet in stream.encode(None):
                container.mux(packet)
    except (av.FFmpegError, ValueError) as exc:
        raise SpeechFailed(f"encoding: {exc}") from exc
    return out.getvalue()
