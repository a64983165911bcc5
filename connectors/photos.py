"""Photos citizens send, made safe to keep and show: decoded and drawn again, never stored as received.

A file that merely starts like a JPEG may be a polyglot (an image that is also HTML or a script), and a
phone's photo carries EXIF: the camera, the time, often the GPS position of the citizen's home. Pillow
decodes the picture and encodes only its pixels again, so nothing else survives; the GPS position is read
first, so it can be offered to the citizen as the place instead of being published.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.threads import Bounded

FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP"})
MAX_SIDE = 2560  # pixels on the long side kept: enough to read a sign, a fraction of a phone's original
JPEG_QUALITY = 85
GPS_IFD = 0x8825
# Photos decoded at once in this process, whichever channel sent them: each may take a few hundred MB
# and a core for a moment.
WORK = Bounded(2)


class NotAPhoto(ValueError):
    """The bytes are not a photo this service takes (unknown format, broken, or too many pixels)."""


@dataclass(frozen=True, slots=True)
class Photo:
    data: bytes
    extension: str
    content_type: str
    gps: tuple[float, float] | None  # (latitude, longitude) the camera recorded, if any


def clean(data: bytes, max_pixels: int) -> Photo:
    """Decode `data` and encode it again (JPEG, or PNG when it has transparency), upright, at most
    `MAX_SIDE` pixels on its long side, with no metadata. Raise `NotAPhoto` for anything else."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise NotAPhoto(f"format {image.format}")
            width, height = image.size
            if width * height > max_pixels:
                raise NotAPhoto(f"{width}x{height} pixels")
            gps = _gps(image.getexif())
            image.seek(0)  # an animation keeps its first frame
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            return _encode(upright, gps)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, NotAPhoto):
            raise
        raise NotAPhoto(str(exc)) from exc


async def clean_in_turn(data: bytes, max_pixels: int) -> Photo:
    """`clean` in a worker thread, at most `WORK`'s number at once in this process."""
    return await WORK.run(clean, data, max_pixels)


def _encode(image: Image.Image, gps: tuple[float, float] | None) -> Photo:
    out = io.BytesIO()
    if _transparent(image):
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        return Photo(out.getvalue(), "png", "image/png", gps)
    image.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return Photo(out.getvalue(), "jpg", "image/jpeg", gps)


def _transparent(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)


def _gps(exif: Image.Exif) -> tuple[float, float] | None:
    """The camera's position from EXIF (degrees, minutes, seconds and N/S, E/W), None if absent or odd."""
    try:
        tags = exif.get_ifd(GPS_IFD)
        latitude = _degrees(tags[2], tags[1], "S")
        longitude = _degrees(tags[4], tags[3], "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude, longitude) == (0.0, 0.0):
        return None
    return round(latitude, 6), round(longitude, 6)


def _degrees(parts: Any, reference: Any, negative: str) -> float:
    degrees, minutes, seconds = (float(Fraction(p)) if not isinstance(p, float) else p for p in parts)
    value = degrees + minutes / 60 + seconds / 3600
    ref = reference.decode() if isinstance(reference, bytes) else str(reference)
    return -value if ref.strip().upper() == negative else value
