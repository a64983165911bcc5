"""Every conversation story under tests/stories/, through the real pipeline, the real built-in classifier
and a real database (SQLite and PostgreSQL). `make stories` prints the pass rate by category."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.knowledge import KnowledgeBase
from bot.pipeline import Pipeline
from nlu.base import Classifier
from tests.support.stories import Story, Teller, load_stories

STORIES = load_stories()


@pytest.mark.parametrize("story", STORIES, ids=[s.id for s in STORIES])
async def test_story(
    story: Story,
    make_pipeline: Callable[..., Pipeline],
    builtin_classifier: Classifier,
    knowledge_base: KnowledgeBase,
    record_property: Callable[[str, object], None],
    request: pytest.FixtureRequest,
) -> None:
    record_property("story_category", story.category)
    if story.pending:
        request.applymarker(pytest.mark.xfail(reason=story.pending, strict=True))
    await Teller(make_pipeline(builtin_classifier, knowledge_base), story).play()
