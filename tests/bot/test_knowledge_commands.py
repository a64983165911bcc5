"""`ventanilla knowledge check` and `ventanilla knowledge test`, run as the city's staff would: on the shipped
example set (it passes) and on folders with mistakes in them (each named with its file and field)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from tests.bot.test_knowledge_files import topic, write

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["knowledge", *argv])
    return code, capsys.readouterr().out


def questions(*words: str) -> dict[str, list[str]]:
    return {
        "es": [f"{w} {tail}" for w in words for tail in ("donde queda", "a que hora abre", "cuanto cuesta")],
        "en": [f"{w} {tail}" for w in words for tail in ("where is it", "what time does it open", "price")],
    }


def test_check_passes_the_shipped_example_set_and_says_it_is_an_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(capsys, "check", "--quick")
    assert code == 0, out
    assert "ERROR" not in out
    assert "topics are the shipped example (example: true): replace them" in out
    assert f"in {SHIPPED}: 0 errors" in out


def test_check_names_every_mistake_with_its_file_and_field_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "bien.yml", topic())
    write(tmp_path, "copia.yml", topic(title={"es": "Piscina (copia)", "en": "Pool (copy)"}))
    write(tmp_path, "roto.yml", "title: {es: [sin cerrar\n")
    write(tmp_path, "sin-ingles.yml", topic(title={"es": "Piscina"}))
    write(
        tmp_path,
        "largo.yml",
        topic(answer={"es": "a" * 321, "en": "Open."}, questions=questions("cancha", "coliseo")),
    )
    write(tmp_path, "pocas.yml", topic(questions={"es": ["una", "dos", "tres"], "en": QUESTIONS_EN}))
    write(tmp_path, "sin-fecha.yml", topic(checked=None, questions=questions("museo", "teatro")))
    write(
        tmp_path, "enlace.yml", topic(link="www.ejemplo.gov.co/x", questions=questions("parque", "estadio"))
    )
    write(tmp_path, "telefono.yml", topic(link="tel:601-555", questions=questions("cementerio", "mercado")))
    write(tmp_path, "depto.yml", topic(department="hacienda", questions=questions("terminal", "plaza")))
    write(tmp_path, "servicio.yml", topic(report="baches", questions=questions("zoologico", "vivero")))
    write(
        tmp_path,
        "zona.yml",
        topic(by_area={"oeste": {"es": "a", "en": "b"}}, questions=questions("feria", "muelle")),
    )
    code, out = run(capsys, "check", "--dir", str(tmp_path), "--quick")
    assert code == 1
    lines = out.splitlines()

    def said(*parts: str) -> bool:
        return any(all(p in line for p in parts) for line in lines)

    assert said("ERROR", "roto.yml:", "not valid YAML")
    assert said("ERROR", "sin-ingles.yml:", "title: missing in en")
    assert said("ERROR", "largo.yml:", "answer.es: 321 characters, over 320")
    assert said("ERROR", "pocas.yml:", "questions.es: 3 example questions, at least 5")
    assert said("ERROR", "sin-fecha.yml:", "checked: missing")
    assert said("ERROR", "enlace.yml:", "link: 'www.ejemplo.gov.co/x' is not a link")
    assert not said("telefono.yml")  # tel: links are links
    assert said("ERROR", "depto.yml:", "department: unknown department 'hacienda'")
    assert said("ERROR", "servicio.yml:", "report: unknown service 'baches'")
    assert said("ERROR", "zona.yml:", "by_area.oeste: unknown area")
    # The same question in two topics: the index cannot tell them apart.
    assert said("ERROR", "bien.yml:", "'donde queda la piscina' is also a question of copia.yml")
    assert lines[-1].startswith("10 topics in") and "errors" in lines[-1]


QUESTIONS_EN = [
    "where is the gym",
    "gym hours",
    "how much is the gym",
    "is the gym open on monday",
    "gym classes",
]


def test_check_warns_of_stale_topics_past_dates_and_text_cut_by_a_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "viejo.yml", topic(checked=date(2024, 1, 15)))
    fields: dict[str, Any] = topic(questions=questions("museo", "teatro"))
    fields["dates"] = [{"date": date(2025, 3, 1), "what": {"es": "vence", "en": "due"}}]
    text = yaml.safe_dump(fields, allow_unicode=True) + "where: {es: 'Calle 3', en: 'Calle 3'}\n"
    write(
        tmp_path,
        "fechas.yml",
        text.replace(
            "link: https://www.ejemplo.gov.co/piscina", "link: https://www.ejemplo.gov.co/piscina # la vieja"
        ),
    )
    cut = topic(questions=questions("parque", "estadio"))
    write(
        tmp_path,
        "corte.yml",
        yaml.safe_dump(cut, allow_unicode=True) + "hours:\n  es: Calle 10 # 5-20\n  en: Calle 10 # 5-20\n",
    )
    code, out = run(capsys, "check", "--dir", str(tmp_path), "--quick")
    assert code == 0, out  # warnings only
    assert "WARNING viejo.yml: checked: not checked since 2024-01-15 (12+ months)" in out
    assert "WARNING fechas.yml: dates[0]: 2025-03-01 has passed" in out
    assert "WARNING corte.yml: line" in out and "put the text in quotes" in out
    assert "fechas.yml: line" not in out  # a comment the city meant, after a link
    assert "example" not in out  # none of these is an example
    # --months: a longer patience for this run.
    code, out = run(capsys, "check", "--dir", str(tmp_path), "--quick", "--months", "60")
    assert "not checked since" not in out


def test_check_finds_questions_the_index_takes_for_another_topic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = topic()
    gym = topic(
        title={"es": "Gimnasio municipal", "en": "Public gym"},
        questions={
            "es": ["horario de la piscina del gimnasio", "donde queda el gimnasio", "precio del gimnasio",
                   "el gimnasio abre los lunes?", "clases en el gimnasio", "la piscina municipal abre hoy?"],
            "en": QUESTIONS_EN,
        },
    )  # fmt: skip
    write(tmp_path, "piscina.yml", pool)
    write(tmp_path, "gimnasio.yml", gym)
    code, out = run(capsys, "check", "--dir", str(tmp_path))
    assert code == 0, out
    assert "WARNING gimnasio.yml: question 'la piscina municipal abre hoy?' is answered as piscina.yml" in out


def test_check_on_a_folder_that_is_not_there_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "check", "--dir", str(tmp_path / "nada"))
    assert code == 1
    assert "no such folder" in out
    code, out = run(capsys, "check", "--dir", str(tmp_path))
    assert code == 1
    assert "no topic files" in out


def test_test_measures_the_shipped_set_above_the_bar_with_every_out_of_scope_message_kept_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(capsys, "test", "--json")
    figures = json.loads(out)
    assert code == 0, figures
    for language in ("es", "en"):
        assert figures["languages"][language]["rate"] >= 0.9
        assert figures["languages"][language]["questions"] >= 25 * 12
    assert figures["out_of_scope"] == {"messages": 20, "kept": 20, "taken": []}
    assert len(figures["reports"]["taken"]) <= 5  # of ~500 reports, status questions and small talk
    assert figures["passed"] is True


def test_test_fails_under_its_minimum_and_names_the_topics_found_least(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "piscina.yml", topic())
    # A second topic asked in the very same words: its questions are found as the other's as often as not.
    write(tmp_path, "piscina-norte.yml", topic(title={"es": "Piscina del norte", "en": "North pool"}))
    code, out = run(capsys, "test", "--dir", str(tmp_path), "--min", "0.99")
    assert code == 1
    assert "UNDER 99%" in out
    assert "Topics whose questions are found least:" in out
    assert "Out-of-scope messages (public sets, never learnt):" in out
    code, out = run(capsys, "test", "--dir", str(tmp_path), "--min", "0.99", "--json")
    assert code == 1
    assert json.loads(out)["passed"] is False


def test_test_needs_two_topics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "piscina.yml", topic())
    code, out = run(capsys, "test", "--dir", str(tmp_path))
    assert code == 1
    assert "at least two topics" in out
