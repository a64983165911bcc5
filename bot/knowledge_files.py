"""The city's knowledge base on disk: one YAML (or Markdown with front matter) file per topic in `knowledge/`.

A file that cannot be used is reported with its name and the field at fault, and left out: one bad edit
does not take the other answers down (`ventanilla knowledge check` lists every problem).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.settings_base import LANGUAGES

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{1,29}$")
SUFFIXES = (".yml", ".yaml", ".md")
# The optional fields a topic may give, shown (labelled) with its longer part, in this order.
FIELDS = ("where", "hours", "bring", "cost")
KNOWN_KEYS = {
    "example", "title", "answer", "more", "questions", "link", "department", "checked", "by_area",
    "dates", "report", *FIELDS,
}  # fmt: skip
_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<front>.*?)\n---\s*\n?(?P<body>.*)\Z", re.DOTALL)
_BODY_LANGUAGE = re.compile(r"^##\s*(es|en)\s*$", re.MULTILINE | re.IGNORECASE)


class TopicError(ValueError):
    """A topic file that cannot be used: the message names the file and the field."""


@dataclass(frozen=True)
class DueDate:
    """A date the topic declares (a tax due, a vaccination day) that a citizen may be reminded of."""

    day: date
    what: dict[str, str]  # "vence la primera cuota del predial", per language


@dataclass(frozen=True)
class Topic:
    """One answer the city gives: a procedure, an office, a service."""

    slug: str  # the file's name without its suffix
    path: Path
    title: dict[str, str]
    answer: dict[str, str]
    questions: dict[str, tuple[str, ...]]
    checked: date | None
    more: dict[str, str] = field(default_factory=dict)
    fields: dict[str, dict[str, str]] = field(default_factory=dict)  # where, hours, bring, cost
    link: str | None = None
    department: str | None = None
    by_area: dict[str, dict[str, str]] = field(default_factory=dict)  # area code → answer per language
    dates: tuple[DueDate, ...] = ()
    report: str | None = None  # a service whose report the answer offers to start
    example: bool = False  # part of the example set that ships: to be replaced by the city

    def in_language(self, part: dict[str, str], language: str) -> str:
        return part.get(language) or part.get("es") or next(iter(part.values()), "")


def topic_files(folder: Path) -> list[Path]:
    """The topic files of the folder, in name order; README files and hidden files are not topics."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix in SUFFIXES and not p.name.startswith((".", "_"))
        and p.stem.upper() != "README"
    )  # fmt: skip


def load_topics(folder: Path) -> tuple[list[Topic], list[str]]:
    """Every usable topic of the folder, and a line per file that could not be used."""
    topics: list[Topic] = []
    problems: list[str] = []
    for path in topic_files(folder):
        try:
            topics.append(load_topic(path))
        except TopicError as exc:
            problems.append(str(exc))
    return topics, problems


def load_topic(path: Path) -> Topic:
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TopicError(f"{path.name}: cannot be read ({exc})") from exc
    body = ""
    if path.suffix == ".md":
        found = _FRONT_MATTER.match(raw_text)
        if found is None:
            raise TopicError(f"{path.name}: a Markdown topic starts with front matter between --- lines")
        raw_text, body = found.group("front"), found.group("body")
    try:
        raw = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        raise TopicError(f"{path.name}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise TopicError(f"{path.name}: expected the topic's fields (title, answer, questions…)")
    return _topic(path, raw, body)


def _topic(path: Path, raw: dict[str, Any], body: str) -> Topic:
    name = path.name
    if not SLUG.match(path.stem):
        raise TopicError(f"{name}: the file name is the topic's code: a-z, 0-9, - and _ (up to 30)")
    unknown = sorted(set(map(str, raw)) - KNOWN_KEYS)
    if unknown:
        raise TopicError(f"{name}: unknown fields {unknown} (known: {sorted(KNOWN_KEYS)})")
    more = _languages(name, "more", raw.get("more"), required=False) or _body_parts(body)
    questions = raw.get("questions")
    if not isinstance(questions, dict):
        raise TopicError(f"{name}: questions: example questions per language (es:, en:)")
    checked = raw.get("checked")
    if checked is not None and not isinstance(checked, date):
        raise TopicError(f"{name}: checked: a date such as 2026-11-30")
    return Topic(
        slug=path.stem,
        path=path,
        title=_languages(name, "title", raw.get("title")),
        answer=_languages(name, "answer", raw.get("answer")),
        questions={
            language: tuple(_strings(name, f"questions.{language}", questions.get(language)))
            for language in LANGUAGES
        },
        checked=checked,
        more=more,
        fields={f: v for f in FIELDS if (v := _languages(name, f, raw.get(f), required=False))},
        link=_optional_str(name, "link", raw.get("link")),
        department=_optional_str(name, "department", raw.get("department")),
        by_area=_by_area(name, raw.get("by_area")),
        dates=_dates(name, raw.get("dates")),
        report=_optional_str(name, "report", raw.get("report")),
        example=raw.get("example") is True,
    )


def _languages(name: str, key: str, value: Any, *, required: bool = True) -> dict[str, str]:
    """{es: …, en: …}, both present and not blank; a bare string is Spanish only (an error if required)."""
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise TopicError(f"{name}: {key}: the text in each language (es:, en:)")
    texts = {str(k): str(v).strip() for k, v in value.items() if v is not None}
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise TopicError(f"{name}: {key}: unknown languages {unknown} (es, en)")
    missing = [language for language in LANGUAGES if not texts.get(language)]
    if missing:
        raise TopicError(f"{name}: {key}: missing in {', '.join(missing)}")
    return texts


def _strings(name: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise TopicError(f"{name}: {key}: a list of example questions")
    texts = [str(v).strip() for v in value if v is not None and str(v).strip()]
    if len(texts) != len(value):
        raise TopicError(f"{name}: {key}: an empty question")
    return texts


def _optional_str(name: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise TopicError(f"{name}: {key}: a text")
    return value.strip()


def _by_area(name: str, value: Any) -> dict[str, dict[str, str]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not value:
        raise TopicError(f"{name}: by_area: the answer for each area code (centro: {{es: …, en: …}})")
    return {str(area): _languages(name, f"by_area.{area}", texts) for area, texts in value.items()}


def _dates(name: str, value: Any) -> tuple[DueDate, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TopicError(f"{name}: dates: a list of {{date: 2027-04-30, what: {{es: …, en: …}}}}")
    dates = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("date"), date):
            raise TopicError(f"{name}: dates[{index}].date: a date such as 2027-04-30")
        dates.append(DueDate(item["date"], _languages(name, f"dates[{index}].what", item.get("what"))))
    return tuple(sorted(dates, key=lambda d: d.day))


def _body_parts(body: str) -> dict[str, str]:
    """A Markdown topic's body as its longer part: the text under `## es` and under `## en`."""
    parts = _BODY_LANGUAGE.split(body)
    return {
        parts[i].lower(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2) if parts[i + 1].strip()
    }
