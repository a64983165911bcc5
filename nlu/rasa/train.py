"""Train a Rasa NLU model with `rasa train nlu` in Rasa's own virtualenv, cached by its inputs."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlu.rasa.project import RasaPipeline, RasaProject, write_project
from nlu.rasa.venv import Progress, RasaVenv
from nlu.training_data import Example, load_examples

LOG_TAIL_LINES = 20


class RasaTrainingError(RuntimeError):
    """`rasa train nlu` failed; the message holds the end of its output."""


def rasa_env() -> dict[str, str]:
    """The environment for a Rasa child process: no telemetry (no internet here), quiet TensorFlow."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONWARNINGS="ignore::DeprecationWarning",  # its libraries' noise, not about our data
        # Rasa's own model cache (.rasa/cache) only helps retraining the same data; folds would fill it.
        RASA_MAX_CACHE_SIZE="0",
    )
    return env


@dataclass(frozen=True)
class RasaModel:
    """A trained model archive and how it came to be."""

    path: Path
    key: str
    seconds: float
    from_cache: bool
    examples: int


def log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> str:
    if not log.exists():
        return ""
    return "".join(log.read_text(encoding="utf-8", errors="replace").splitlines(True)[-lines:])


def train_project(
    venv: RasaVenv,
    project: RasaProject,
    models_dir: Path,
    *,
    examples: int,
    force: bool = False,
    log: Path | None = None,
    prune: bool = False,
) -> RasaModel:
    """The model for `project` in `models_dir`, training it when none matches the project's key.

    With `log`, Rasa's output goes to that file; without, to this process's terminal, where DIET draws
    its own per-epoch progress bar. `prune` removes the folder's models of older training data.
    """
    target = models_dir / f"{project.model_name}.tar.gz"
    if target.exists() and not force:
        return RasaModel(target, project.key, 0.0, True, examples)
    models_dir.mkdir(parents=True, exist_ok=True)
    command = venv.rasa_command(
        "train", "nlu", "--config", "config.yml", "--nlu", "data", "--domain", "domain.yml",
        "--out", str(models_dir.resolve()), "--fixed-model-name", project.model_name,
    )  # fmt: skip
    started = time.monotonic()
    if log is None:
        code = subprocess.run(command, cwd=project.path, env=rasa_env(), check=False).returncode
    else:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w", encoding="utf-8") as out:
            code = subprocess.run(
                command, cwd=project.path, env=rasa_env(), stdout=out, stderr=subprocess.STDOUT, check=False
            ).returncode
    if code != 0 or not target.exists():
        where = f"; the last lines of {log}:\n{log_tail(log)}" if log else " (its output is above)"
        raise RasaTrainingError(f"`rasa train nlu` failed with exit code {code}{where}")
    if prune:
        for old in models_dir.glob("nlu-*.tar.gz"):
            if old != target:
                old.unlink(missing_ok=True)
    return RasaModel(target, project.key, time.monotonic() - started, False, examples)


def train_on(
    venv: RasaVenv,
    examples: Sequence[Example],
    work_dir: Path,
    *,
    pipeline: RasaPipeline | None = None,
    name: str = "project",
    force: bool = False,
    quiet: bool = False,
    prune: bool = False,
) -> RasaModel:
    """Write `examples` as a project in `work_dir/name` and train it into `work_dir/models`."""
    project = write_project(work_dir / name, examples, pipeline)
    log = work_dir / "logs" / f"train-{name.replace('/', '-')}.log" if quiet else None
    return train_project(
        venv, project, work_dir / "models", examples=len(examples), force=force, log=log, prune=prune
    )


def train_from_data(
    venv: RasaVenv,
    data_dir: Path,
    work_dir: Path,
    *,
    progress: Progress | None = None,
    force: bool = False,
    quiet: bool = False,
    pipeline: RasaPipeline | None = None,
) -> RasaModel:
    """The model of everything under `data_dir` (nlu/data): the one `nlu rasa-serve` serves."""
    say = progress or (lambda _: None)
    examples = load_examples(data_dir)
    project = write_project(work_dir / "project", examples, pipeline)
    target = work_dir / "models" / f"{project.model_name}.tar.gz"
    if not target.exists() or force:
        intents = len({e.intent for e in examples})
        say(f"rasa: training on {len(examples)} examples, {intents} intents (project in {project.path})")
    return train_on(venv, examples, work_dir, pipeline=pipeline, force=force, quiet=quiet, prune=True)


def current_model(data_dir: Path, work_dir: Path, pipeline: RasaPipeline | None = None) -> Path | None:
    """The trained model for the data as it is now, or None when `nlu train --backend rasa` is due."""
    project = write_project(work_dir / "project", load_examples(data_dir), pipeline)
    target = work_dir / "models" / f"{project.model_name}.tar.gz"
    return target if target.exists() else None
