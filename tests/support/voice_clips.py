"""Voice notes for tests and the bench: espeak-ng speech (Spanish of Latin America, English), noise and a
tone, encoded as a phone sends them (OGG/Opus, mono 16 kHz)."""

from __future__ import annotations

import io
import subprocess
import tempfile
import wave
from pathlib import Path

import av
import numpy as np

RATE = 16_000
VOICES = {"es": "es-419", "en": "en-us"}


def spoken(text: str, language: str = "es", speed: int = 130) -> np.ndarray:
    """espeak-ng saying `text`, as mono 16 kHz float samples."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "said.wav"
        subprocess.run(
            ["espeak-ng", "-v", VOICES[language], "-s", str(speed), "-w", str(path), text],
            check=True,
            capture_output=True,
        )
        with wave.open(str(path)) as wav:
            rate = wav.getframerate()
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    samples = pcm.astype(np.float32) / 32768
    if rate != RATE:  # espeak-ng speaks at 22.05 kHz: linear resampling is plenty for a test voice
        grid = np.arange(0, len(samples), rate / RATE)
        samples = np.interp(grid, np.arange(len(samples)), samples).astype(np.float32)
    return samples


def noise(seconds: float, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 0.3, int(RATE * seconds)).astype(np.float32)


def tone(seconds: float, hertz: float = 440.0) -> np.ndarray:
    return (0.5 * np.sin(2 * np.pi * hertz * np.arange(int(RATE * seconds)) / RATE)).astype(np.float32)


def ogg_opus(samples: np.ndarray) -> bytes:
    """OGG/Opus as Telegram and WhatsApp send voice notes (48 kHz inside, as Opus requires)."""
    return _opus(samples, "ogg", {})


def webm_recording(samples: np.ndarray) -> bytes:
    """WebM/Opus as a browser's MediaRecorder writes it: a live stream, its header claims no length."""
    return _opus(samples, "webm", {"live": "1"})


def _opus(samples: np.ndarray, form: str, options: dict[str, str]) -> bytes:
    out = io.BytesIO()
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    with av.open(out, "w", format=form, options=options) as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()
