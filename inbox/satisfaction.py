"""The dashboard's closing-the-loop figures: did citizens answer the follow-ups, was it fixed, how often
cases come back, how satisfied citizens are (by service and department; per agent for conversations),
and how many neighbours join a report. "Fixed" is what the citizen confirmed, never what staff closed.

Definitions (docs/inbox.md, "Closing the loop"), over the dashboard's period:
- response rate: follow-ups answered / follow-ups sent (those still within their answer window count as
  not answered yet);
- fixed share: "yes" among the answered "was it fixed?" follow-ups;
- reopen rate: cases reopened / cases resolved in the period;
- satisfaction: the 1–5 ratings given in follow-ups: their median and the share of 4 or 5;
- closed: cases staff moved to resolved or closed; fixed: cases whose citizen answered "yes, fixed";
- supporters per case: supporters who joined the cases filed in the period / those cases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from inbox import charts
from storage import satisfaction as store
from storage.engine import AsyncSession
from storage.scope import Scope
from storage.staff import staff_names

CLOSED = ("resolved", "closed")
HIGH = 4  # a rating of 4 or 5 counts as satisfied


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Ratings:
    values: list[int] = field(default_factory=list)

    def add(self, value: int | None) -> None:
        if value is not None and 1 <= value <= 5:
            self.values.append(value)

    @property
    def median(self) -> float | None:
        return charts.median([float(v) for v in self.values])

    @property
    def high_share(self) -> float | None:
        return share(sum(1 for v in self.values if v >= HIGH), len(self.values))


@dataclass
class Group:
    """The figures of one service, one department, or the whole scope (key None)."""

    key: str | None
    sent: int = 0
    answered: int = 0
    fixed_answered: int = 0
    fixed_yes: int = 0
    ratings: Ratings = field(default_factory=Ratings)
    resolved_cases: set[int] = field(default_factory=set)
    reopened_cases: set[int] = field(default_factory=set)
    closed_cases: set[int] = field(default_factory=set)
    fixed_cases: set[int] = field(default_factory=set)

    @property
    def response_rate(self) -> float | None:
        return share(self.answered, self.sent)

    @property
    def fixed_share(self) -> float | None:
        return share(self.fixed_yes, self.fixed_answered)

    @property
    def reopen_rate(self) -> float | None:
        return share(len(self.reopened_cases), len(self.resolved_cases))

    def count_followup(
        self, case_id: int, kind: str, status: str, answer: str | None, rating: int | None
    ) -> None:
        self.sent += 1
        if status != "answered":
            return
        self.answered += 1
        self.ratings.add(rating)
        if kind == "fixed":
            self.fixed_answered += 1
            if answer == "yes":
                self.fixed_yes += 1
                self.fixed_cases.add(case_id)

    def count_move(self, case_id: int, status: str) -> None:
        if status == "resolved":
            self.resolved_cases.add(case_id)
        elif status == "reopened":
            self.reopened_cases.add(case_id)
        if status in CLOSED:
            self.closed_cases.add(case_id)


@dataclass(frozen=True)
class Agent:
    staff_id: int | None
    name: str
    asked: int
    ratings: Ratings


@dataclass(frozen=True)
class Supported:
    code: str
    service: str
    status: str
    supporters: int
    preferential: bool = False  # marked on the dashboard (issue 19, part B)


@dataclass(frozen=True)
class Satisfaction:
    total: Group
    by_service: list[Group]
    by_department: list[Group]
    agents: list[Agent]
    conversations: Agent  # every agent together
    cases_filed: int
    supporters: int
    most_supported: list[Supported]

    @property
    def supporters_per_case(self) -> float | None:
        return share(self.supporters, self.cases_filed)


async def satisfaction(
    session: AsyncSession, since: datetime, scope: Scope, service_names: dict[str, str]
) -> Satisfaction:
    total = Group(None)
    services: dict[str, Group] = {}
    departments: dict[str | None, Group] = {}

    def groups(service: str, department: str | None) -> Iterable[Group]:
        return (
            total,
            services.setdefault(service, Group(service)),
            departments.setdefault(department, Group(department)),
        )

    for case_id, service, department, kind, status, answer, rating in await store.followups_asked(
        session, since, scope
    ):
        for group in groups(service, department):
            group.count_followup(case_id, kind, status, answer, rating)
    moves = (*CLOSED, "reopened")
    for case_id, service, department, status in await store.cases_moved_to(session, moves, since, scope):
        for group in groups(service, department):
            group.count_move(case_id, status)

    asked: dict[int | None, int] = {}
    given: dict[int | None, Ratings] = {}
    everyone = Ratings()
    for staff_id, _department, rating in await store.conversation_ratings(session, since, scope):
        asked[staff_id] = asked.get(staff_id, 0) + 1
        given.setdefault(staff_id, Ratings()).add(rating)
        everyone.add(rating)
    names = await staff_names(session, {s for s in asked if s is not None})
    agents = sorted(
        (Agent(s, names.get(s, "—") if s else "—", n, given[s]) for s, n in asked.items()),
        key=lambda a: a.name.casefold(),
    )
    cases_filed, supporters = await store.supporters_per_case(session, since, scope)
    return Satisfaction(
        total=total,
        by_service=sorted(services.values(), key=lambda g: service_names.get(g.key or "", g.key or "")),
        by_department=sorted(departments.values(), key=lambda g: (g.key is None, g.key or "")),
        agents=agents,
        conversations=Agent(None, "", sum(asked.values()), everyone),
        cases_filed=cases_filed,
        supporters=supporters,
        most_supported=[Supported(*row) for row in await store.most_supported(session, since, scope)],
    )
