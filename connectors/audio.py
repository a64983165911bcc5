"""Whether uploaded bytes really are a voice note in the container their type declares (WebM, Ogg, MP4).

A browser's recorder says what it made (`audio/webm;codecs=opus`, `audio/ogg`, `audio/mp4`); a script can
say the same of an HTML page. So the bytes are read as that container before anything is kept: the magic
bytes (EBML `1A45DFA3` with doc type `webm`, `OggS`, an `ftyp` box first), then every element, page or
box up to the last byte, so nothing rides along after the audio. Then PyAV (which the `voice`
extra brings) demuxes it: one audio stream or more, no video, no longer than allowed.
"""

from __future__ import annotations

import asyncio
import io
import struct
from dataclasses import dataclass

TYPES = ("audio/webm", "audio/ogg", "audio/mp4")
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
SEGMENT_ID = b"\x18\x53\x80\x67"
DOC_TYPE_ID = 0x4282
# An Ogg stream's first page names its codec; a recorder makes Opus (Firefox, Chromium) or Vorbis.
OGG_AUDIO = (b"OpusHead", b"\x01vorbis")
# A recorder writes a block of 20-60 ms of Opus at a time (Ogg pages and MP4 fragments are fewer): 15
# minutes (the most `voice.max_seconds` allows) are under 50,000 blocks and their clusters. A forged file
# of tiny elements stops here, in a tenth of a second, instead of walking millions.
MOST_ELEMENTS = 100_000
# Rounding at the recorder's end (its timer and the last packet) is not a longer note.
GRACE_SECONDS = 2.0


class NotAudio(ValueError):
    """The bytes are not a voice note of the declared type; the message says why, for the log."""


@dataclass(frozen=True)
class VoiceNote:
    content_type: str  # one of TYPES, without codec parameters
    seconds: float


def declared(content_type: str) -> str:
    """`audio/webm;codecs=opus` → `audio/webm`; a type we do not take → NotAudio."""
    base = content_type.split(";")[0].strip().lower()
    if base not in TYPES:
        raise NotAudio(f"type {base[:40]!r} is not a voice note we take")
    return base


def container(data: bytes) -> str:
    """The declared type these bytes' structure matches; NotAudio if none."""
    if data.startswith(EBML_MAGIC):
        _webm(data)
        return "audio/webm"
    if data.startswith(b"OggS"):
        _ogg(data)
        return "audio/ogg"
    if data[4:8] == b"ftyp":
        _mp4(data)
        return "audio/mp4"
    raise NotAudio("no audio container's magic bytes")


def _vint(data: bytes, at: int, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `at`: its value and where the next field starts."""
    if at >= len(data) or data[at] == 0:
        raise NotAudio("broken EBML length")
    length = 8 - data[at].bit_length() + 1
    raw = data[at : at + length]
    if len(raw) < length:
        raise NotAudio("truncated EBML")
    value = int.from_bytes(raw, "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    return value, at + length


def _webm(data: bytes) -> None:
    """The EBML header says `webm`, and the Segment follows it (a recording's Segment has no size yet)."""
    size, start = _vint(data, len(EBML_MAGIC), keep_marker=False)
    end = start + size
    if end > len(data) or size > 256:
        raise NotAudio("EBML header too long or cut")
    at, doc_type = start, b""
    while at < end:
        element, at = _vint(data, at, keep_marker=True)
        length, at = _vint(data, at, keep_marker=False)
        if element == DOC_TYPE_ID:
            doc_type = data[at : at + length]
        at += length
    if doc_type != b"webm" or data[end : end + 4] != SEGMENT_ID:
        raise NotAudio("EBML but not a WebM segment")
    _elements(data, end)


def _elements(data: bytes, at: int) -> None:
    """Every byte from `at` belongs to an element. A recorder writes the Segment and its Clusters before
    it knows their size (all ones): their children are read in place; a known size is skipped whole."""
    for _ in range(MOST_ELEMENTS):
        if at >= len(data):
            break
        element, at = _vint(data, at, keep_marker=True)
        if element > 0xFFFFFFFF:
            raise NotAudio("not an EBML element id")
        marker = at
        size, at = _vint(data, at, keep_marker=False)
        if size != (1 << (7 * (at - marker))) - 1:  # all ones: unknown, its children follow
            at += size
    if at != len(data):
        raise NotAudio("WebM element cut short, or too many elements")


def _ogg(data: bytes) -> None:
    at = 0
    for _ in range(MOST_ELEMENTS):
        if at >= len(data):
            break
        if data[at : at + 4] != b"OggS" or at + 27 > len(data) or data[at + 4] != 0:
            raise NotAudio(f"not an Ogg page at byte {at}")
        segments = data[at + 26]
        table = data[at + 27 : at + 27 + segments]
        body = at + 27 + segments
        if at == 0 and not data[body : body + 8].startswith(OGG_AUDIO):
            raise NotAudio("Ogg, but not Opus or Vorbis")
        at = body + sum(table)
    if at != len(data):
        raise NotAudio("Ogg page cut short, or too many pages")


def _mp4(data: bytes) -> None:
    at = 0
    for _ in range(MOST_ELEMENTS):
        if at >= len(data):
            break
        if at + 8 > len(data):
            raise NotAudio("MP4 box cut short")
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        if not (kind.isascii() and kind.decode("ascii").isprintable()):
            raise NotAudio(f"not an MP4 box at byte {at}")
        if size == 1:
            size = struct.unpack(">Q", data[at + 8 : at + 16])[0] if at + 16 <= len(data) else 0
        elif size == 0:
            size = len(data) - at
        if size < 8 or at + size > len(data):
            raise NotAudio(f"MP4 box of a wrong size at byte {at}")
        at += size
    if at != len(data):
        raise NotAudio("too many MP4 boxes")


def _demux(data: bytes) -> float:
    """Seconds of audio, read packet by packet without decoding; NotAudio if PyAV cannot read it as audio."""
    import av  # the `voice` extra's; only called when voice notes are on

    try:
        with av.open(io.BytesIO(data), mode="r") as media:
            if not media.streams.audio or media.streams.video:
                raise NotAudio("no audio stream, or a video stream")
            stream = media.streams.audio[0]
            last = 0.0
            for packet in media.demux(stream):
                if packet.pts is not None and packet.time_base is not None:
                    last = max(last, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            return last
    except av.FFmpegError as exc:
        raise NotAudio(f"PyAV cannot read it: {exc}") from exc


async def check(data: bytes, content_type: str, max_seconds: int) -> VoiceNote:
    """The voice note these bytes are, if they are the declared container and short enough. In a thread:
    walking and demuxing a few megabytes takes tens of milliseconds the event loop must not wait."""
    wanted = declared(content_type)
    found, seconds = await asyncio.to_thread(_read, data)
    if found != wanted:
        raise NotAudio(f"declared {wanted}, the bytes are {found}")
    if seconds > max_seconds + GRACE_SECONDS:
        raise TooLong(seconds)
    return VoiceNote(found, seconds)


def _read(data: bytes) -> tuple[str, float]:
    found = container(data)
    return found, _demux(data)


class TooLong(NotAudio):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"{seconds:.1f} s")
        self.seconds = seconds
