"""Write a Rasa 3.6 NLU project (config, training data, minimal domain) from our training examples."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.rasa.venv import requirements_key
from nlu.training_data import Example

# Our case-code alphabet (nlu/entities.py), for Rasa's RegexFeaturizer and RegexEntityExtractor. The
# normalised code still comes from nlu/entities.py; this lets DIET see "a code is here".
CASE_CODE_REGEX = r"\b[2-9A-HJ-NP-TV-Z]{3}[-‐‑–]?[2-9A-HJ-NP-TV-Z]{3}\b"
_MARKUP = frozenset("[](){}")


@dataclass(frozen=True)
class RasaPipeline:
    """The knobs of the pipeline we write; the defaults are the ones measured in docs/nlu.md."""

    # DIET's defaults (2 transformer layers of 256, 300 epochs) cost about 12 s an epoch on our 3,049
    # examples on 2 cores, an hour a model; one layer of 128 costs about 4.5 s, and training accuracy is
    # above 0.99 after a few epochs. See docs/nlu.md.
    epochs: int = 40
    transformer_layers: int = 1
    transformer_size: int = 128
    entity_recognition: bool = False  # our entities come from nlu/entities.py whatever the backend
    random_seed: int = 0
    language: str = "es"  # whitespace tokenisation: the same for Spanish and English

    def config(self) -> dict[str, Any]:
        """Rasa's config.yml as a mapping."""
        return {
            "recipe": "default.v1",
            "assistant_id": "ventanilla",
            "language": self.language,
            "pipeline": [
                {"name": "WhitespaceTokenizer"},
                {"name": "RegexFeaturizer", "case_sensitive": False},
                {"name": "LexicalSyntacticFeaturizer"},
                {"name": "CountVectorsFeaturizer"},
                {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
                {
                    "name": "DIETClassifier",
                    "epochs": self.epochs,
                    "number_of_transformer_layers": self.transformer_layers,
                    "transformer_size": self.transformer_size,
                    "entity_recognition": self.entity_recognition,
                    "constrain_similarities": True,
                    "random_seed": self.random_seed,
                },
                {"name": "EntitySynonymMapper"},
                {"name": "RegexEntityExtractor", "case_sensitive": False, "use_lookup_tables": False},
                # No FallbackClassifier: the dialogue applies its own confidence threshold to both backends.
            ],
            "policies": [],
        }


def annotate(example: Example) -> str:
    """The example's text with its entities marked the Rasa way: `[span](entity)` or `[span]{…}`."""
    parts: list[str] = []
    cursor = 0
    for entity in sorted(example.entities, key=lambda e: e.start):
        span = example.text[entity.start : entity.end]
        around = example.text[max(0, entity.start - 1) : entity.end + 1]
        if entity.start < cursor or not span or _MARKUP & set(around):
            continue  # overlapping spans, and spans in or next to brackets, stay plain text
        parts.append(example.text[cursor : entity.start])
        if entity.value == span:
            parts.append(f"[{span}]({entity.entity})")
        else:
            label = json.dumps({"entity": entity.entity, "value": entity.value}, ensure_ascii=False)
            parts.append(f"[{span}]{label}")
        cursor = entity.end
    parts.append(example.text[cursor:])
    return " ".join("".join(parts).split())  # one line: the YAML block holds one example per line


def nlu_yaml(examples: Sequence[Example]) -> str:
    """Rasa NLU YAML: the examples grouped by intent (first-seen order), plus the case-code regex."""
    grouped: dict[str, list[str]] = {}
    for example in examples:
        lines = grouped.setdefault(example.intent, [])
        line = annotate(example)
        if line not in lines:  # Rasa warns about duplicates; the same text twice adds nothing
            lines.append(line)
    out = ['version: "3.1"', "nlu:"]
    for intent, lines in grouped.items():
        out += [f"- intent: {intent}", "  examples: |"] + [f"    - {line}" for line in lines]
    out += ["- regex: case_code", "  examples: |", f"    - {CASE_CODE_REGEX}"]
    return "\n".join(out) + "\n"


def domain_yaml(examples: Sequence[Example]) -> str:
    """A minimal domain: our intents and entities (`rasa train nlu` does not need more)."""
    intents = sorted({e.intent for e in examples})
    entities = sorted({e.entity for example in examples for e in example.entities} | {"case_code"})
    return yaml.safe_dump({"version": "3.1", "intents": intents, "entities": entities}, allow_unicode=True)


@dataclass(frozen=True)
class RasaProject:
    """A written project folder and the key of everything that decides the model trained from it."""

    path: Path
    key: str

    @property
    def model_name(self) -> str:
        return f"nlu-{self.key}"


def write_project(
    path: Path, examples: Sequence[Example], pipeline: RasaPipeline | None = None
) -> RasaProject:
    """Write config.yml, data/nlu.yml and domain.yml under `path` (created), returning their key."""
    files = {
        "config.yml": yaml.safe_dump((pipeline or RasaPipeline()).config(), sort_keys=False),
        "data/nlu.yml": nlu_yaml(examples),
        "domain.yml": domain_yaml(examples),
    }
    digest = hashlib.sha256(requirements_key().encode())
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        digest.update(f"\0{name}\0{content}".encode())
    return RasaProject(path, digest.hexdigest()[:16])
