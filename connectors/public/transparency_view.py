"""The figures as the public sees them: small counts hidden, thin averages withheld, numbers written the
reader's way, and the geometry of the page's inline SVG charts.

A count below `participation.min_cell` is written "<5" and draws no bar (a bar's length would tell it);
a median, mean or share over fewer than `min_cell` cases is "too few". A zero is shown: it tells of no
one. Charts are laid out in percentages of their width, so the server draws them once for any screen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.settings import Settings
from bot.small_cells import hidden
from connectors.public.transparency_figures import NO_AREA, OUTCOMES, PERIODS, Figures
from connectors.public.transparency_words import WORDS

MONTH_CHART_HEIGHT = 150.0
Key = tuple[str, str]  # (table, cell)  # px for the tallest bar; labels sit above and below it


@dataclass(frozen=True)
class Cell:
    """A published number: its text, and the share of its chart's longest bar (None: no bar drawn)."""

    text: str
    fraction: float | None = None

    @property
    def percent(self) -> str:
        return f"{100 * (self.fraction or 0):.1f}"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class MonthBar:
    label: str
    value: Cell
    x: float  # % of the chart's width
    width: float
    height: float  # px
    centre: float
    named: bool  # whether the month's name is written under it


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str
    detail: str


class View:
    def __init__(self, figures: Figures, settings: Settings, language: str) -> None:
        self.f = figures
        self.settings = settings
        self.language = language
        self.words = WORDS[language]
        self.min_cell = settings.participation.min_cell
        # The whole catalogue and every area, with their zeros: leaving a row out would tell it is none.
        self.services = list(dict.fromkeys([*settings.services, *figures.by_service]))
        self.areas = [*settings.areas, NO_AREA]
        self.hidden = self._hidden()

    def _hidden(self) -> set[Key]:
        """Each table's cells, and the groups of them that add up to a total shown on the page."""
        f = self.f
        counts: dict[Key, int] = {}
        groups: list[list[Key]] = []

        def table(name: str, values: dict[str, int]) -> None:
            counts.update({(name, k): n for k, n in values.items()})
            groups.append([(name, k) for k in values])

        table("month", {str(i): n for i, n in enumerate(f.by_month)})
        table("service", {s: f.by_service.get(s, 0) for s in self.services})
        table("area", {a: f.by_area.get(a, 0) for a in self.areas})
        table("outcome", {o: f.outcomes.get(o, 0) for o in OUTCOMES})
        table("rating", {str(r): f.ratings.get(r, 0) for r in range(1, 6)})
        for s in self.services:  # rows add up to the service's count, columns to the area's or status's
            table("service_area", {f"{s} {a}": f.service_area[s].get(a, 0) for a in self.areas})
            table("service_outcome", {f"{s} {o}": f.service_outcomes[s].get(o, 0) for o in OUTCOMES})
        for a in self.areas:
            groups.append([("service_area", f"{s} {a}") for s in self.services])
        for o in OUTCOMES:
            groups.append([("service_outcome", f"{s} {o}") for s in self.services])
        return hidden(counts, groups, self.min_cell)

    def cell(self, key: Key, n: int, peak: int = 0) -> Cell:
        """A count of a table: hidden as the table's rules say, with its bar against the table's peak."""
        if key in self.hidden:
            return Cell(f"<{self.min_cell}")
        return Cell(self.number(n), n / peak if peak else None)

    def peak(self, name: str, values: Iterable[tuple[str, int]]) -> int:
        return max((n for k, n in values if (name, k) not in self.hidden), default=0)

    def w(self, key: str, **values: object) -> str:
        return self.words[key].format(**values) if values else self.words[key]

    def number(self, value: float, decimals: int = 0) -> str:
        written = f"{value:,.{decimals}f}"
        if self.language == "es":  # 1.234,5
            written = written.replace(",", " ").replace(".", ",").replace(" ", ".")
        return written

    def count(self, n: int) -> Cell:
        """A total on its own (no table's cells add up to it but its own)."""
        return Cell(f"<{self.min_cell}") if n < self.min_cell else Cell(self.number(n))

    def share(self, part: int, whole: int) -> str:
        if whole < self.min_cell:
            return self.w("too_few")
        percent = self.number(100 * part / whole)
        return f"{percent} %" if self.language == "es" else f"{percent}%"

    def month_name(self, first: date, with_year: bool) -> str:
        name = self.w("month_names").split()[first.month - 1]
        return f"{name} {first.year}" if with_year else name

    def day(self, value: date) -> str:
        return f"{value.day:02d}/{value.month:02d}/{value.year}"

    def key_figures(self) -> list[Figure]:
        f = self.f
        resolved = len(f.resolve_days)
        median = f.median_days
        days = (
            self.w("too_few")
            if median is None or resolved < self.min_cell
            else self.w("days", n=self.number(median, 1))
        )
        ratings = f.ratings
        answered = sum(ratings.values())
        mean = (
            self.number(sum(r * n for r, n in ratings.items()) / answered, 1)
            if answered >= self.min_cell
            else self.w("too_few")
        )
        return [
            Figure(
                "filed", self.w("filed"), self.count(f.filed).text, self.w("last_months", n=len(f.months))
            ),
            Figure(
                "median_days", self.w("median_days"), days, self.w("of_cases", n=self.count(resolved).text)
            ),
            Figure(
                "within_target",
                self.w("within_target"),
                self.share(f.within_target, resolved),
                self.w("of_cases", n=self.count(resolved).text),
            ),
            Figure(
                "confirmed_fixed",
                self.w("confirmed_fixed"),
                self.share(f.fixed_yes, f.fixed_answered),
                self.w("of_answers", n=self.count(f.fixed_answered).text),
            ),
            Figure(
                "reopened",
                self.w("reopened"),
                self.share(f.reopened_cases, f.resolved_cases),
                self.w("of_cases", n=self.count(f.resolved_cases).text),
            ),
            Figure(
                "mean_rating", self.w("mean_rating"), mean, self.w("of_answers", n=self.count(answered).text)
            ),
            Figure(
                "bot_alone",
                self.w("bot_alone"),
                self.share(f.bot_alone, f.citizens_wrote),
                self.w("of_citizens", n=self.count(f.citizens_wrote).text),
            ),
        ]

    def month_bars(self) -> list[MonthBar]:
        values = self.f.by_month
        peak = self.peak("month", ((str(i), n) for i, n in enumerate(values)))
        slot = 100 / len(values)
        every = 1 if len(values) <= 12 else 3
        bars = []
        for index, (first, n) in enumerate(zip(self.f.months, values, strict=True)):
            cell = self.cell(("month", str(index)), n, peak)
            height = MONTH_CHART_HEIGHT * (cell.fraction or 0)
            named = (len(values) - 1 - index) % every == 0
            label = self.month_name(first, with_year=True)
            bars.append(MonthBar(label, cell, index * slot + slot * 0.15, slot * 0.7, height,
                                 index * slot + slot / 2, named))  # fmt: skip
        return bars

    def month_label(self, bars: Sequence[MonthBar]) -> str:
        return self.w("by_month_label", values="; ".join(f"{b.label}: {b.value.text}" for b in bars))

    def ranked(self, name: str, counts: dict[str, int], names: dict[str, str]) -> list[Row]:
        """One row per key, most first, with its bar against the biggest count shown."""
        peak = self.peak(name, counts.items())
        order = sorted(counts, key=lambda k: (-counts[k], names.get(k, k)))
        return [Row(k, names.get(k, k), (self.cell((name, k), counts[k], peak),)) for k in order]

    def by_service(self) -> list[Row]:
        return self.ranked(
            "service", {s: self.f.by_service.get(s, 0) for s in self.services}, self.service_names()
        )

    def by_area(self) -> list[Row]:
        return self.ranked("area", {a: self.f.by_area.get(a, 0) for a in self.areas}, self.area_names())

    def service_names(self) -> dict[str, str]:
        return {code: self.settings.service_name(code, self.language) for code in self.services}

    def area_names(self) -> dict[str, str]:
        names = {code: area.name.get(self.language) for code, area in self.settings.areas.items()}
        return names | {NO_AREA: self.w("no_area")}

    def service_order(self) -> list[str]:
        names = self.service_names()
        return sorted(self.services, key=lambda s: (-self.f.by_service.get(s, 0), names[s]))

    def service_area(self) -> list[Row]:
        names = self.service_names()
        rows = []
        for s in self.service_order():
            parts = self.f.service_area[s]
            cells = [self.cell(("service_area", f"{s} {a}"), parts.get(a, 0)) for a in self.areas]
            total = self.cell(("service", s), self.f.by_service.get(s, 0))
            rows.append(Row(s, names[s], (*cells, total)))
        return rows

    def outcome_rows(self) -> list[Row]:
        names = self.service_names()
        rows = []
        for s in self.service_order():
            parts = self.f.service_outcomes[s]
            cells = tuple(self.cell(("service_outcome", f"{s} {o}"), parts.get(o, 0)) for o in OUTCOMES)
            rows.append(Row(s, names[s], cells))
        return rows

    def outcome_totals(self) -> list[Row]:
        values = {o: self.f.outcomes.get(o, 0) for o in OUTCOMES}
        peak = self.peak("outcome", values.items())
        return [Row(o, self.w(o), (self.cell(("outcome", o), n, peak),)) for o, n in values.items()]

    def rating_rows(self) -> list[Row]:
        values = {str(r): self.f.ratings.get(r, 0) for r in range(5, 0, -1)}
        peak = self.peak("rating", values.items())
        return [Row(r, self.w("stars", n=r), (self.cell(("rating", r), n, peak),)) for r, n in values.items()]

    def rating_means(self) -> list[Figure]:
        def mean(ratings: Counter[int]) -> Figure:
            answered = sum(ratings.values())
            value = (
                self.number(sum(r * n for r, n in ratings.items()) / answered, 1)
                if answered >= self.min_cell
                else self.w("too_few")
            )
            return Figure("", "", value, self.w("of_answers", n=self.count(answered).text))

        return [
            Figure("after_case", self.w("after_case"), *_tail(mean(self.f.followup_ratings))),
            Figure(
                "after_conversation", self.w("after_conversation"), *_tail(mean(self.f.conversation_ratings))
            ),
        ]

    def periods(self) -> Iterable[tuple[int, str]]:
        return ((n, self.w("months_short", n=n)) for n in PERIODS)


def _tail(figure: Figure) -> tuple[str, str]:
    return figure.value, figure.detail
