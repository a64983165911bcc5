"""The test run's own disk: a CI run once filled its machine's disk at 61 % (docs/performance.md)."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import KnowledgeBase
from bot.settings import Settings


def test_a_test_shares_the_runs_knowledge_index(settings: Settings, knowledge_base: KnowledgeBase) -> None:
    """Each test's model folder holds the run's index without a copy of its bytes."""
    trained = sorted(knowledge_base.model_dir.glob("knowledge-*.joblib"))
    assert trained, "the run's knowledge index was not trained"
    for original in trained:
        mine = Path(settings.nlu.model_dir) / original.name
        assert mine.stat().st_ino == original.stat().st_ino
        assert mine.stat().st_size > 1_000_000
