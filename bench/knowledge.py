"""What the knowledge base costs: training its index, and one question looked up, beside the intent parse.

Run: .venv/bin/python bench/knowledge.py [--rounds N]
Both models are trained from scratch into a temporary folder (no cache), in this process, one after the
other; then every held-out intent test message and every example question is looked up in turn, both ways,
alternating by round, so the two figures share the machine's noise. Memory is the growth of this process's
peak resident size while the index is trained and loaded (Linux ru_maxrss).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge import KnowledgeBase, questions_of  # noqa: E402
from bot.settings_loading import load_settings  # noqa: E402
from nlu.builtin import BuiltinClassifier, nlu_data_dir  # noqa: E402
from nlu.training_data import load_examples  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def per_call_ms(call: object, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        call(text)  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        # The index first: its peak memory is then its own, not the intent model's training.
        before = peak_mb()
        settings = load_settings(None, None, **{"nlu.model_dir": str(Path(folder) / "knowledge")})
        started = time.perf_counter()
        knowledge = KnowledgeBase.load(settings)
        knowledge_seconds = time.perf_counter() - started
        knowledge_mb = peak_mb() - before
        index_file = sum(p.stat().st_size for p in (Path(folder) / "knowledge").glob("*.joblib")) / 1e6
        before = peak_mb()
        started = time.perf_counter()
        classifier = BuiltinClassifier.load_or_train(nlu_data_dir(), Path(folder) / "intent")
        intent_seconds = time.perf_counter() - started
        intent_mb = peak_mb() - before
    topics = list(knowledge.topics.values())
    texts = [
        e.text
        for e in load_examples(ROOT / "nlu" / "eval" / "test_es.yml", ROOT / "nlu" / "eval" / "test_en.yml")
    ]
    texts += [q.text for q in questions_of(topics)]
    lookups: list[float] = []
    parses: list[float] = []
    for _ in range(rounds):
        lookups.append(per_call_ms(knowledge.find, texts))
        parses.append(per_call_ms(classifier.parse_sync, texts))
    lookup, parse = statistics.median(lookups), statistics.median(parses)
    print(f"knowledge base: {len(topics)} topics, {len(questions_of(topics))} example questions and titles")
    print(f"training, from scratch: index {knowledge_seconds:.1f} s, intent model {intent_seconds:.1f} s")
    print(
        f"peak memory grown while training: index {knowledge_mb:.0f} MB, then intent model {intent_mb:.0f} MB"
    )
    print(f"index on disk: {index_file:.1f} MB")
    print(f"{len(texts)} messages x {rounds} rounds, median per message:")
    print(f"  knowledge lookup {lookup:.3f} ms, intent parse {parse:.3f} ms, ratio {lookup / parse:.2f}")


if __name__ == "__main__":
    main()
