"""A note's sound is read within its limit, whatever its header claims (no model needed)."""

from __future__ import annotations

import av
import pytest

from bot.voice_audio import RATE, TooLong, declared_seconds, samples
from tests.support.voice_clips import ogg_opus, tone, webm_recording


def test_a_note_is_decoded_to_what_whisper_hears() -> None:
    heard = samples(webm_recording(tone(3)), limit=20)
    assert abs(len(heard) / RATE - 3) < 0.1 and heard.dtype.name == "float32"


def test_a_long_note_is_refused_from_its_header_before_any_decoding() -> None:
    note = ogg_opus(tone(30))
    assert declared_seconds(note) == pytest.approx(30, abs=0.1)
    with pytest.raises(TooLong) as refused:
        samples(note, limit=20)
    assert refused.value.seconds == pytest.approx(30, abs=0.1)


def test_a_note_claiming_no_length_is_decoded_only_up_to_the_limit() -> None:
    # A browser's recording says nothing of its length; a crafted file may lie. Either way decoding stops
    # just past the limit: an hour is never decoded whole nor heard.
    note = webm_recording(tone(30))
    assert declared_seconds(note) is None
    with pytest.raises(TooLong) as refused:
        samples(note, limit=20)
    assert 20 < refused.value.seconds < 21


@pytest.mark.parametrize("junk", [b"", b"OggS" + bytes(300), b"not audio at all" * 50])
def test_what_is_not_audio_is_refused_as_such(junk: bytes) -> None:
    with pytest.raises((av.FFmpegError, ValueError, IndexError)):
        samples(junk, limit=20)
