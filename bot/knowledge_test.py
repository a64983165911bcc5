"""What `ventanilla knowledge test` measures: how often the right topic is found for example questions the
index did not learn, and that messages for no topic (the public out-of-scope sets, reports) stay outside.

Each topic's example questions are split, per language, into k folds; k indexes are trained, each on the
other folds (titles always kept) and the intent training data as the "none" class, and asked about the
fold they did not see, through the same `KnowledgeBase.find` the bot answers with, weighed against the
built-in intent classifier as the dialogue weighs it (a report it is sure of wins). The out-of-scope
sample and the intent test sets are never trained on.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.knowledge import ANSWER, CHOICE, NOTHING, Found, KnowledgeBase, questions_of, weigh
from bot.knowledge_files import Topic
from bot.settings import Settings
from bot.settings_base import LANGUAGES
from nlu.base import Parse
from nlu.intent_model import OUT_OF_SCOPE
from nlu.knowledge_index import KnowledgeIndex, Question, background_texts
from nlu.training_data import load_file

SEED = 17
Reader = Callable[[str], Parse]  # the intent classifier's reading, which the bot weighs a finding against
OOS_FILES = {"es": "fb_es_oos_test.yml", "en": "clinc150_oos_test.yml"}  # in nlu/eval/public/
OOS_PER_LANGUAGE = 10
INTENT_TESTS = {"es": "test_es.yml", "en": "test_en.yml"}  # in nlu/eval/


@dataclass(frozen=True)
class Held:
    """One example question asked of an index that did not learn it."""

    topic: str
    language: str
    text: str
    first: str | None  # the top-ranked topic
    kind: str  # what find() made of it: answer | choice | nothing
    found: tuple[str, ...]  # the topics answered or offered
    score: float


@dataclass
class LanguageScore:
    language: str
    questions: int = 0
    right_first: int = 0  # the right topic ranked first, however sure
    answered_right: int = 0  # answered outright with the right topic
    choice: int = 0  # offered as a choice of two or three
    choice_right: int = 0  # … with the right topic among them
    wrong_answer: int = 0  # answered outright with another topic
    missed: int = 0  # nothing close: the citizen would be told it is out of scope

    @property
    def rate(self) -> float:
        return self.right_first / self.questions if self.questions else 0.0


@dataclass
class Measurement:
    folds: int
    languages: dict[str, LanguageScore]
    worst: list[dict[str, Any]]  # topics with the most held-out questions not found first
    oos: list[dict[str, Any]] = field(default_factory=list)  # the public out-of-scope sample
    reports_taken: list[dict[str, Any]] = field(default_factory=list)  # intent test messages it would take
    intent_messages: int = 0
    intent_oos_taken: list[dict[str, Any]] = field(default_factory=list)  # test sets' own out-of-scope

    @property
    def oos_kept(self) -> int:
        return sum(1 for o in self.oos if o["kind"] == NOTHING)

    def as_json(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            "languages": {
                lang: asdict(score) | {"rate": round(score.rate, 4)} for lang, score in self.languages.items()
            },
            "worst_topics": self.worst,
            "out_of_scope": {"messages": len(self.oos), "kept": self.oos_kept, "taken": [
                o for o in self.oos if o["kind"] != NOTHING
            ]},
            "reports": {"messages": self.intent_messages, "taken": self.reports_taken},
            "intent_test_out_of_scope_taken": self.intent_oos_taken,
        }  # fmt: skip


def fold_of(topics: Sequence[Topic], folds: int) -> dict[tuple[str, str, str], int]:
    """Each (topic, language, question) to its fold: every topic's questions in a language spread evenly
    over the folds, in an order fixed by the topic (the same split every run)."""
    assigned: dict[tuple[str, str, str], int] = {}
    for topic in topics:
        for language in LANGUAGES:
            texts = list(topic.questions.get(language, ()))
            random.Random(f"{SEED}:{topic.slug}:{language}").shuffle(texts)
            for position, text in enumerate(texts):
                assigned[(topic.slug, language, text)] = position % folds
    return assigned


def _base(settings: Settings, topics: Sequence[Topic], index: KnowledgeIndex) -> KnowledgeBase:
    base = KnowledgeBase(settings)
    base.topics = {t.slug: t for t in topics}
    base.index = index
    return base


def decided(base: KnowledgeBase, text: str, reader: Reader | None) -> Found:
    """What the bot would do: the finding weighed against the intent classifier, as the dialogue does."""
    return weigh(base.find(text), reader(text) if reader is not None else None)


def cross_validate(
    topics: Sequence[Topic],
    settings: Settings,
    background: Sequence[str],
    folds: int = 5,
    reader: Reader | None = None,
) -> list[Held]:
    """Every example question, asked of the index trained without its fold."""
    assigned = fold_of(topics, folds)
    titles = [Question(t.title[lang], t.slug) for t in topics for lang in LANGUAGES if t.title.get(lang)]
    held: list[Held] = []
    for fold in range(folds):
        training = titles + [Question(text, slug) for (slug, _, text), f in assigned.items() if f != fold]
        asked = [key for key, f in assigned.items() if f == fold]
        if not asked:
            continue
        base = _base(settings, topics, KnowledgeIndex.train(training, background))
        for slug, language, text in asked:
            ranking = base.rank(text)
            found = decided(base, text, reader)
            first = ranking.best.topic if ranking is not None and ranking.best is not None else None
            held.append(
                Held(
                    slug, language, text, first, found.kind, tuple(t.slug for t in found.topics), found.score
                )
            )
    return held


def score(held: Sequence[Held]) -> dict[str, LanguageScore]:
    scores = {language: LanguageScore(language) for language in LANGUAGES}
    for h in held:
        s = scores[h.language]
        s.questions += 1
        s.right_first += h.first == h.topic
        if h.kind == ANSWER:
            s.answered_right += h.found == (h.topic,)
            s.wrong_answer += h.found != (h.topic,)
        elif h.kind == CHOICE:
            s.choice += 1
            s.choice_right += h.topic in h.found
        else:
            s.missed += 1
    return scores


def worst_topics(held: Sequence[Held], most: int = 5) -> list[dict[str, Any]]:
    by_topic: dict[str, list[Held]] = defaultdict(list)
    for h in held:
        by_topic[h.topic].append(h)
    rows: list[dict[str, Any]] = []
    for topic, asked in by_topic.items():
        wrong = [h for h in asked if h.first != h.topic]
        if wrong:
            rows.append({
                "topic": topic, "right_first": len(asked) - len(wrong), "questions": len(asked),
                "not_found": [{"question": h.text, "ranked_first": h.first, "kind": h.kind} for h in wrong],
            })  # fmt: skip
    rows.sort(key=lambda r: (int(r["right_first"]) / int(r["questions"]), str(r["topic"])))
    return rows[:most]


def oos_sample(eval_dir: Path) -> list[tuple[str, str]]:
    """A fixed sample of the public out-of-scope sets: (language, text), the same every run."""
    sample: list[tuple[str, str]] = []
    for language, name in OOS_FILES.items():
        texts = sorted({e.text for e in load_file(eval_dir / "public" / name)})
        sample.extend((language, text) for text in random.Random(SEED).sample(texts, OOS_PER_LANGUAGE))
    return sample


def measure(
    topics: Sequence[Topic],
    settings: Settings,
    data_dir: Path,
    eval_dir: Path,
    folds: int = 5,
    reader: Reader | None = None,
) -> Measurement:
    background = background_texts(data_dir)
    held = cross_validate(topics, settings, background, folds, reader)
    result = Measurement(folds, score(held), worst_topics(held))
    base = _base(settings, topics, KnowledgeIndex.train(questions_of(list(topics)), background))

    def outcome(language: str, text: str, **more: str) -> dict[str, Any]:
        found = decided(base, text, reader)
        return {"language": language, "text": text, "kind": found.kind,
                "topics": [t.slug for t in found.topics], "score": round(found.score, 3), **more}  # fmt: skip

    result.oos = [outcome(language, text) for language, text in oos_sample(eval_dir)]
    for language, name in INTENT_TESTS.items():
        for example in load_file(eval_dir / name):
            taken = outcome(language, example.text, intent=example.intent)
            if example.intent == OUT_OF_SCOPE:
                if taken["kind"] != NOTHING:
                    result.intent_oos_taken.append(taken)
                continue
            result.intent_messages += 1
            if taken["kind"] != NOTHING:
                result.reports_taken.append(taken)
    return result
