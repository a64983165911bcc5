"""The `ventanilla nlu train|predict|evaluate` commands."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nlu.base import Classifier, Parse
from nlu.evaluate import evaluate_file, format_report
from nlu.factory import BACKENDS, RASA_UNAVAILABLE, BackendUnavailable, build_builtin, build_classifier
from nlu.training_data import TrainingDataError

Handler = Callable[[argparse.Namespace, Any], int]
EXIT_FAILED = 1
EXIT_UNAVAILABLE = 2


def add_nlu_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `nlu` and its sub-commands on the application's top-level sub-parsers."""
    nlu = subparsers.add_parser("nlu", help="train, try and evaluate the intent classifier")
    commands = nlu.add_subparsers(dest="nlu_command", required=True, metavar="{train,predict,evaluate}")

    train = commands.add_parser("train", help="train the classifier on nlu/data and cache it")
    _add_backend(train)
    train.add_argument("--force", action="store_true", help="train even when a cached model matches")
    train.set_defaults(func=train_command)

    predict = commands.add_parser("predict", help="classify each line of stdin, one JSON object per line")
    _add_backend(predict)
    predict.set_defaults(func=predict_command)

    evaluate = commands.add_parser("evaluate", help="score the classifier on a Rasa NLU YAML test file")
    evaluate.add_argument(
        "--data", type=Path, action="append", required=True, help="Rasa NLU YAML file or folder (repeatable)"
    )
    _add_backend(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    evaluate.set_defaults(func=evaluate_command)


def _add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=BACKENDS, help="default: nlu.backend in config.yml")


def _backend(args: argparse.Namespace, settings: Any) -> str:
    return str(args.backend or settings.nlu.backend)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"ventanilla nlu: {message}", file=sys.stderr)
    return code


def train_command(args: argparse.Namespace, settings: Any) -> int:
    if _backend(args, settings) != "builtin":
        return _fail(RASA_UNAVAILABLE, EXIT_UNAVAILABLE)
    started = time.perf_counter()
    try:
        classifier = build_builtin(settings, retrain=args.force)
    except (TrainingDataError, ValueError) as exc:
        return _fail(f"cannot train: {exc}")
    model = classifier.model
    how = "loaded from cache" if classifier.from_cache else f"trained in {model.train_seconds:.1f} s"
    print(
        f"builtin model {model.key}: {model.examples} examples, {len(model.intents)} intents, {how} "
        f"({time.perf_counter() - started:.2f} s), cached in {settings.nlu.model_dir}"
    )
    return 0


def parse_to_json(parse: Parse) -> dict[str, Any]:
    """The line `nlu predict` prints for one text."""
    return {
        "text": parse.text,
        "intent": parse.intent,
        "confidence": round(parse.confidence, 4),
        "ranking": [{"intent": s.intent, "confidence": round(s.confidence, 4)} for s in parse.ranking],
        "entities": [
            {"entity": e.entity, "value": e.value, "start": e.start, "end": e.end} for e in parse.entities
        ],
        "language": parse.language,
    }


def _classifier(args: argparse.Namespace, settings: Any) -> Classifier | int:
    """The classifier, or the exit code after saying why there is none."""
    try:
        return build_classifier(settings, _backend(args, settings))
    except BackendUnavailable as exc:
        return _fail(str(exc), EXIT_UNAVAILABLE)
    except (TrainingDataError, ValueError) as exc:
        return _fail(f"cannot train: {exc}")


def predict_command(args: argparse.Namespace, settings: Any) -> int:
    classifier = _classifier(args, settings)
    if isinstance(classifier, int):
        return classifier

    async def run() -> None:
        for line in sys.stdin:
            parse = await classifier.parse(line.rstrip("\r\n"))
            sys.stdout.write(json.dumps(parse_to_json(parse), ensure_ascii=False) + "\n")
            sys.stdout.flush()  # a caller piping texts in one at a time waits for each answer

    asyncio.run(run())
    return 0


def evaluate_command(args: argparse.Namespace, settings: Any) -> int:
    classifier = _classifier(args, settings)
    if isinstance(classifier, int):
        return classifier
    try:
        report = asyncio.run(evaluate_file(classifier, *args.data))
    except TrainingDataError as exc:
        return _fail(str(exc))
    if not report["examples"]:
        return _fail(f"no intent examples in {', '.join(map(str, args.data))}")
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0
