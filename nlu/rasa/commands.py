"""The Rasa side of `ventanilla nlu`: train, serve, evaluate a file, and compare the backends."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.settings import Settings
from bot.settings_runtime import Nlu
from nlu.exits import fail

DEFAULT_RASA_PORT = 5005


def add_rasa_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--work-dir", type=Path, help="Rasa projects, models and logs (default: var/rasa)")
    parser.add_argument("--epochs", type=int, help="DIET training epochs for Rasa (default 40)")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fail(message: str, code: int = 1) -> int:
    return fail(message, code)


def _work_dir(args: argparse.Namespace, nlu: Nlu) -> Path:
    from nlu.factory import rasa_work_dir

    return Path(args.work_dir) if args.work_dir else rasa_work_dir(nlu)


def _pipeline(args: argparse.Namespace) -> Any:
    from nlu.rasa.project import RasaPipeline

    return RasaPipeline(epochs=args.epochs) if args.epochs else RasaPipeline()


def _venv(progress: Any = _say) -> Any:
    """Rasa's virtualenv, built on first use; an int exit code (2) after saying why it cannot be."""
    from nlu.rasa.venv import RasaSetupError, ensure_venv

    try:
        return ensure_venv(progress)
    except RasaSetupError as exc:
        return _fail(f"Rasa is not available: {exc}", 2)


def train_rasa_command(args: argparse.Namespace, settings: Settings) -> int:
    """`nlu train --backend rasa`: build or reuse the virtualenv, write the project, train (with progress)."""
    from nlu.builtin import nlu_data_dir
    from nlu.rasa.train import RasaTrainingError, train_from_data

    started = time.monotonic()
    venv = _venv(print)
    if isinstance(venv, int):
        return venv
    work_dir = _work_dir(args, settings.nlu)
    try:
        model = train_from_data(
            venv, nlu_data_dir(), work_dir, progress=print, force=args.force, pipeline=_pipeline(args)
        )
    except RasaTrainingError as exc:
        return _fail(str(exc))
    how = "up to date, not retrained" if model.from_cache else f"trained in {model.seconds:.0f} s"
    print(
        f"rasa model {model.path}: {model.examples} examples, {how} "
        f"({time.monotonic() - started:.0f} s in all); serve it with `ventanilla nlu rasa-serve`"
    )
    return 0


