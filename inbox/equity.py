"""The equity figures (issue 19): for a period the supervisor chooses, how fast preferential and other
citizens, each area and each channel are served, and the gap between the best and worst served area.

The counting is storage.equity's (only group figures leave storage); this module decides the period, the
groups, the targets (inbox.sla, the one definition) and which areas are compared."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.settings import Settings
from inbox.sla import first_response_target, resolution_target
from storage.engine import AsyncSession
from storage.equity import Filed, Group, GroupFigures, Targets, group_figures
from storage.scope import Scope

PERIODS = (30, 90, 365)  # days the chooser offers; custom from–to dates too
LONGEST = 366 * 2  # days a custom period may span (the figures walk every case filed in it)
MIN_AREA_CASES = 5  # an area needs this many cases to be called best or worst served
PREFERENTIAL, AREA, CHANNEL = "preferential", "area", "channel"
NO_AREA = ""  # the group of cases no area holds


class BadPeriod(ValueError):
    """A period the page cannot show (a 400); its argument is the inbox word that says why."""


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date  # inclusive
    since: datetime
    until: datetime
    days: int | None  # 30/90/365, or None for custom dates


def period_of(query: Mapping[str, str], settings: Settings, now: datetime) -> Period:
    """`days=30|90|365` (30 when nothing is given) or `from=YYYY-MM-DD&to=YYYY-MM-DD`, days in the city's
    time zone, both ends included."""
    zone = settings.city.zone
    today = now.astimezone(zone).date()
    if query.get("from") or query.get("to"):
        try:
            first, last = date.fromisoformat(query["from"]), date.fromisoformat(query["to"])
        except (KeyError, ValueError) as exc:
            raise BadPeriod("equity_bad_dates") from exc
        if first > last:
            raise BadPeriod("equity_bad_order")
        if (last - first).days >= LONGEST:
            raise BadPeriod("equity_too_long")
        days = None
    else:
        raw = query.get("days", "30")
        if raw not in {str(d) for d in PERIODS}:
            raise BadPeriod("equity_bad_days")
        days = int(raw)
        first, last = today - timedelta(days=days - 1), today
    since = datetime.combine(first, time(), zone)
    until = datetime.combine(last + timedelta(days=1), time(), zone)
    return Period(first, last, since, until, days)


@dataclass(frozen=True)
class Row:
    kind: str  # preferential | area | channel
    key: str  # yes/no, an area's code ("" none), a channel
    figures: GroupFigures


@dataclass(frozen=True)
class Equity:
    period: Period
    preferential: list[Row]
    areas: list[Row]
    channels: list[Row]
    best: Row | None  # the best and worst served area with enough cases (None: fewer than two)
    worst: Row | None

    @property
    def gap(self) -> float | None:
        """Share resolved within target, best minus worst area, in points of 0..1."""
        if self.best is None or self.worst is None:
            return None
        best, worst = self.best.figures.resolved_share, self.worst.figures.resolved_share
        return None if best is None or worst is None else best - worst

    @property
    def rows(self) -> list[Row]:
        return [*self.preferential, *self.areas, *self.channels]


def _targets(settings: Settings) -> Targets:
    def targets(department: str, preferential: bool) -> tuple[timedelta, timedelta | None]:
        return (
            first_response_target(settings, department, preferential=preferential),
            resolution_target(settings, department, preferential=preferential),
        )

    return targets


def _place_and_channel(settings: Settings, case: Filed) -> list[Group]:
    return [
        (AREA, settings.area_code(case.latitude, case.longitude, case.address) or NO_AREA),
        (CHANNEL, case.channel),
    ]


async def equity(
    session: AsyncSession, settings: Settings, period: Period, now: datetime, scope: Scope = None
) -> Equity:
    def groups(case: Filed) -> list[Group]:
        return [(PREFERENTIAL, "yes" if case.preferential else "no"), *_place_and_channel(settings, case)]

    found = await group_figures(
        session, period.since, period.until, now, groups_of=groups, targets=_targets(settings), scope=scope
    )
    empty = GroupFigures(0, 0, None, 0, 0, 0, None, 0, 0)
    by: dict[str, dict[str, GroupFigures]] = {PREFERENTIAL: {}, AREA: {}, CHANNEL: {}}
    for (kind, key), figures in found.items():
        by[kind][key] = figures
    preferential = [Row(PREFERENTIAL, k, by[PREFERENTIAL].get(k, empty)) for k in ("yes", "no")]
    areas = [Row(AREA, k, by[AREA].get(k, empty)) for k in (*settings.areas, NO_AREA)]
    channels = sorted(
        (Row(CHANNEL, k, f) for k, f in by[CHANNEL].items()), key=lambda r: (-r.figures.cases, r.key)
    )
    best, worst = best_and_worst(areas)
    return Equity(period, preferential, areas, channels, best, worst)


async def public_times(
    session: AsyncSession, settings: Settings, since: datetime, until: datetime, now: datetime
) -> dict[Group, GroupFigures]:
    """The figures by area and by channel only, for the public page: never the preferential split (a
    case's own, shorter target still counts, as it is the target the city set for it)."""
    return await group_figures(
        session,
        since,
        until,
        now,
        groups_of=lambda case: _place_and_channel(settings, case),
        targets=_targets(settings),
    )


def best_and_worst(areas: list[Row], minimum: int = MIN_AREA_CASES) -> tuple[Row | None, Row | None]:
    """By share resolved within target, ties by the shorter median resolution; only named areas with at
    least `minimum` cases and a share to compare."""
    ranked = sorted(
        (
            r
            for r in areas
            if r.key != NO_AREA and r.figures.cases >= minimum and r.figures.resolved_share is not None
        ),
        key=lambda r: (
            -(r.figures.resolved_share or 0.0),
            r.figures.median_resolution or float("inf"),
            r.key,
        ),
    )
    if len(ranked) < 2:
        return None, None
    return ranked[0], ranked[-1]
