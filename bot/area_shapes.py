"""How an area holds a case's place (issue 19): a point inside a polygon the city drew, or one of the
neighbourhood names it listed said as whole words in the case's address (folded: no accents, any case)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.words import fold

Point = tuple[float, float]  # latitude, longitude


def inside_polygon(latitude: float, longitude: float, polygon: Sequence[Point]) -> bool:
    """Even-odd ray casting; a point on an edge or a corner counts as inside (the city drew the line
    to include it, and a box's edges count the same way)."""
    count = len(polygon)
    crossings = False
    for i in range(count):
        (lat1, lon1), (lat2, lon2) = polygon[i], polygon[(i - 1) % count]
        if _on_segment(latitude, longitude, lat1, lon1, lat2, lon2):
            return True
        if (lat1 > latitude) != (lat2 > latitude):
            at = lon1 + (latitude - lat1) * (lon2 - lon1) / (lat2 - lat1)
            if longitude < at:
                crossings = not crossings
    return crossings


def _on_segment(y: float, x: float, y1: float, x1: float, y2: float, x2: float) -> bool:
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    if abs(cross) > 1e-12:
        return False
    return min(x1, x2) <= x <= max(x1, x2) and min(y1, y2) <= y <= max(y1, y2)


def names_pattern(places: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern matching any of the names as whole words of a folded address."""
    folded = [fold(place) for place in places if fold(place)]
    if not folded:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in folded) + r")\b")


def names_in(folded_address: str, pattern: re.Pattern[str] | None) -> bool:
    return pattern is not None and pattern.search(folded_address) is not None
