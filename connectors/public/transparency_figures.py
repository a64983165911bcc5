"""The city's figures for /transparencia over the last N months, counted once a minute at most per worker.

Only counts leave the database (storage/transparency.py and the dashboard's own queries); nothing here
knows who anyone is. Hiding small counts is the page's job (`transparency_view`), so these stay exact.
Definitions (docs/participation_parts/transparency.md):
- cases: filed in the period, by the status they have now; "closed" is not "resolved";
- days to resolve and within target: the cases first resolved in the period, against their department's
  `resolution_hours`;
- confirmed fixed: "yes" among the answered "was it fixed?" follow-ups; reopened: cases reopened among
  those resolved in the period (as the dashboard counts them);
- ratings: the 1–5 answers of follow-ups and of conversations a person answered;
- served by the bot alone: citizens who wrote in the period whom no person answered;
- by area and by channel (issue 19): the cases filed in the period, as the inbox's equity page counts them.
"""

from __future__ import annotations

import asyncio
import logging
import time as clock
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from bot.settings import Settings
from bot.survey_results import SurveyResults, results
from inbox.charts import median
from inbox.equity import public_times
from inbox.sla import resolution_target
from storage import reports, satisfaction
from storage import transparency as store
from storage.engine import AsyncSession, async_sessionmaker
from storage.equity import Group, GroupFigures
from storage.models import OPEN_STATUSES, utcnow

log = logging.getLogger(__name__)
PERIODS = (3, 6, 12, 24)
DEFAULT_PERIOD = 12
KEEP_SECONDS = 300.0  # the page cannot make the database count more often than this, whoever asks
OUTCOMES = ("pending", "resolved", "closed", "rejected", "duplicate")
NO_AREA = ""  # the key of cases with no point, or a point in no area


def outcome(status: str) -> str:
    return "pending" if status in OPEN_STATUSES else status if status in OUTCOMES else "pending"