def exec_foreground(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Become the Rasa server: signals (Ctrl-C, SIGTERM from a supervisor) reach it directly."""
    os.chdir(cwd)
    os.execve(command[0], command, env)
    return 0  # not reached


def serve_command(args: argparse.Namespace, settings: Settings) -> int:
    """`nlu rasa-serve`: `rasa run --enable-api` on 127.0.0.1 with nlu/data's model, in the foreground."""
    from nlu.builtin import nlu_data_dir
    from nlu.rasa.server import LOOPBACK
    from nlu.rasa.server import serve_command as rasa_run
    from nlu.rasa.train import current_model, rasa_env

    work_dir = _work_dir(args, settings.nlu)
    model = args.model or current_model(nlu_data_dir(), work_dir, _pipeline(args))
    if model is None or not Path(model).exists():
        return _fail(
            f"no Rasa model for nlu/data as it is now in {work_dir / 'models'}: "
            "run `ventanilla nlu train --backend rasa` first"
        )
    venv = _venv()
    if isinstance(venv, int):
        return venv
    port = args.port or urlparse(settings.nlu.rasa_url).port or DEFAULT_RASA_PORT
    print(f"rasa: serving {model} on http://{LOOPBACK}:{port} (loopback only); Ctrl-C stops it", flush=True)
    return exec_foreground(rasa_run(venv, Path(model), port), work_dir, rasa_env())


def evaluate_rasa_file(args: argparse.Namespace, settings: Settings) -> dict[str, Any] | int:
    """`nlu evaluate --data F --backend rasa`: a model of nlu/data served on loopback, or --rasa-url's."""
    from nlu.builtin import nlu_data_dir
    from nlu.factory import build_builtin
    from nlu.rasa.client import RasaClassifier, RasaError
    from nlu.rasa.evaluation import EVALUATION_TIMEOUT
    from nlu.rasa.server import RasaServer, RasaServerError
    from nlu.rasa.train import RasaTrainingError, train_from_data
    from nlu.training_data import TrainingDataError, load_examples

    try:
        examples = load_examples(*args.data)
    except TrainingDataError as exc:
        return _fail(str(exc))
    if not examples:
        return _fail(f"no intent examples in {', '.join(map(str, args.data))}")
    local = build_builtin(settings)

    def score(url: str) -> dict[str, Any]:
        from nlu.evaluate import evaluate
        from nlu.factory import close_classifier

        async def run() -> dict[str, Any]:
            classifier = RasaClassifier(url, local, timeout=EVALUATION_TIMEOUT)
            try:
                return await evaluate(classifier, examples)
            finally:
                await close_classifier(classifier)

        return asyncio.run(run())

    try:
        if args.rasa_url:
            return score(args.rasa_url)
        venv = _venv()
        if isinstance(venv, int):
            return venv
        work_dir = _work_dir(args, settings.nlu)
        model = train_from_data(
            venv, nlu_data_dir(), work_dir, progress=_say, quiet=True, pipeline=_pipeline(args)
        )
        with RasaServer(venv, model.path, log=work_dir / "logs" / "serve-evaluate.log") as server:
            return score(server.url)
    except (RasaError, RasaServerError, RasaTrainingError) as exc:
        return _fail(f"Rasa: {exc}")


def compare_command(args: argparse.Namespace, settings: Settings, backend: str) -> int:
    """`nlu evaluate` without --data: the same folds, test split and public sets for each backend."""
    from nlu.comparison import Backend, BuiltinBackend, compare, format_table
    from nlu.confusion_plot import PlotUnavailable, write_confusion_png
    from nlu.rasa.evaluation import RasaBackend
    from nlu.rasa.server import RasaServerError
    from nlu.rasa.train import RasaTrainingError

    backends: list[Backend] = []
    rasa: RasaBackend | None = None
    if backend in ("builtin", "both"):
        backends.append(BuiltinBackend(settings.city.phone_region))
    if backend in ("rasa", "both"):
        venv = _venv()
        if isinstance(venv, int):
            return venv
        rasa = RasaBackend(
            venv, _work_dir(args, settings.nlu), _pipeline(args), _say, settings.city.phone_region
        )
        backends.append(rasa)
    started = time.monotonic()
    try:
        results = compare(backends, folds=args.folds, progress=_say)
    except (RasaServerError, RasaTrainingError) as exc:
        return _fail(f"Rasa: {exc}")
    plots = Path(args.plots) if args.plots else settings.nlu.model_dir.parent / "nlu-eval"
    pictures: dict[str, str] = {}
    for name, result in results.items():
        if not result["cv_gold"]:
            continue  # no folds, no pooled predictions to draw
        macro = result["rows"][0]["macro_f1"]
        title = f"{name}: {args.folds}-fold cross-validation on nlu/data (own examples), macro-F1 {macro:.3f}"
        try:
            picture = write_confusion_png(
                result["cv_gold"], result["cv_predicted"], plots / f"confusion-{name}.png", title
            )
        except PlotUnavailable as exc:
            _say(f"no picture: {exc}")
            break
        pictures[name] = str(picture)
    timings = rasa.timings if rasa is not None else []
    if args.json:
        shown = {name: {"latency": r["latency"], "rows": r["rows"]} for name, r in results.items()}
        print(json.dumps({"results": shown, "pictures": pictures, "rasa_timings": timings}, indent=2))
        return 0
    print(format_table(results))
    for name, path in pictures.items():
        print(f"confusion matrix, {name}: {path}")
    for timing in timings:
        how = "cached" if timing["cached"] else f"trained in {timing['train_s']} s"
        print(f"rasa {timing['split']}: model {how}, server up in {timing['serve_s']:.0f} s")
    print(f"({time.monotonic() - started:.0f} s in all)")
    return 0
