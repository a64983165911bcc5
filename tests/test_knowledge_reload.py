"""Editing a topic's file changes the next answer without a restart: the pipeline reads the folder again
before a message (new answers at once), and retrains the index when the questions changed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from bot.knowledge import KnowledgeBase
from bot.pipeline import Pipeline
from bot.settings_loading import load_settings
from nlu.base import Classifier
from tests.support.conversation import Citizen

ROOT = Path(__file__).resolve().parents[1]
NEW_QUESTION = "donde vacunan gratis a los gatos del barrio"
# A topic of the test's own beside the shipped ones, so edits to the example set do not move this test.
LIBRARY = """title: {es: Biblioteca municipal, en: City library}
answer: {es: "La biblioteca abre de 9:00 a 18:00.", en: "The library opens from 9:00 to 18:00."}
checked: 2026-11-20
questions:
  es:
    - a que hora abre la biblioteca
    - horario de la biblioteca municipal
    - donde queda la biblioteca publica
    - la biblioteca abre los domingos?
  en:
    - what time does the library open
    - city library opening hours
"""


def said(replies: list) -> str:  # type: ignore[type-arg]
    return "\n".join(r.text for r in replies)


async def test_an_edited_answer_and_a_new_question_apply_without_a_restart(
    tmp_path: Path, make_pipeline: Callable[..., Pipeline], builtin_classifier: Classifier
) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder)
    topic = folder / "biblioteca.yml"
    topic.write_text(LIBRARY, encoding="utf-8")
    overrides = {
        "knowledge.dir": str(folder),
        "knowledge.reload_seconds": "0",
        "nlu.model_dir": str(tmp_path / "model"),
    }
    base = KnowledgeBase.load(load_settings(None, None, **overrides))
    ana = Citizen(make_pipeline(builtin_classifier, base), "web-ana-5f3c9d27e1")

    assert "9:00 a 18:00" in said(await ana.says("a que hora abre la biblioteca?"))

    topic.write_text(LIBRARY.replace("de 9:00 a 18:00", "de 10:00 a 19:00"), encoding="utf-8")
    answer = said(await ana.says("a que hora abre la biblioteca?"))
    assert "10:00 a 19:00" in answer and "9:00 a 18:00" not in answer

    assert "10:00 a 19:00" not in said(await ana.says(NEW_QUESTION))  # not a question it knows yet
    edited = LIBRARY.replace("de 9:00 a 18:00", "de 10:00 a 19:00")
    topic.write_text(edited.replace("  es:\n", f"  es:\n    - {NEW_QUESTION}\n", 1), encoding="utf-8")
    await base.refresh(wait=True)
    assert "10:00 a 19:00" in said(await ana.says(NEW_QUESTION))
