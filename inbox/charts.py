"""Chart geometry for the dashboard: numbers in, rectangles out; the template draws them as inline SVG."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

BAR_WIDTH = 520.0  # the longest stacked bar, in SVG units
ROW_HEIGHT = 26.0
DAY_CHART_HEIGHT = 160.0
DAY_WIDTH = 22.0


@dataclass(frozen=True)
class Segment:
    key: str  # a status: the CSS class colours it
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class StackedRow:
    label: str
    total: int
    y: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Stacked:
    rows: tuple[StackedRow, ...]
    keys: tuple[str, ...]  # in legend order
    height: float


def stacked(counts: dict[str, dict[str, int]], labels: dict[str, str], keys: tuple[str, ...]) -> Stacked:
    """Horizontal bars, one per label key, split by `keys`, longest first."""
    totals = {row: sum(parts.values()) for row, parts in counts.items()}
    biggest = max(totals.values(), default=0) or 1
    rows = []
    for index, row in enumerate(sorted(counts, key=lambda r: (-totals[r], labels.get(r, r)))):
        x, segments = 0.0, []
        for key in keys:
            count = counts[row].get(key, 0)
            if count:
                width = BAR_WIDTH * count / biggest
                segments.append(Segment(key, count, x, width))
                x += width
        rows.append(StackedRow(labels.get(row, row), totals[row], index * ROW_HEIGHT, tuple(segments)))
    used = tuple(k for k in keys if any(counts[r].get(k) for r in counts))
    return Stacked(tuple(rows), used, max(1, len(rows)) * ROW_HEIGHT)


@dataclass(frozen=True)
class Bar:
    day: date
    count: int
    x: float
    y: float
    height: float
    label: bool  # whether the day is written under it


@dataclass(frozen=True)
class Daily:
    bars: tuple[Bar, ...]
    peak: int
    width: float
    height: float = DAY_CHART_HEIGHT


def daily(counts: dict[date, int], last_day: date, days: int = 30) -> Daily:
    """One bar per day for `days` days up to `last_day`, empty days included."""
    first = last_day - timedelta(days=days - 1)
    series = [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(days)]
    peak = max((n for _, n in series), default=0)
    bars = []
    for index, (day, count) in enumerate(series):
        height = DAY_CHART_HEIGHT * count / peak if peak else 0.0
        labelled = (days - 1 - index) % 5 == 0  # the last day, and every fifth before it
        bars.append(Bar(day, count, index * DAY_WIDTH, DAY_CHART_HEIGHT - height, height, labelled))
    return Daily(tuple(bars), peak, days * DAY_WIDTH)


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
