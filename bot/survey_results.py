"""A survey's results: per question, counts per choice, the 1–5 distribution and mean, how many wrote text;
respondents; recipients by delivery status. The public form hides small counts and never holds free text.

Hiding (`participation.min_cell`, 5): any count below it shows as "<5"; if only one count of a question is
hidden, the next smallest is hidden too (else the total would give it away); a question's total and mean,
and the respondents, are hidden when fewer than min_cell answered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.settings import Settings
from bot.small_cells import hidden
from bot.surveys import SCALE, questions_of
from storage import surveys as rows
from storage.engine import AsyncSession
from storage.models import Survey, utcnow

Labels = dict[str, str]  # {"es": …, "en": …}


def label(labels: Labels, language: str) -> str:
    return labels.get(language) or labels.get("es") or ""


@dataclass(frozen=True)
class Cell:
    """One count: a choice's key (or "1"–"5" on a scale) and its labels; `count` None when hidden."""

    key: str
    labels: Labels
    count: int | None

    def shown(self, min_cell: int) -> str:
        return str(self.count) if self.count is not None else f"<{min_cell}"


@dataclass(frozen=True)
class QuestionResult:
    key: str
    kind: str  # single | multiple | scale | text
    text: Labels
    cells: tuple[Cell, ...]  # empty for text questions
    answered: int | None  # citizens who answered it; None when hidden
    mean: float | None = None  # scale only; None when hidden or nobody answered
    texts: tuple[str, ...] = ()  # free text: only in the private form

    def total_shown(self, min_cell: int) -> str:
        return str(self.answered) if self.answered is not None else f"<{min_cell}"


@dataclass(frozen=True)
class SurveyResults:
    survey_id: int
    slug: str
    title: Labels
    binding: bool
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    public: bool
    min_cell: int
    respondents: int | None  # None when hidden
    recipients: dict[str, int | None]  # delivery status → count (None when hidden)
    questions: tuple[QuestionResult, ...] = field(default_factory=tuple)

    def respondents_shown(self) -> str:
        return str(self.respondents) if self.respondents is not None else f"<{self.min_cell}"


def hide(counts: list[int], min_cell: int) -> list[int | None]:
    """Counts below min_cell hidden; one hidden alone takes the next smallest with it (bot/small_cells.py)."""
    gone = hidden(dict(enumerate(counts)), [list(range(len(counts)))], min_cell)
    return [None if i in gone else n for i, n in enumerate(counts)]


def _small(n: int, min_cell: int, public: bool) -> int | None:
    return None if public and n < min_cell else n


def _tally(question_kind: str, values: list[Any]) -> Counter[str]:
    counted: Counter[str] = Counter()
    for value in values:
        if question_kind == "multiple" and isinstance(value, list):
            counted.update(str(v) for v in set(value))
        elif value is not None:
            counted[str(value)] += 1
    return counted


async def results(
    session: AsyncSession, settings: Settings, survey: Survey, *, public: bool
) -> SurveyResults:
    """The survey's results; `public` hides small counts and leaves out free text."""
    min_cell = settings.participation.min_cell
    given: dict[str, list[Any]] = {}
    for question_key, _kind, value in await rows.answers(session, survey.id):
        given.setdefault(question_key, []).append(value)
    held: dict[str, list[str]] = {}
    if not public:
        for question_key, body, _at in await rows.texts(session, survey.id):
            held.setdefault(question_key, []).append(body)
    made: list[QuestionResult] = []
    for question in questions_of(survey):
        values = given.get(question.key, [])
        answered = len(values)
        counted = _tally(question.kind, values)
        if question.kind in ("single", "multiple"):
            keys = [(c.key, {"es": c.es, "en": c.en}) for c in question.choices]
        elif question.kind == "scale":
            keys = [(str(n), {"es": str(n), "en": str(n)}) for n in SCALE]
        else:
            keys = []
        counts = [counted.get(k, 0) for k, _ in keys]
        shown: list[int | None] = hide(counts, min_cell) if public else list(counts)
        cells = tuple(Cell(k, labels, n) for (k, labels), n in zip(keys, shown, strict=True))
        mean = None
        if question.kind == "scale" and answered and not (public and answered < min_cell):
            numbers = [int(v) for v in values if isinstance(v, int)]
            mean = round(sum(numbers) / len(numbers), 2) if numbers else None
        made.append(
            QuestionResult(
                key=question.key,
                kind=question.kind,
                text=question.text.model_dump(),
                cells=cells,
                answered=_small(answered, min_cell, public),
                mean=mean,
                texts=tuple(held.get(question.key, ())),
            )
        )
    recipients = {
        s: _small(n, min_cell, public) for s, n in (await rows.recipients(session, survey.id)).items()
    }
    now = utcnow()
    return SurveyResults(
        survey_id=survey.id,
        slug=survey.slug,
        title=dict(survey.title),
        binding=survey.binding,
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        is_open=survey.opens_at <= now < survey.closes_at,
        public=public,
        min_cell=min_cell,
        respondents=_small(await rows.respondents(session, survey.id), min_cell, public),
        recipients=recipients,
        questions=tuple(made),
    )


def csv_rows(found: SurveyResults) -> list[list[str]]:
    """The public table as CSV rows: survey, question, choice, count ("<5" where hidden); each question's
    total as choice "total", a scale's mean as "mean"."""
    table = [["survey", "question", "choice", "count"]]
    table.append([found.slug, "", "respondents", found.respondents_shown()])
    for q in found.questions:
        table += [[found.slug, q.key, c.key, c.shown(found.min_cell)] for c in q.cells]
        table.append([found.slug, q.key, "total", q.total_shown(found.min_cell)])
        if q.kind == "scale":
            table.append([found.slug, q.key, "mean", "" if q.mean is None else f"{q.mean:.2f}"])
    return table
