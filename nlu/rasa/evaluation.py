"""Rasa as a backend of `nlu.comparison`: train per split, serve on loopback, parse over HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from nlu.base import Classifier
from nlu.builtin import BuiltinClassifier, train_model
from nlu.rasa.client import RasaClassifier
from nlu.rasa.project import RasaPipeline
from nlu.rasa.server import RasaServer
from nlu.rasa.train import train_on
from nlu.rasa.venv import Progress, RasaVenv
from nlu.training_data import Example

# Generous: evaluation measures Rasa, it does not guard a conversation (the service uses 1.5 s).
EVALUATION_TIMEOUT = 30.0


@dataclass
class RasaBackend:
    """Trains one Rasa model per split (cached by its inputs) and serves it while the split is parsed."""

    venv: RasaVenv
    work_dir: Path
    pipeline: RasaPipeline = field(default_factory=RasaPipeline)
    progress: Progress | None = None
    phone_region: str = "CO"
    name: str = "rasa"
    latency: str = (
        "HTTP `POST /model/parse` to a Rasa 3.6 server on loopback, one message at a time, "
        "plus the same entity and language step as the built-in"
    )
    timings: list[dict[str, object]] = field(default_factory=list)

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    @contextmanager
    def trained(self, examples: Sequence[Example], label: str) -> Iterator[Classifier]:
        # The model of all the data is the one `nlu train --backend rasa` makes: same folder, same key.
        where, name = (self.work_dir, "project") if label == "full" else (self.work_dir / "eval", label)
        model = train_on(self.venv, examples, where, pipeline=self.pipeline, name=name, quiet=True)
        how = "from cache" if model.from_cache else f"trained in {model.seconds:.0f} s"
        started = time.monotonic()
        with RasaServer(self.venv, model.path, log=self.work_dir / "logs" / f"serve-{label}.log") as server:
            up = time.monotonic() - started
            self._say(f"rasa {label}: model {how}, server up in {up:.0f} s at {server.url}")
            self.timings.append(
                {
                    "split": label,
                    "train_s": round(model.seconds, 1),
                    "cached": model.from_cache,
                    "serve_s": up,
                }
            )
            local = BuiltinClassifier(train_model(list(examples)), phone_region=self.phone_region)
            yield RasaClassifier(server.url, local, timeout=EVALUATION_TIMEOUT)
