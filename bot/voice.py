"""Voice notes heard on the city's own machine: Whisper "base" (faster-whisper), Spanish or English only,
in a worker thread, a bounded number at once; `Transcriber` is the seam stories script."""

from __future__ import annotations

import functools
import importlib.util
import logging
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot import voice_audio
from bot.settings import Settings
from bot.threads import Bounded
from bot.voice_model import ModelRefused, assemble, check_wheels

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

RATE = voice_audio.RATE
MAX_COMPRESSION = 2.4  # a transcript that compresses this well repeats itself: a hallucination
# Words a citizen says about a street, besides the catalog's and the areas' names.
STREET_WORDS = {"es": "calle carrera avenida esquina cuadra", "en": "street avenue corner block"}
# The other language than the city's is chosen only with this probability and this many times the city's.
OTHER_LANGUAGE, OTHER_RATIO = 0.5, 4.0
HOT_WORD_CHARS = 300  # Whisper's prompt holds ~220 tokens; hot words beyond it would push out the audio's


@dataclass(frozen=True)
class Heard:
    """What a voice note said. `outcome`: heard | unclear (no speech, low confidence) | too_long."""

    outcome: str
    text: str = ""
    language: str | None = None
    confidence: float = 0.0
    seconds: float = 0.0


class Transcriber(Protocol):
    async def transcribe(self, audio: bytes) -> Heard: ...


def hot_words(settings: Settings, language: str) -> str:
    """The catalog's and the areas' names in this language, and street words: Whisper leans towards
    them ("macho" became "bache")."""
    names = [s.name.get(language) for s in settings.services.values()]
    names += [a.name.get(language) for a in settings.areas.values()]
    words: dict[str, None] = {}
    for word in " ".join([*names, STREET_WORDS.get(language, "")]).split():
        word = word.strip("(),.;:").lower()
        if len(word) > 3:
            words[word] = None
    return " ".join(words)[:HOT_WORD_CHARS].rsplit(" ", 1)[0]


def confidence(segments: list[Any]) -> float:
    """One number from Whisper's own doubts: the mean token probability (from avg_logprob, weighted by
    each segment's length) times the chance it was speech; zero for a transcript that repeats itself."""
    if not segments:
        return 0.0
    if any(s.compression_ratio > MAX_COMPRESSION for s in segments):
        return 0.0
    lengths = [max(s.end - s.start, 0.01) for s in segments]
    total = sum(lengths)
    logprob = sum(s.avg_logprob * n for s, n in zip(segments, lengths, strict=True)) / total
    no_speech = sum(s.no_speech_prob * n for s, n in zip(segments, lengths, strict=True)) / total
    return round(math.exp(float(logprob)) * (1 - float(no_speech)), 3)


class Whisper:
    """The real transcriber: the model assembled and loaded on first use, once per process."""

    def __init__(self, settings: Settings, threads: int = 1) -> None:
        self.settings = settings
        self.threads = threads
        self.bounded = Bounded(settings.voice.concurrency)
        self.hot_words = True  # off only to measure what they are worth (bench/voice.py)
        self._model: Any = None
        self._loading = threading.Lock()

    def model(self) -> Any:
        with self._loading:
            if self._model is None:
                from faster_whisper import WhisperModel  # type: ignore[import-untyped]

                folder = assemble(Path(self.settings.nlu.model_dir))
                self._model = WhisperModel(
                    str(folder), device="cpu", compute_type="int8", cpu_threads=self.threads
                )
            return self._model

    async def transcribe(self, audio: bytes) -> Heard:
        return await self.bounded.run(self.hear, audio)

    def hear(self, audio: bytes) -> Heard:
        """Blocking: length first, then speech only (voice-activity filter), es or en, then the words."""
        import av
        from faster_whisper.vad import (  # type: ignore[import-untyped]
            VadOptions,
            collect_chunks,
            get_speech_timestamps,
        )

        try:
            samples = voice_audio.samples(audio, self.settings.voice.max_seconds)
        except voice_audio.TooLong as long:
            return Heard("too_long", seconds=round(long.seconds, 1))
        except (av.FFmpegError, ValueError, IndexError) as exc:  # not audio, or no sound in it
            log.info("a voice note could not be decoded: %s", exc)
            return Heard("unclear")
        seconds = len(samples) / RATE
        chunks, _ = collect_chunks(samples, get_speech_timestamps(samples, VadOptions()))
        speech = _joined(chunks)
        if speech is None:
            return Heard("unclear", seconds=round(seconds, 1))
        model = self.model()
        language = _spanish_or_english(model, speech, self.settings.city.default_language)
        segments, _ = model.transcribe(
            speech,
            language=language,
            hotwords=hot_words(self.settings, language) if self.hot_words else None,
            temperature=0.0,  # no slower retries at higher temperatures: a doubtful note is typed
            condition_on_previous_text=False,
            vad_filter=False,  # done above, once
        )
        found = list(segments)
        text = " ".join(s.text.strip() for s in found).strip()
        sure = confidence(found)
        outcome = "heard" if text and sure >= self.settings.voice.min_confidence else "unclear"
        return Heard(outcome, text, language, sure, round(seconds, 1))


def _joined(chunks: list[Any]) -> np.ndarray | None:
    import numpy as np

    if not chunks:
        return None
    speech = np.concatenate(chunks, axis=0)
    return speech if len(speech) >= RATE // 4 else None  # under a quarter second is no sentence


def _spanish_or_english(model: Any, speech: np.ndarray, default: str) -> str:
    """The city's language unless the other is plainly likelier: left to itself, Whisper heard synthetic
    Spanish as Latin, and a short Spanish note often scores higher as English than as Spanish (up to 0.24
    against 0.06) while English notes score 0.73-0.96 (docs/voice.md)."""
    _, _, ranked = model.detect_language(speech)
    scores = dict(ranked)
    other = "en" if default == "es" else "es"
    likely = scores.get(other, 0.0)
    return other if likely >= OTHER_LANGUAGE and likely >= OTHER_RATIO * scores.get(default, 0.0) else default


@functools.cache  # installing the extra takes a restart anyway
def installed() -> bool:
    """Whether the `voice` extra is installed (without importing it: that takes a moment)."""
    return importlib.util.find_spec("faster_whisper") is not None


def switched_on(settings: Settings) -> bool:
    """Whether the city takes voice notes: the extra is installed and `voice.enabled`. The web chat offers
    its microphone on this; `available` checks the weights too before anything is heard."""
    return settings.voice.enabled and installed()


def available(settings: Settings) -> Whisper | None:
    """The transcriber when `voice.enabled` and the extra is installed with the reviewed weights; else
    None, and voice notes get the old answer ("type it, please")."""
    if not switched_on(settings):
        return None
    try:
        import av  # noqa: F401
        import faster_whisper  # noqa: F401
    except ImportError:
        log.info("voice notes are not transcribed: the `voice` extra is not installed")
        return None
    try:
        check_wheels()
    except (ModelRefused, OSError) as exc:
        log.error("voice notes are not transcribed: %s", exc)
        return None
    return Whisper(settings)
