"""Reading Rasa NLU YAML: annotations stripped, entity offsets right, folders searched."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.training_data import (
    TrainingDataError,
    dump_rasa_yaml,
    language_of_path,
    load_examples,
    strip_annotations,
)


def test_round_bracket_annotations_become_offsets_in_the_plain_text() -> None:
    text, entities = strip_annotations("mi caso [K7M-4QP](case_code), llamar al [300 123 4567](phone_number)")
    assert text == "mi caso K7M-4QP, llamar al 300 123 4567"
    assert [(e.entity, text[e.start : e.end]) for e in entities] == [
        ("case_code", "K7M-4QP"),
        ("phone_number", "300 123 4567"),
    ]


def test_json_annotations_and_synonym_values() -> None:
    text, entities = strip_annotations('hueco en [la 45]{"entity": "address", "value": "calle 45"} ya')
    assert text == "hueco en la 45 ya"
    assert entities[0].entity == "address"
    assert entities[0].value == "calle 45"
    assert text[entities[0].start : entities[0].end] == "la 45"
    _, short = strip_annotations("[cll 5](address:calle 5)")
    assert (short[0].entity, short[0].value) == ("address", "calle 5")


def test_bad_json_annotation_is_an_error_not_silence() -> None:
    with pytest.raises(TrainingDataError):
        strip_annotations("[x]{entity: address}")


def test_folders_are_read_recursively_with_language_from_the_path(tmp_path: Path) -> None:
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "a.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hola\n    - buenas [tardes](x)\n',
        encoding="utf-8",
    )
    (tmp_path / "domain.yml").write_text("responses:\n  utter_hi:\n  - text: hi\n", encoding="utf-8")
    (tmp_path / "more_en.yml").write_text(
        "nlu:\n- intent: thanks\n  examples:\n  - text: thank you\n    metadata: {}\n- synonym: x\n"
        "  examples: |\n    - y\n",
        encoding="utf-8",
    )
    examples = load_examples(tmp_path)
    assert [(e.text, e.intent, e.language) for e in examples] == [
        ("hola", "greet", "es"),
        ("buenas tardes", "greet", "es"),
        ("thank you", "thanks", "en"),
    ]


def test_language_of_path() -> None:
    assert language_of_path(Path("nlu/data/es/reports.yml")) == "es"
    assert language_of_path(Path("nlu/eval/test_en.yml")) == "en"
    assert language_of_path(Path("nlu/data/public/oos_es.yml")) == "es"
    assert language_of_path(Path("nlu/data/reports.yml")) is None


def test_missing_file_and_broken_yaml_are_errors(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError):
        load_examples(tmp_path / "nope.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("nlu: [\n", encoding="utf-8")
    with pytest.raises(TrainingDataError):
        load_examples(broken)


def test_dump_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "out_en.yml"
    path.write_text(dump_rasa_yaml([("set an alarm", "out_of_scope"), ("hi\nthere", "greet")], "Source: x"))
    assert path.read_text().startswith("# Source: x\n")
    assert [(e.text, e.intent) for e in load_examples(path)] == [
        ("set an alarm", "out_of_scope"),
        ("hi there", "greet"),
    ]
