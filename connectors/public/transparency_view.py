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
from connectors.public.transparency_figures import NO_AREA, OUTCOMES, PERIODS, Figures
from connectors.public.transparency_words import WORDS

MONTH_CHART_HEIGHT = 150.0  # px for the tallest bar; labels sit above and below it


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

    def w(self, key: str, **values: object) -> str:
        return self.words[key].format(**values) if values else self.words[key]

    def number(self, value: float, decimals: int = 0) -> str:
        written = f"{value:,.{decimals}f}"
        if self.language == "es":  # 1.234,5
            written = written.replace(",", " ").replace(".", ",").replace(" ", ".")
        return written

    def count(self, n: int, peak: int | None = None) -> Cell:
        if 0 < n < self.min_cell:
            return Cell(f"<{self.min_cell}")
        return Cell(self.number(n), n / peak if peak else None)

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
        shown = [n for n in values if n >= self.min_cell]
        peak = max(shown, default=0)
        slot = 100 / len(values)
        every = 1 if len(values) <= 12 else 3
        bars = []
        for index, (first, n) in enumerate(zip(self.f.months, values, strict=True)):
            cell = self.count(n, peak)
            height = MONTH_CHART_HEIGHT * (cell.fraction or 0)
            named = (len(values) - 1 - index) % every == 0
            label = self.month_name(first, with_year=True)
            bars.append(MonthBar(label, cell, index * slot + slot * 0.15, slot * 0.7, height,
                                 index * slot + slot / 2, named))  # fmt: skip
        return bars

    def month_label(self, bars: Sequence[MonthBar]) -> str:
        return self.w("by_month_label", values="; ".join(f"{b.label}: {b.value.text}" for b in bars))

    def ranked(self, counts: Counter[str], names: dict[str, str]) -> list[Row]:
        """One row per key, most cases first, with its bar against the biggest shown count."""
        peak = max((n for n in counts.values() if n >= self.min_cell), default=0)
        order = sorted(counts, key=lambda k: (-counts[k], names.get(k, k)))
        return [Row(k, names.get(k, k), (self.count(counts[k], peak),)) for k in order]

    def service_names(self) -> dict[str, str]:
        return {code: self.settings.service_name(code, self.language) for code in self.f.by_service}

    def area_names(self) -> dict[str, str]:
        names = {code: area.name.get(self.language) for code, area in self.settings.areas.items()}
        return names | {NO_AREA: self.w("no_area")}

    def area_columns(self) -> list[str]:
        used = [code for code in self.settings.areas if self.f.by_area.get(code)]
        return used + ([NO_AREA] if self.f.by_area.get(NO_AREA) else [])

    def service_area(self) -> list[Row]:
        columns = self.area_columns()
        names = self.service_names()
        rows = []
        for service in sorted(self.f.by_service, key=lambda s: (-self.f.by_service[s], names[s])):
            parts = self.f.service_area[service]
            cells = [self.count(parts.get(area, 0)) for area in columns]
            rows.append(Row(service, names[service], (*cells, self.count(self.f.by_service[service]))))
        return rows

    def outcome_rows(self) -> list[Row]:
        names = self.service_names()
        rows = []
        for service in sorted(self.f.by_service, key=lambda s: (-self.f.by_service[s], names[s])):
            parts = self.f.service_outcomes[service]
            rows.append(Row(service, names[service], tuple(self.count(parts.get(o, 0)) for o in OUTCOMES)))
        return rows

    def outcome_totals(self) -> list[Row]:
        peak = max((n for n in self.f.outcomes.values() if n >= self.min_cell), default=0)
        return [Row(o, self.w(o), (self.count(self.f.outcomes.get(o, 0), peak),)) for o in OUTCOMES]

    def rating_rows(self) -> list[Row]:
        ratings = self.f.ratings
        peak = max((n for n in ratings.values() if n >= self.min_cell), default=0)
        return [
            Row(str(r), self.w("stars", n=r), (self.count(ratings.get(r, 0), peak),)) for r in range(5, 0, -1)
        ]

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
