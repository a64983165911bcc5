"""Voice notes as browsers record them, made on the spot: espeak-ng speaks, PyAV packs WebM, Ogg or MP4.

Both come with the `voice` extra and CI's espeak-ng; without them the tests that need a note are skipped
(CI fails instead, as for Chromium)."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

# (container PyAV writes, codec, sample rate): what Chromium and Firefox (WebM or Ogg, Opus) and Safari
# (MP4, AAC) send.
FORMATS = {
    "audio/webm": ("webm", "libopus", 48_000),
    "audio/ogg": ("ogg", "libopus", 48_000),
    "audio/mp4": ("mp4", "aac", 44_100),
}


def need_voice_tools() -> None:
    missing = [name for name in ("espeak-ng",) if shutil.which(name) is None]
    if not all(importlib.util.find_spec(module) for module in ("av", "faster_whisper")):
        missing.append("the voice extra")
    if missing:
        if os.environ.get("CI", "").lower() in {"true", "1"}:
            pytest.fail(f"CI needs {', '.join(missing)} (.ci/run installs them)")
        pytest.skip(f"{', '.join(missing)} not installed here")


def spoken_wav(text: str, folder: Path, voice: str = "es-419") -> Path:
    """A WAV file of `text` said by espeak-ng."""
    need_voice_tools()
    path = folder / f"spoken-{abs(hash((text, voice)))}.wav"
    if not path.exists():
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True, capture_output=True)
    return path


def recorded(text: str, content_type: str, folder: Path) -> bytes:
    """`text` spoken and packed as a browser's recorder packs it."""
    import av

    container, codec, rate = FORMATS[content_type]
    out = io.BytesIO()
    with av.open(str(spoken_wav(text, folder))) as source, av.open(out, mode="w", format=container) as note:
        stream = note.add_stream(codec, rate=rate)
        assert isinstance(stream, av.AudioStream)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        for frame in [*source.decode(audio=0), None]:
            for resampled in resampler.resample(frame):
                note.mux(stream.encode(resampled))
        note.mux(stream.encode(None))
    return out.getvalue()
