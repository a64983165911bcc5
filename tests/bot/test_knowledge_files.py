"""The topic files as the city writes them: YAML or Markdown, and every way one can be wrong named with its
file and field (the others still load)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge_files import load_topic, load_topics

QUESTIONS = {
    "es": ["donde queda la piscina", "horario de la piscina municipal", "cuanto cuesta entrar a la piscina",
           "la piscina abre los lunes?", "hay clases de natacion"],
    "en": ["where is the pool", "public pool hours", "how much is the pool", "is the pool open on monday",
           "swimming lessons"],
}  # fmt: skip


def topic(**changes: Any) -> dict[str, Any]:
    """A valid topic, with `changes` (a value of None removes the field)."""
    fields: dict[str, Any] = {
        "title": {"es": "Piscina municipal", "en": "Public pool"},
        "answer": {
            "es": "La piscina abre de martes a domingo de 8:00 a 18:00.",
            "en": "The pool opens Tue-Sun.",
        },
        "questions": QUESTIONS,
        "checked": date(2026, 11, 20),
        "link": "https://www.ejemplo.gov.co/piscina",
        "department": "public_works",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def write(folder: Path, name: str, fields: dict[str, Any] | str) -> Path:
    path = folder / name
    path.write_text(
        fields if isinstance(fields, str) else yaml.safe_dump(fields, allow_unicode=True), "utf-8"
    )
    return path


def test_a_yaml_topic_loads_with_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, "piscina.yml", topic(
        hours={"es": "Martes a domingo", "en": "Tuesday to Sunday"},
        by_area={"norte": {"es": "En el Norte, la del parque.", "en": "In the North, the park's pool."}},
        dates=[{"date": date(2027, 1, 10), "what": {"es": "abre la temporada", "en": "the season opens"}}],
        report="water", example=True,
    ))  # fmt: skip
    loaded = load_topic(path)
    assert loaded.slug == "piscina"
    assert loaded.questions["en"][0] == "where is the pool"
    assert loaded.fields == {"hours": {"es": "Martes a domingo", "en": "Tuesday to Sunday"}}
    assert loaded.by_area["norte"]["es"].startswith("En el Norte")
    assert [(d.day, d.what["en"]) for d in loaded.dates] == [(date(2027, 1, 10), "the season opens")]
    assert (loaded.report, loaded.example, loaded.checked) == ("water", True, date(2026, 11, 20))


def test_a_markdown_topic_takes_its_longer_part_from_the_body(tmp_path: Path) -> None:
    front = yaml.safe_dump(topic(), allow_unicode=True)
    path = write(
        tmp_path, "piscina.md", f"---\n{front}---\n## es\nLleva gorro de baño.\n\n## en\nBring a cap.\n"
    )
    loaded = load_topic(path)
    assert loaded.more == {"es": "Lleva gorro de baño.", "en": "Bring a cap."}
    assert loaded.title["es"] == "Piscina municipal"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("roto.yml", "title: {es: [sin cerrar\n", "roto.yml: not valid YAML"),
        ("lista.yml", "- solo\n- una lista\n", "lista.yml: expected the topic's fields"),
        ("sin-ingles.yml", topic(title={"es": "Piscina"}), "sin-ingles.yml: title: missing in en"),
        ("vacio.yml", topic(answer={"es": "  ", "en": "Open."}), "vacio.yml: answer: missing in es"),
        (
            "frances.yml",
            topic(title={"es": "a", "en": "b", "fr": "c"}),
            "frances.yml: title: unknown languages",
        ),
        ("campo.yml", topic(horario="8 a 5"), "campo.yml: unknown fields ['horario']"),
        ("fecha.yml", topic(checked="ayer"), "fecha.yml: checked: a date"),
        (
            "vence.yml",
            topic(dates=[{"date": "pronto", "what": {"es": "a", "en": "b"}}]),
            "vence.yml: dates[0].date",
        ),
        ("Mal Nombre.yml", topic(), "Mal Nombre.yml: the file name is the topic's code"),
        ("sin-preguntas.yml", topic(questions=None), "sin-preguntas.yml: questions:"),
        (
            "pregunta-vacia.yml",
            topic(questions={"es": ["a", ""], "en": ["b"]}),
            "questions.es: an empty question",
        ),
        (
            "sin-en.yml",
            topic(questions={"es": ["a"]}),
            "sin-en.yml: questions.en: a list of example questions",
        ),
        ("zona.yml", topic(by_area={"norte": "todos los días"}), "zona.yml: by_area.norte: the text in each"),
        ("portada.md", "title: sin portada\n", "portada.md: a Markdown topic starts with front matter"),
    ],
)
def test_a_broken_file_is_named_with_its_field_and_the_others_still_load(
    tmp_path: Path, name: str, content: dict[str, Any] | str, says: str
) -> None:
    write(tmp_path, "piscina.yml", topic())
    write(tmp_path, name, content)
    topics, problems = load_topics(tmp_path)
    assert [t.slug for t in topics] == ["piscina"]
    assert len(problems) == 1 and says in problems[0], problems


def test_readme_hidden_and_other_files_are_not_topics(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# Nuestros temas\n")
    write(tmp_path, ".borrador.yml", topic())
    write(tmp_path, "_plantilla.yml", topic())
    write(tmp_path, "notas.txt", "nada")
    assert load_topics(tmp_path) == ([], [])


def test_the_shipped_examples_all_load_and_say_they_are_examples() -> None:
    folder = Path(__file__).resolve().parents[2] / "knowledge"
    topics, problems = load_topics(folder)
    assert problems == []
    assert len(topics) >= 25
    assert all(t.example for t in topics)
    for path in folder.glob("*.yml"):
        assert path.read_text("utf-8").startswith("# EJEMPLO"), path.name
    hall = next(t for t in topics if t.slug == "horario-alcaldia")
    assert "Calle 10 # 5-20" in hall.answer["es"]  # not cut at " #" by YAML
