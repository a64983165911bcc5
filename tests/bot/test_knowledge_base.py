"""The knowledge base kept true to its folder: edits answer at once, new questions after a retrain, a bad
file is left out with its reason and the rest still answers, a removed topic is never offered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import ANSWER, NOTHING, KnowledgeBase
from bot.settings import Settings
from bot.settings_loading import load_settings

REPO = Path(__file__).resolve().parents[2]
HOURS = "a que hora abre la alcaldia"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    copy.mkdir()
    for name in ("horario-alcaldia.yml", "impuesto-predial.yml", "recoleccion-basura.yml"):
        shutil.copy(REPO / "knowledge" / name, copy / name)
    return copy


@pytest.fixture
def base_settings(folder: Path, tmp_path: Path) -> Settings:
    overrides = {
        "knowledge.dir": str(folder),
        "knowledge.reload_seconds": "0",
        "nlu.model_dir": str(tmp_path),
    }
    return load_settings(None, None, **overrides)


def test_questions_find_their_topic_and_reports_stay_out(base_settings: Settings) -> None:
    base = KnowledgeBase.load(base_settings)
    assert base.problems == []
    found = base.find("¿a qué hora abre la alcaldía?")
    assert found.kind == ANSWER and found.topics[0].slug == "horario-alcaldia"
    assert base.find("where do I pay my property tax").topics[0].slug == "impuesto-predial"
    for not_a_question in ("no pasó el camión de la basura", "hay un hueco enorme en la 10", "hola", ""):
        assert base.find(not_a_question).kind == NOTHING, not_a_question


async def test_an_edited_answer_is_the_next_answer(base_settings: Settings, folder: Path) -> None:
    base = KnowledgeBase.load(base_settings)
    index = base.index
    path = folder / "horario-alcaldia.yml"
    path.write_text(path.read_text().replace("de 7:30 a 16:30", "de 8:00 a 15:00"))
    await base.refresh()
    topic = base.find(HOURS).topics[0]
    assert "de 8:00 a 15:00" in topic.answer["es"]
    assert base.index is index  # the questions did not change: nothing to retrain


async def test_new_questions_are_found_after_the_retrain(base_settings: Settings, folder: Path) -> None:
    base = KnowledgeBase.load(base_settings)
    assert base.find("donde vacunan a mi perro contra la rabia").kind == NOTHING
    (folder / "vacunacion-mascotas.yml").write_text(
        (REPO / "knowledge" / "horario-alcaldia.yml").read_text().split("questions:")[0]
        + "questions:\n  es:\n"
        + "".join(
            f"    - {q}\n"
            for q in (
                "donde vacunan a los perros",
                "vacuna antirrabica para mi gato",
                "jornada de vacunacion de mascotas",
                "cuando es la vacunacion de perros y gatos",
                "vacunar a mi perro gratis",
            )
        )
        + "  en:\n    - where can i vaccinate my dog\n    - free rabies shot for cats\n"
        + "    - pet vaccination day\n    - dog vaccine clinic\n    - when is the pet vaccination\n"
    )
    await base.refresh(wait=True)
    assert "vacunacion-mascotas" in base.topics
    assert base.find("donde vacunan a mi perro contra la rabia").topics[0].slug == "vacunacion-mascotas"


async def test_a_broken_file_is_left_out_and_the_rest_still_answers(
    base_settings: Settings, folder: Path
) -> None:
    base = KnowledgeBase.load(base_settings)
    (folder / "impuesto-predial.yml").write_text("title: [unclosed\n")
    await base.refresh(wait=True)
    assert any("impuesto-predial.yml" in problem for problem in base.problems)
    assert "impuesto-predial" not in base.topics
    # The retrained index no longer has it; whatever it says about a tax question, it is not offered.
    assert all(t.slug != "impuesto-predial" for t in base.find("donde pago el predial").topics)
    assert base.find(HOURS).topics[0].slug == "horario-alcaldia"


async def test_a_removed_topic_is_not_offered_even_before_the_retrain(
    base_settings: Settings, folder: Path
) -> None:
    base = KnowledgeBase.load(base_settings)
    (folder / "impuesto-predial.yml").unlink()
    await base.refresh()  # reads the folder; the retrain runs behind
    assert all(t.slug != "impuesto-predial" for t in base.find("donde pago el predial").topics)
    await base.refresh(wait=True)


def test_an_empty_folder_answers_nothing(tmp_path: Path) -> None:
    settings = load_settings(
        None, None, **{"knowledge.dir": str(tmp_path / "none"), "nlu.model_dir": str(tmp_path)}
    )
    base = KnowledgeBase.load(settings)
    assert base.topics == {} and base.find(HOURS).kind == NOTHING
