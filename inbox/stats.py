"""The supervisors' figures: cases by service and status, per day, response and resolution times, SLAs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.settings import Settings
from inbox import charts
from inbox.sla import first_response_target, resolution_target
from storage import reports
from storage.engine import AsyncSession
from storage.models import CaseStatus
from storage.scope import Scope

DAYS = 30
PERIOD = timedelta(days=DAYS)


@dataclass(frozen=True)
class Breaches:
    """Preferential citizens' breaches, apart (issue 19): each against their own, shorter targets."""

    waiting_breached: int = 0
    late_first_responses: int = 0
    overdue_cases: int = 0
    late_resolutions: int = 0


@dataclass(frozen=True)
class Dashboard:
    since: datetime
    by_service: charts.Stacked
    by_channel: list[tuple[str, int]]  # (channel, cases), most first: phone and in_person too (issue 18)
    per_day: charts.Daily
    total_cases: int
    new_cases: int
    median_first_response: float | None  # seconds
    median_resolution: float | None  # seconds
    first_responses: int
    resolved: int
    waiting_breached: int  # waiting right now beyond the first-response target
    late_first_responses: int  # answered in the period, after the target
    overdue_cases: int  # open beyond the resolution target right now
    late_resolutions: int  # resolved in the period, after the target
    active_citizens: int
    bot_only: int
    preferential: Breaches  # the preferential citizens' share of the four breach figures above

    @property
    def bot_only_share(self) -> float | None:
        return self.bot_only / self.active_citizens if self.active_citizens else None


async def dashboard(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    service_names: dict[str, str],
    scope: Scope = None,
) -> Dashboard:
    """The figures of the departments in `scope`; the share served by the bot alone is the whole city's,
    since a citizen nobody served belongs to no department."""
    since = now - PERIOD
    counts: dict[str, dict[str, int]] = {}
    for service, status, count in await reports.cases_by_service_and_status(session, scope):
        counts.setdefault(service, {})[status] = count
    keys = tuple(s.value for s in CaseStatus)
    last_day = now.astimezone(settings.city.zone).date()
    per_day = await reports.cases_per_day(
        session, last_day - timedelta(days=DAYS - 1), DAYS, settings.city.zone, scope
    )

    # Each wait and case against its own target: shorter for preferential citizens (issue 19).
    answers = await reports.first_responses(session, since, scope)
    waits = [
        (
            a.responded_at - a.waiting_since,
            first_response_target(settings, a.department, preferential=a.preferential),
            bool(a.preferential),
        )
        for a in answers
    ]
    resolved = await reports.resolutions(session, since, scope)
    spans = [
        (
            r.at - r.created_at,
            resolution_target(settings, r.department, preferential=r.preferential),
            bool(r.preferential),
        )
        for r in resolved
    ]
    waiting = [
        bool(row.preferential)
        for row in await reports.waiting_now(session, scope)
        if not (row.first_response_at is not None and row.first_response_at >= row.waiting_since)
        and now - row.waiting_since
        > first_response_target(settings, row.department, preferential=row.preferential)
    ]
    overdue = {
        preferential: await reports.overdue_open_cases(
            session, _deadlines(settings, now, scope, preferential), preferential=preferential
        )
        for preferential in (False, True)
    }
    late_answers = [pref for waited, target, pref in waits if waited > target]
    late_cases = [pref for span, target, pref in spans if target is not None and span > target]
    active, alone = await reports.bot_only_share(session, since)
    return Dashboard(
        since=since,
        by_service=charts.stacked(counts, service_names, keys),
        by_channel=await reports.cases_by_channel(session, scope),
        per_day=charts.daily(per_day, last_day, DAYS),
        total_cases=sum(sum(parts.values()) for parts in counts.values()),
        new_cases=sum(per_day.values()),
        median_first_response=charts.median([w.total_seconds() for w, _, _ in waits]),
        median_resolution=charts.median([s.total_seconds() for s, _, _ in spans]),
        first_responses=len(waits),
        resolved=len(spans),
        waiting_breached=len(waiting),
        late_first_responses=len(late_answers),
        overdue_cases=overdue[False] + overdue[True],
        late_resolutions=len(late_cases),
        active_citizens=active,
        bot_only=alone,
        preferential=Breaches(
            waiting_breached=sum(waiting),
            late_first_responses=sum(late_answers),
            overdue_cases=overdue[True],
            late_resolutions=sum(late_cases),
        ),
    )


def _deadlines(settings: Settings, now: datetime, scope: Scope, preferential: bool) -> dict[str, datetime]:
    """Now minus each department's resolution target: a case filed before it is overdue."""
    return {
        code: now - target
        for code in settings.departments
        if (scope is None or code in scope)
        and (target := resolution_target(settings, code, preferential=preferential)) is not None
    }