def month_starts(now: datetime, months: int, settings: Settings) -> list[datetime]:
    """The local first days of the last `months` months (this one included), then `now` as the end."""
    local = now.astimezone(settings.city.zone).date()
    year, month = local.year, local.month
    firsts = []
    for back in range(months - 1, -1, -1):
        index = year * 12 + month - 1 - back
        firsts.append(datetime.combine(date(index // 12, index % 12 + 1, 1), time(), settings.city.zone))
    return [*firsts, now]


@dataclass
class Figures:
    months: list[date]  # the first day of each month shown
    since: datetime
    until: datetime
    by_month: list[int] = field(default_factory=list)
    by_service: Counter[str] = field(default_factory=Counter)
    by_area: Counter[str] = field(default_factory=Counter)
    service_area: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    outcomes: Counter[str] = field(default_factory=Counter)
    service_outcomes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    resolve_days: list[float] = field(default_factory=list)
    within_target: int = 0
    fixed_answered: int = 0
    fixed_yes: int = 0
    resolved_cases: int = 0
    reopened_cases: int = 0
    followup_ratings: Counter[int] = field(default_factory=Counter)
    conversation_ratings: Counter[int] = field(default_factory=Counter)
    citizens_wrote: int = 0
    bot_alone: int = 0
    surveys: list[SurveyResults] = field(default_factory=list)  # public form: small counts hidden
    # How fast each area and channel is served (issue 19; connectors/public/transparency_equity.py).
    service_times: dict[Group, GroupFigures] = field(default_factory=dict)

    @property
    def filed(self) -> int:
        return sum(self.by_month)

    @property
    def median_days(self) -> float | None:
        return median(self.resolve_days)

    @property
    def ratings(self) -> Counter[int]:
        return self.followup_ratings + self.conversation_ratings


async def count(session: AsyncSession, settings: Settings, months: int, now: datetime) -> Figures:
    starts = month_starts(now, months, settings)
    figures = Figures([s.date() for s in starts[:-1]], starts[0], now, by_month=[0] * months)
    areas = list(settings.areas)

    def area_index(latitude: float | None, longitude: float | None, address: str | None) -> int:
        code = settings.area_code(latitude, longitude, address)
        return areas.index(code) if code is not None else len(areas)

    for service, month, area_index_, status, n in await store.case_counts(session, starts, area_index):
        area = areas[area_index_] if area_index_ < len(areas) else NO_AREA
        if month < months:
            figures.by_month[month] += n
        figures.by_service[service] += n
        figures.by_area[area] += n
        figures.service_area[service][area] += n
        figures.outcomes[outcome(status)] += n
        figures.service_outcomes[service][outcome(status)] += n
    for filed, resolved, department, preferential in await reports.resolutions(session, figures.since):
        figures.resolve_days.append((resolved - filed).total_seconds() / 86400)
        target = resolution_target(settings, department, preferential=preferential)
        if target is not None and resolved - filed <= target:
            figures.within_target += 1
    for kind, answer, rating, n in await store.followup_answers(session, figures.since, now):
        if kind == "fixed" and answer in ("yes", "no"):  # "no sé" is no answer to whether it was fixed
            figures.fixed_answered += n
            figures.fixed_yes += n if answer == "yes" else 0
        if rating is not None and 1 <= rating <= 5:
            figures.followup_ratings[rating] += n
    figures.conversation_ratings.update(
        {
            r: n
            for r, n in (await store.conversation_ratings(session, figures.since, now)).items()
            if 1 <= r <= 5
        }
    )
    moved: dict[str, set[int]] = defaultdict(set)
    for case_id, _, _, status in await satisfaction.cases_moved_to(
        session, ("resolved", "reopened"), figures.since
    ):
        moved[status].add(case_id)
    figures.resolved_cases = len(moved["resolved"])
    figures.reopened_cases = len(moved["reopened"] & moved["resolved"])
    figures.citizens_wrote, figures.bot_alone = await reports.bot_only_share(session, figures.since)
    figures.service_times = await public_times(session, settings, figures.since, now, now)
    for survey in await store.closed_surveys(session, figures.since, now):
        figures.surveys.append(await results(session, settings, survey, public=True))
    return figures


class FigureCache:
    """The figures of each period, counted at most every `keep` seconds per worker. A count reads every case
    of the period (seconds for a big city's year: docs/performance.md), so only the first visitor of a
    period waits for one: after that, figures older than `keep` are still shown while one new count runs
    in the background, and replace them when it is done."""

    def __init__(self, keep: float = KEEP_SECONDS) -> None:
        self.keep = keep
        self.kept: dict[int, tuple[float, Figures]] = {}
        self.locks = {months: asyncio.Lock() for months in PERIODS}
        self.recounts: dict[int, asyncio.Task[Figures]] = {}

    async def figures(
        self, sessions: async_sessionmaker[AsyncSession], settings: Settings, months: int
    ) -> Figures:
        kept = self.kept.get(months)
        if kept is None:
            async with self.locks[months]:  # the first count: one at a time, whoever else waits
                kept = self.kept.get(months)
                return kept[1] if kept is not None else await self._count(sessions, settings, months)
        if clock.monotonic() - kept[0] >= self.keep and months not in self.recounts:
            task = asyncio.create_task(self._count(sessions, settings, months))
            self.recounts[months] = task
            task.add_done_callback(lambda done: self._counted(months, done))
        return kept[1]

    async def _count(
        self, sessions: async_sessionmaker[AsyncSession], settings: Settings, months: int
    ) -> Figures:
        async with sessions() as session:
            figures = await count(session, settings, months, utcnow())
        self.kept[months] = (clock.monotonic(), figures)
        return figures

    def _counted(self, months: int, done: asyncio.Task[Figures]) -> None:
        self.recounts.pop(months, None)
        if not done.cancelled() and done.exception() is not None:
            # The kept figures stay; the next visit past `keep` tries again.
            log.warning("transparency figures not recounted: %r", done.exception())

    async def close(self) -> None:
        """Stop a recount still running (the app is shutting down)."""
        for task in list(self.recounts.values()):
            task.cancel()
        await asyncio.gather(*self.recounts.values(), return_exceptions=True)
