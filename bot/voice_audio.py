"""A voice note's sound, read within its limit: its length from the header first, then decoded to what
Whisper hears (16 kHz mono) only up to `max_seconds` — a file whose header claims 5 s but holds an hour is
stopped at the limit, not decoded whole (230 MB of samples) and heard for ten minutes."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

RATE = 16_000  # what Whisper hears: mono 16 kHz


class TooLong(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"{seconds:.0f} s")
        self.seconds = seconds


def declared_seconds(audio: bytes) -> float | None:
    """The length the container's header gives, if any."""
    import av

    with av.open(io.BytesIO(audio), mode="r", metadata_errors="ignore") as container:
        return float(container.duration) / 1_000_000 if container.duration else None


def samples(audio: bytes, limit: float) -> np.ndarray:
    """Mono 16 kHz float samples; `TooLong` as soon as there are more than `limit` seconds of them."""
    import av
    import numpy as np

    declared = declared_seconds(audio)
    if declared is not None and declared > limit:
        raise TooLong(declared)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    chunks: list[np.ndarray] = []
    count = 0
    with av.open(io.BytesIO(audio), mode="r", metadata_errors="ignore") as container:
        for frame in container.decode(audio=0):
            for piece in resampler.resample(frame):
                chunk = piece.to_ndarray().reshape(-1)
                chunks.append(chunk)
                count += len(chunk)
            if count > limit * RATE:
                raise TooLong(count / RATE)
        for piece in resampler.resample(None):
            chunks.append(piece.to_ndarray().reshape(-1))
    if not chunks:
        raise ValueError("no sound in the file")
    return np.concatenate(chunks).astype(np.float32) / 32768.0
