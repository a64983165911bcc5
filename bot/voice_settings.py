"""The voice-note settings (`voice:`, issue 18): how long a note may be, how many are transcribed at once,
and how sure the transcription must be before the bot acts on it. Installing the `voice` extra switches
transcription on; `enabled: false` switches it off again."""

from __future__ import annotations

from pydantic import Field

from bot.settings_base import Strict


class Voice(Strict):
    """`voice:`: transcription of voice notes on this machine (docs/voice.md)."""

    enabled: bool = True  # only takes effect when the `voice` extra is installed
    max_seconds: int = Field(120, ge=5, le=900)  # longer notes get the fallback, never transcribed
    concurrency: int = Field(1, ge=1, le=16)  # notes transcribed at once in one process (each takes a core)
    # Below this (bot/voice.py: confidence) the citizen is asked to type it. From measured clips
    # (docs/voice.md): espeak speech heard well scored 0.48-0.82, garbled transcripts 0.30-0.39; noise,
    # a tone and silence have no speech at all after the voice-activity filter.
    min_confidence: float = Field(0.45, ge=0.0, le=1.0)
    # Issue 19: a preferential or "más simple" citizen who sent a voice note may hear the answer as a short
    # voice note too, made on this machine (espeak-ng); off unless the city turns it on. Text always goes.
    reply_aloud: bool = False
