"""Whatever bytes arrive as a voice note, the check answers "this note" or "not audio", never crashes:
real notes cut anywhere, flipped anywhere, and forged headers (connectors/audio.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from connectors import audio
from tests.support.recorded_voice import FORMATS, recorded


@pytest.mark.parametrize("content_type", list(FORMATS))
async def test_a_damaged_note_is_a_note_or_refused_never_a_crash(content_type: str, tmp_path: Path) -> None:
    note = recorded("hay basura en la esquina", content_type, tmp_path)
    rng = random.Random(18)
    damaged = [note[:cut] for cut in sorted(rng.sample(range(1, len(note)), 60))]
    for _ in range(60):
        flipped = bytearray(note)
        for at in rng.sample(range(len(note)), 3):
            flipped[at] ^= 1 << rng.randrange(8)
        damaged.append(bytes(flipped))
    outcomes = set()
    for data in damaged:
        try:
            await audio.check(data, content_type, 120)
            outcomes.add("kept")
        except audio.NotAudio:
            outcomes.add("refused")
    assert "refused" in outcomes  # and nothing else was raised


WEBM_HEADER = bytes.fromhex("1a45dfa3 87 4282 84") + b"webm" + bytes.fromhex("18538067 01ffffffffffffff")


@pytest.mark.parametrize(
    ("declared", "forged"),
    [
        # An EBML header with a 3-byte element id where the doc type is looked for.
        ("audio/webm", bytes.fromhex("1a45dfa3 86 2ad7b1 81 01") + b"\x00"),
        # A WebM header, then a million tiny elements: refused after the first hundred thousand.
        ("audio/webm", WEBM_HEADER + b"\xbf\x80" * 1_000_000),
        ("audio/webm", b"\x1a\x45\xdf\xa3"),  # the magic alone
        ("audio/ogg", b"OggS" + b"\x00" * 23),  # a page header and nothing else
        ("audio/mp4", b"\x00\x00\x00\x01ftyp" + b"\x00" * 4),  # a 64-bit box size, cut
        ("audio/mp4", b"\x00\x00\x00\x08ftyp" * 200_000),  # a box a hundred thousand times
    ],
)
async def test_forged_headers_are_refused(declared: str, forged: bytes) -> None:
    with pytest.raises(audio.NotAudio):
        await audio.check(forged, declared, 120)
