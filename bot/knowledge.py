"""The knowledge base the bot answers from: the city's topic files, and the index that finds a topic.

Read again when the files change, without a restart: every turn looks (at most every
`knowledge.reload_seconds`) at the files' names, sizes and times. New answers apply at once; new example
questions retrain the index in a thread while the old one keeps answering (a few seconds).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge_files import Topic, load_topics, topic_files
from bot.settings import Settings
from nlu.base import Parse
from nlu.builtin import nlu_data_dir
from nlu.knowledge_index import KnowledgeIndex, Question, Ranking, load_or_train

log = logging.getLogger(__name__)

ANSWER, CHOICE, NOTHING = "answer", "choice", "nothing"
# The index this sure of one topic outweighs the intent classifier (its unsure "frustration" on "a que hora
# abre la alcaldia", or a report); below it, a report the classifier is this sure of wins.
SURE = 0.9


@dataclass(frozen=True)
class Found:
    """What the knowledge base makes of a message: one topic to answer, two or three to choose from, or
    nothing close (then the message is not a question for it)."""

    kind: str  # answer | choice | nothing
    topics: tuple[Topic, ...] = ()
    score: float = 0.0  # the best topic's probability


def questions_of(topics: list[Topic]) -> list[Question]:
    """What the index learns from: every example question of every topic, and its titles."""
    found: list[Question] = []
    for topic in topics:
        for language, texts in topic.questions.items():
            found.extend(
                Question(text, topic.slug) for text in (topic.title.get(language, ""), *texts) if text
            )
    return found


class KnowledgeBase:
    """The topics and the index, kept true to the folder."""

    def __init__(self, settings: Settings, *, data_dir: Path | None = None) -> None:
        self.settings = settings
        self.folder = settings.knowledge.dir
        self.model_dir = settings.nlu.model_dir
        self.data_dir = data_dir or nlu_data_dir()
        self.topics: dict[str, Topic] = {}
        self.problems: list[str] = []  # files left out, and why
        self.index: KnowledgeIndex | None = None
        self._seen: tuple[tuple[str, int, int], ...] | None = None
        self._looked = 0.0
        self._training: asyncio.Task[None] | None = None

    @classmethod
    def load(cls, settings: Settings, *, data_dir: Path | None = None) -> KnowledgeBase:
        """Read the folder and load (or train) its index now."""
        base = cls(settings, data_dir=data_dir)
        base._read()
        base.index = base._train() if base.topics else None
        return base

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        found = []
        for path in topic_files(self.folder):
            try:
                stat = path.stat()
            except OSError:
                continue  # removed while looking
            found.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def _read(self) -> None:
        self._seen = self._fingerprint()
        topics, self.problems = load_topics(self.folder)
        self.topics = {t.slug: t for t in topics}
        for problem in self.problems:
            log.warning("knowledge base: %s (left out)", problem)

    def _train(self) -> KnowledgeIndex:
        return load_or_train(questions_of(list(self.topics.values())), self.data_dir, self.model_dir)

    async def refresh(self, *, wait: bool = False) -> None:
        """Read the folder again if it changed; retrain the index if the questions did (in a thread; `wait`
        for it, as tests and commands do)."""
        now = time.monotonic()
        if not wait and now - self._looked < self.settings.knowledge.reload_seconds:
            return
        self._looked = now
        if self._fingerprint() != self._seen:
            before = questions_of(list(self.topics.values()))
            self._read()
            log.info("knowledge base read again: %d topics", len(self.topics))
            retrain = questions_of(list(self.topics.values())) != before or self.index is None
            if retrain and (self._training is None or self._training.done()):
                self._training = asyncio.create_task(self._retrain())
        if wait and self._training is not None:
            await self._training

    async def _retrain(self) -> None:
        while True:
            questions = questions_of(list(self.topics.values()))
            try:
                self.index = await asyncio.to_thread(self._train) if self.topics else None
            except Exception:
                log.exception("knowledge index could not be trained; the previous one stays")
                return
            if questions_of(list(self.topics.values())) == questions:
                return  # else the files changed again while training: once more

    def rank(self, text: str) -> Ranking | None:
        return self.index.rank(text) if self.index is not None else None

    def find(self, text: str) -> Found:
        """The topic to answer, the two or three to offer, or nothing."""
        ranking = self.rank(text)
        if ranking is None:
            return Found(NOTHING)
        # An index older than the files may name a topic just removed: it is not offered.
        known = [(self.topics[c.topic], c.score) for c in ranking.candidates if c.topic in self.topics]
        if not known:
            return Found(NOTHING)
        best = known[0][1]
        second = known[1][1] if len(known) > 1 else 0.0
        settings = self.settings.knowledge
        # Sure enough, and clearly more than the next: two topics at 0.5 each are a choice, not an answer.
        if best >= settings.answer_at and best - second >= settings.margin:
            return Found(ANSWER, (known[0][0],), best)
        # Unsure which, but sure enough that it is one of them: the topics close enough, as choices.
        close = [(topic, score) for topic, score in known[:3] if score >= settings.choose_at]
        if close and sum(score for _, score in close) >= settings.answer_at:
            return Found(CHOICE, tuple(topic for topic, _ in close), best)
        return Found(NOTHING, score=best)


def weigh(found: Found, parse: Parse | None) -> Found:
    """What the bot does with a finding, given the intent classifier's reading of the same message: "the
    garbage truck didn't come" is near the schedule's questions (0.84) but the classifier is sure it is a
    complaint, and a report the citizen came to file wins over an answer they did not ask for."""
    if found.kind == NOTHING or found.score >= SURE or parse is None:
        return found
    if parse.intent.startswith("report_") and parse.confidence >= SURE:
        return Found(NOTHING, score=found.score)
    return found
