"""The `ventanilla nlu train|predict|evaluate|rasa-serve` commands."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.settings_runtime import Nlu
from nlu.base import Classifier, Parse
from nlu.evaluate import evaluate_file, format_report
from nlu.exits import EXIT_UNAVAILABLE, fail
from nlu.factory import BACKENDS, BackendUnavailable, build_builtin, build_classifier, close_classifier
from nlu.training_data import TrainingDataError

Handler = Callable[[argparse.Namespace, Settings], int]


def add_nlu_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `nlu` and its sub-commands on the application's top-level sub-parsers."""
    from nlu.rasa import commands as rasa_commands

    nlu = subparsers.add_parser("nlu", help="train, try and evaluate the intent classifier")
    commands = nlu.add_subparsers(
        dest="nlu_command", required=True, metavar="{train,predict,evaluate,rasa-serve}"
    )

    train = commands.add_parser("train", help="train the classifier on nlu/data and cache it")
    _add_backend(train)
    train.add_argument("--force", action="store_true", help="train even when a cached model matches")
    rasa_commands.add_rasa_options(train)
    train.set_defaults(func=train_command)

    predict = commands.add_parser("predict", help="classify each line of stdin, one JSON object per line")
    _add_backend(predict)
    predict.set_defaults(func=predict_command)

    evaluate = commands.add_parser(
        "evaluate",
        help="score on a Rasa NLU YAML test file, or (without --data) compare backends on the same splits",
    )
    evaluate.add_argument(
        "--data", type=Path, action="append", help="Rasa NLU YAML file or folder (repeatable)"
    )
    evaluate.add_argument("--backend", choices=(*BACKENDS, "both"), help="default: nlu.backend in config.yml")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    evaluate.add_argument(
        "--folds", type=int, default=5, help="cross-validation folds without --data (0: none)"
    )
    evaluate.add_argument(
        "--plots", type=Path, help="folder for the confusion-matrix PNGs (default: var/nlu-eval)"
    )
    evaluate.add_argument(
        "--rasa-url", help="with --data: score this running Rasa server instead of training one"
    )
    rasa_commands.add_rasa_options(evaluate)
    evaluate.set_defaults(func=evaluate_command)

    serve = commands.add_parser("rasa-serve", help="run a Rasa server on loopback with the trained model")
    serve.add_argument("--port", type=int, help="default: the port of nlu.rasa_url (5005)")
    serve.add_argument("--model", type=Path, help="a model archive (default: the one for nlu/data as it is)")
    rasa_commands.add_rasa_options(serve)
    serve.set_defaults(func=rasa_commands.serve_command)


def _add_backend(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=BACKENDS, help="default: nlu.backend in config.yml")


def _backend(args: argparse.Namespace, nlu: Nlu) -> str:
    return str(args.backend or nlu.backend)


def train_command(args: argparse.Namespace, settings: Settings) -> int:
    if _backend(args, settings.nlu) == "rasa":
        from nlu.rasa.commands import train_rasa_command

        return train_rasa_command(args, settings)
    started = time.perf_counter()
    try:
        classifier = build_builtin(settings, retrain=args.force)
    except (TrainingDataError, ValueError) as exc:
        return fail(f"cannot train: {exc}")
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


def classifier_for(settings: Settings, backend: str) -> Classifier | int:
    """The classifier, or the exit code after saying why there is none."""
    try:
        return build_classifier(settings, backend)
    except BackendUnavailable as exc:
        return fail(str(exc), EXIT_UNAVAILABLE)
    except (TrainingDataError, ValueError) as exc:
        return fail(f"cannot train: {exc}")


def predict_command(args: argparse.Namespace, settings: Settings) -> int:
    """With `--backend rasa`: the server at nlu.rasa_url, falling back (and logging) as the bot does."""
    classifier = classifier_for(settings, _backend(args, settings.nlu))
    if isinstance(classifier, int):
        return classifier

    async def run() -> None:
        try:
            for line in sys.stdin:
                parse = await classifier.parse(line.rstrip("\r\n"))
                sys.stdout.write(json.dumps(parse_to_json(parse), ensure_ascii=False) + "\n")
                sys.stdout.flush()  # a caller piping texts in one at a time waits for each answer
        finally:
            await close_classifier(classifier)

    asyncio.run(run())
    return 0


def evaluate_command(args: argparse.Namespace, settings: Settings) -> int:
    backend = _backend(args, settings.nlu)
    if not args.data:
        from nlu.rasa.commands import compare_command

        return compare_command(args, settings, backend)
    names = ("builtin", "rasa") if backend == "both" else (backend,)
    reports: dict[str, dict[str, Any]] = {}
    for name in names:
        report = _evaluate_one(args, settings, name)
        if isinstance(report, int):
            return report
        reports[name] = report
    if args.json:
        shown: Any = reports if backend == "both" else reports[backend]
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        for name, report in reports.items():
            if len(reports) > 1:
                print(f"== {name} ==")
            print(format_report(report))
            if len(reports) > 1:
                print()
    return 0


def _evaluate_one(args: argparse.Namespace, settings: Settings, backend: str) -> dict[str, Any] | int:
    if backend == "rasa":
        from nlu.rasa.commands import evaluate_rasa_file

        return evaluate_rasa_file(args, settings)
    classifier = classifier_for(settings, backend)
    if isinstance(classifier, int):
        return classifier
    try:
        report = asyncio.run(evaluate_file(classifier, *args.data))
    except TrainingDataError as exc:
        return fail(str(exc))
    if not report["examples"]:
        return fail(f"no intent examples in {', '.join(map(str, args.data))}")
    return report
