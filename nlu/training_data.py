"""Read training and test examples written in Rasa's NLU YAML format."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.base import Entity

ANNOTATION_EXTRACTOR = "annotation"

# `[text](entity)`, `[text](entity:value)`, `[text]{"entity": ...}` and `[text][{...}, {...}]`.
_ANNOTATION = re.compile(
    r"\[(?P<text>[^\[\]]+)\]"
    r"(?:\((?P<short>[^()]+)\)|(?P<obj>\{[^{}]*\})|(?P<list>\[\s*\{.*?\}\s*\]))"
)


class TrainingDataError(ValueError):
    """A training file that cannot be read as Rasa NLU YAML."""


@dataclass(frozen=True)
class Example:
    """One annotated message: the plain text, its intent and the entities marked in it."""

    text: str
    intent: str
    entities: tuple[Entity, ...] = ()
    language: str | None = None  # from the file's folder or name (es/, _en.yml), when it says


def strip_annotations(annotated: str) -> tuple[str, tuple[Entity, ...]]:
    """The text with its `[span](entity)` marks removed, and the entities at their plain-text offsets."""
    parts: list[str] = []
    entities: list[Entity] = []
    length = 0
    cursor = 0
    for match in _ANNOTATION.finditer(annotated):
        before = annotated[cursor : match.start()]
        parts.append(before)
        length += len(before)
        span = match.group("text")
        for name, value in _annotation_labels(match):
            entities.append(Entity(name, value or span, length, length + len(span), ANNOTATION_EXTRACTOR))
        parts.append(span)
        length += len(span)
        cursor = match.end()
    parts.append(annotated[cursor:])
    return "".join(parts), tuple(entities)


def _annotation_labels(match: re.Match[str]) -> list[tuple[str, str | None]]:
    short = match.group("short")
    if short is not None:
        name, _, value = short.partition(":")
        return [(name.strip(), value.strip() or None)]
    raw = match.group("obj") or match.group("list")
    try:
        decoded = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise TrainingDataError(f"bad entity annotation {match.group(0)!r}: {exc}") from exc
    labels = decoded if isinstance(decoded, list) else [decoded]
    result: list[tuple[str, str | None]] = []
    for label in labels:
        if not isinstance(label, dict) or "entity" not in label:
            raise TrainingDataError(f"entity annotation without 'entity': {match.group(0)!r}")
        value = label.get("value")
        result.append((str(label["entity"]), None if value is None else str(value)))
    return result


def language_of_path(path: Path) -> str | None:
    """`es`/`en` when the file sits in a folder of that name or is named `*_es.yml`, `test_en.yml`…"""
    for part in reversed(path.parts[:-1]):
        if part in ("es", "en"):
            return part
    match = re.search(r"(?:^|[_\-.])(es|en)$", path.stem)
    return match.group(1) if match else None


def yaml_files(source: Path) -> list[Path]:
    """The file itself, or every `*.yml`/`*.yaml` below a folder, in a stable order."""
    if source.is_file():
        return [source]
    if not source.is_dir():
        raise TrainingDataError(f"no such file or folder: {source}")
    return sorted(p for p in source.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def load_examples(*sources: Path) -> list[Example]:
    """Every intent example in the given files or folders (searched recursively)."""
    examples: list[Example] = []
    for source in sources:
        for path in yaml_files(Path(source)):
            examples.extend(load_file(path))
    return examples


def load_file(path: Path) -> list[Example]:
    """The intent examples of one Rasa YAML file; a file without an `nlu:` key (a domain) has none."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TrainingDataError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or "nlu" not in document:
        return []
    items = document["nlu"] or []
    if not isinstance(items, list):
        raise TrainingDataError(f"{path}: 'nlu' must be a list")
    language = language_of_path(path)
    return [
        Example(text, str(item["intent"]), entities, language)
        for item in items
        if isinstance(item, dict) and "intent" in item
        for text, entities in _examples_of(item, path)
    ]


def _examples_of(item: dict[str, Any], path: Path) -> Iterator[tuple[str, tuple[Entity, ...]]]:
    raw = item.get("examples")
    for line in _example_lines(raw, path, str(item["intent"])):
        text, entities = strip_annotations(line)
        text = text.strip()
        if text:
            yield text, entities


def _example_lines(raw: Any, path: Path, intent: str) -> Iterable[str]:
    if raw is None:
        return []
    if isinstance(raw, str):  # the usual block: "- text" per line
        return [line.strip()[1:].strip() for line in raw.splitlines() if line.strip().startswith("-")]
    if isinstance(raw, list):  # the long form: "- text: ..." with metadata
        return [str(entry["text"]) if isinstance(entry, dict) else str(entry) for entry in raw]
    raise TrainingDataError(f"{path}: examples of intent {intent!r} are neither a block nor a list")


def _quote(text: str) -> str:
    # Rasa reads each line after "- " as plain text; only line breaks would break the block.
    return " ".join(text.split())


def dump_rasa_yaml(examples: Iterable[tuple[str, str]], header: str = "") -> str:
    """Rasa NLU YAML for `(text, intent)` pairs, grouped by intent in first-seen order."""
    grouped: dict[str, list[str]] = {}
    for text, intent in examples:
        grouped.setdefault(intent, []).append(_quote(text))
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += ['version: "3.1"', "nlu:"]
    for intent, texts in grouped.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    return "\n".join(lines) + "\n"
