"""What `ventanilla knowledge check` finds wrong in the topic files: one finding per problem, with its file.

Errors make the topic wrong or unusable (a missing language, an unknown department, a question two topics
share); warnings are for the city to look at (a topic not checked for months, the example topics left).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from bot.knowledge_files import Topic, load_topics, topic_files
from bot.settings import Settings
from bot.settings_base import LANGUAGES
from nlu.normalise import normalise

ERROR, WARNING = "error", "warning"
MIN_QUESTIONS = 5
# A value left without quotes loses everything after " #" (YAML reads it as a comment): "Calle 10 # 5-20";
# a number after the # tells an address from a comment the city meant.
_CUT_BY_COMMENT = re.compile(r"^\s*(?:-\s+|[\w.\[\]-]+:\s+)(?![\s'\"{\[#|>])[^'\"]*?\s#\s*\d")
_PUNCTUATION = re.compile(r"[?!]")


@dataclass(frozen=True)
class Finding:
    level: str  # error | warning
    file: str  # the topic's file name, or "" for the folder as a whole
    message: str

    def line(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{self.level.upper():7} {where}{self.message}"


def folded(question: str) -> str:
    """A question as the index reads it, without ¿? or ¡!: two questions folding alike are the same."""
    return _PUNCTUATION.sub("", normalise(question)).strip()


def check_files(
    folder: Path, settings: Settings, *, months: int, today: date
) -> tuple[list[Topic], list[Finding]]:
    """The usable topics of the folder and everything wrong with each file (without the index's view)."""
    if not folder.is_dir():
        return [], [Finding(ERROR, "", f"{folder}: no such folder (knowledge.dir, or --dir)")]
    topics, problems = load_topics(folder)
    findings = [Finding(ERROR, *_split(problem)) for problem in problems]
    for path in topic_files(folder):
        findings.extend(_cut_values(path))
    for topic in topics:
        findings.extend(_topic_findings(topic, settings, months=months, today=today))
    findings.extend(_shared_questions(topics))
    if not topics and not problems:
        findings.append(Finding(ERROR, "", f"{folder}: no topic files (*.yml, *.md)"))
    examples = sum(topic.example for topic in topics)
    if examples:
        findings.append(
            Finding(WARNING, "", f"{examples} topics are the shipped example (example: true): replace them")
        )
    return topics, findings


def _split(problem: str) -> tuple[str, str]:
    name, _, message = problem.partition(": ")
    return name, message


def _cut_values(path: Path) -> list[Finding]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # the loader has said so already
    return [
        Finding(
            WARNING, path.name, f"line {n}: the text after ' #' is read as a comment: put the text in quotes"
        )
        for n, text in enumerate(lines, 1)
        if _CUT_BY_COMMENT.match(text)
    ]


def _topic_findings(topic: Topic, settings: Settings, *, months: int, today: date) -> list[Finding]:
    name = topic.path.name
    found: list[Finding] = []

    def error(message: str) -> None:
        found.append(Finding(ERROR, name, message))

    limit = settings.knowledge.answer_max_chars
    answers = {"answer": topic.answer} | {f"by_area.{area}": texts for area, texts in topic.by_area.items()}
    for key, texts in answers.items():
        for language, text in texts.items():
            if len(text) > limit:
                error(f"{key}.{language}: {len(text)} characters, over {limit} (knowledge.answer_max_chars)")
    for language in LANGUAGES:
        count = len(topic.questions.get(language, ()))
        if count < MIN_QUESTIONS:
            error(f"questions.{language}: {count} example questions, at least {MIN_QUESTIONS} are needed")
    if topic.checked is None:
        error("checked: missing: the date someone last made sure the answer is true (checked: 2026-11-30)")
    elif topic.checked > today:
        error(f"checked: {topic.checked} is in the future")
    elif _months_between(topic.checked, today) >= months:
        found.append(Finding(WARNING, name, f"checked: not checked since {topic.checked} ({months}+ months)"))
    if topic.link is not None and not well_formed_link(topic.link):
        error(f"link: {topic.link!r} is not a link (https://…, tel:…, mailto:…)")
    if topic.department is not None and topic.department not in settings.departments:
        error(
            f"department: unknown department {topic.department!r} (known: {', '.join(settings.departments)})"
        )
    if topic.report is not None and topic.report not in settings.services:
        error(f"report: unknown service {topic.report!r} (known: {', '.join(settings.services)})")
    for area in topic.by_area:
        if area not in settings.areas:
            error(f"by_area.{area}: unknown area (known: {', '.join(settings.areas) or 'none: add areas:'})")
    for index, due in enumerate(topic.dates):
        if due.day < today:
            found.append(
                Finding(WARNING, name, f"dates[{index}]: {due.day} has passed: give next year's date")
            )
    return found


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def well_formed_link(link: str) -> bool:
    if any(c.isspace() for c in link):
        return False
    parts = urlsplit(link)
    if parts.scheme in ("http", "https"):
        host = parts.hostname or ""
        return "." in host.strip(".") or host == "localhost"
    if parts.scheme == "tel":
        return bool(re.fullmatch(r"\+?[0-9][0-9-]*", parts.path))
    if parts.scheme == "mailto":
        return bool(re.fullmatch(r"[^@]+@[^@]+\.[^@]+", parts.path))
    return False


def _shared_questions(topics: list[Topic]) -> list[Finding]:
    """The same question (once folded) in two topics: the index cannot tell them apart."""
    owners: dict[str, list[Topic]] = defaultdict(list)
    findings: list[Finding] = []
    for topic in topics:
        seen: set[str] = set()
        for language in LANGUAGES:
            for question in topic.questions.get(language, ()):
                key = folded(question)
                if key in seen:
                    findings.append(
                        Finding(WARNING, topic.path.name, f"questions: {question!r} is there twice")
                    )
                    continue
                seen.add(key)
                owners[key].append(topic)
    for key, holders in owners.items():
        if len(holders) > 1:
            others = ", ".join(t.path.name for t in holders[1:])
            findings.append(
                Finding(ERROR, holders[0].path.name, f"questions: {key!r} is also a question of {others}")
            )
    return findings
