"""The results of the surveys that closed in the period, as /transparencia shows them: the surveys' own
public form (`bot.survey_results`, small counts already hidden, free text never there), laid out as the
page's other tables, with a bar for each count shown."""

from __future__ import annotations

from dataclasses import dataclass

from bot.survey_results import QuestionResult, label
from connectors.public.transparency_view import Cell, Row, View


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    text: str
    rows: tuple[Row, ...]  # one per choice, or per point of the 1–5 scale; none for free text
    answered: str
    mean: str | None  # a scale's, when shown


@dataclass(frozen=True)
class Result:
    slug: str
    title: str
    kind: str  # binding | advisory, in words
    closed: str
    respondents: str
    questions: tuple[Question, ...]


def question(view: View, found: QuestionResult, min_cell: int) -> Question:
    peak = max((c.count for c in found.cells if c.count is not None), default=0)
    rows = tuple(
        Row(
            c.key,
            label(c.labels, view.language),
            (
                Cell(view.number(c.count), c.count / peak if peak else None)
                if c.count is not None
                else Cell(f"<{min_cell}"),
            ),
        )
        for c in found.cells
    )
    mean = None if found.mean is None else view.number(found.mean, 1)
    if found.kind == "scale" and mean is None:
        mean = view.w("too_few")
    return Question(found.key, found.kind, label(found.text, view.language), rows,
                    found.total_shown(min_cell), mean)  # fmt: skip


def results(view: View) -> list[Result]:
    shown: list[Result] = []
    for found in view.f.surveys:
        closed = found.closes_at.astimezone(view.settings.city.zone).date()
        shown.append(
            Result(
                found.slug,
                label(found.title, view.language),
                view.w("binding") if found.binding else view.w("advisory"),
                view.w("closed_on", day=view.day(closed)),
                found.respondents_shown(),
                tuple(question(view, q, found.min_cell) for q in found.questions),
            )
        )
    return shown
