"""How fast each area and each channel is served, as the public sees it (issue 19): cases, median time to
a first response and to resolution, share resolved within target — never the preferential split.

A group's counts are hidden as the page hides counts (bot.small_cells: below `min_cell`, and a second one
beside one hidden alone, since the total filed is on the page); its medians and share are "too few" when
fewer than `min_cell` cases stand behind them, so no figure describes one person's case."""

from __future__ import annotations

from collections.abc import Mapping

from bot.small_cells import hidden
from connectors.channels import UNKNOWN
from connectors.channels import channel as channel_of
from connectors.public.transparency_view import Cell, Row, View
from inbox.equity import AREA, CHANNEL
from storage.equity import GroupFigures


def served_rows(view: View) -> tuple[list[Row], list[Row]]:
    """(rows by area, rows by channel), each (cases, median first response, median resolution, share
    resolved within target); every area with its zero, the channels the period had."""
    times = view.f.service_times
    areas = {a: times.get((AREA, a)) for a in view.areas}
    channels = {k: f for (kind, k), f in times.items() if kind == CHANNEL}
    area_names = view.area_names()
    by_area = [_row(view, AREA, a, area_names[a], areas[a], areas) for a in view.areas]
    order = sorted(channels, key=lambda k: (-channels[k].cases, k))
    by_channel = [
        _row(view, CHANNEL, k, _channel_name(k, view.language), channels[k], channels) for k in order
    ]
    return by_area, by_channel


def _row(
    view: View,
    kind: str,
    key: str,
    label: str,
    f: GroupFigures | None,
    group: Mapping[str, GroupFigures | None],
) -> Row:
    counts = {k: (g.cases if g is not None else 0) for k, g in group.items()}
    hide = hidden(counts, [list(counts)], view.min_cell)
    f = f or GroupFigures(0, 0, None, 0, 0, 0, None, 0, 0)
    if key in hide:
        too_few = view.w("too_few")
        return Row(key, label, (Cell(f"<{view.min_cell}"), Cell(too_few), Cell(too_few), Cell(too_few)))
    return Row(
        key,
        label,
        (
            Cell(view.number(f.cases)),
            Cell(_duration(view, f.median_first_response, f.answered)),
            Cell(_duration(view, f.median_resolution, f.resolved)),
            Cell(view.share(f.resolved_within, f.resolution_counted)),
        ),
    )


def _duration(view: View, seconds: float | None, behind: int) -> str:
    if seconds is None or behind < view.min_cell:
        return view.w("too_few")
    hours = seconds / 3600
    return (
        view.w("hours", n=view.number(hours, 1))
        if hours < 48
        else view.w("days", n=view.number(hours / 24, 1))
    )


def _channel_name(code: str, language: str) -> str:
    found = channel_of(code)
    return found.label_in(language) if found is not UNKNOWN else code
