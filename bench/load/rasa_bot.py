"""What a city would otherwise deploy: Rasa 3.6 trained on our nlu/data, answering each intent by a rule.

The assistant is the smallest one that does the web chat's job in Rasa's own terms: the same NLU
pipeline Ventanilla's Rasa backend trains (nlu/rasa/project.py), a domain with one response per intent
(the service's name for each `report_<service>`), one rule per intent, RulePolicy, and the REST channel
switched on in credentials.yml. Models are cached by everything that decides them.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.settings_loading import load_settings
from nlu.builtin import nlu_data_dir
from nlu.rasa.project import RasaPipeline, nlu_yaml
from nlu.rasa.train import rasa_env
from nlu.rasa.venv import RasaVenv, cache_dir, ensure_venv, requirements_key
from nlu.training_data import load_examples

TRAIN_TIMEOUT = 1800.0  # seconds; about 4 minutes on 2 cores, far more on a busy machine

ANSWERS = {
    "greet": "¡Hola! Soy la ventanilla de la ciudad. ¿Qué problema quieres reportar?",
    "report_problem": "¿Sobre qué es? Bache, alumbrado, basura, agua, ruido, árboles…",
    "case_status": "Dime el código de tu caso y te cuento cómo va.",
    "human_handoff": "Te paso con una persona del equipo; te escribirá por aquí.",
    "help": "Puedo recibir reportes de problemas de la ciudad y decirte cómo va tu caso.",
    "goodbye": "¡Hasta pronto!",
    "thanks": "¡Con gusto!",
    "affirm": "Listo, quedó registrado.",
    "deny": "De acuerdo, no lo registro.",
    "out_of_scope": "Eso no lo atiendo por aquí; puedo recibir reportes de problemas de la ciudad.",
}


@dataclass(frozen=True)
class RasaAssistant:
    """A trained model and the folder holding its project and credentials.yml."""

    venv: RasaVenv
    project: Path
    model: Path
    trained_seconds: float  # 0 when it came from the cache

    def serve_command(self, port: int, host: str) -> list[str]:
        return self.venv.rasa_command(
            "run", "--enable-api", "-m", str(self.model), "-p", str(port), "-i", host,
            "--credentials", str(self.project / "credentials.yml"),
        )  # fmt: skip


def _answer(intent: str, services: dict[str, str]) -> str:
    if intent.startswith("report_") and intent.removeprefix("report_") in services:
        return f"Entendido: {services[intent.removeprefix('report_')].lower()}. ¿Dónde es?"
    return ANSWERS.get(intent, "No te entendí bien. ¿Me lo dices de otra forma?")


def _dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def project_files() -> dict[str, str]:
    """The project's files, by path, from nlu/data and the service catalog in config.yml."""
    examples = load_examples(nlu_data_dir())
    intents = sorted({e.intent for e in examples})
    catalog = load_settings().services
    services = {code: service.name.es for code, service in catalog.items()}
    config: dict[str, Any] = RasaPipeline().config()
    config["policies"] = [{"name": "RulePolicy"}]
    domain = {
        "version": "3.1",
        "intents": intents,
        "responses": {f"utter_{i}": [{"text": _answer(i, services)}] for i in intents},
        "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True},
    }
    rules = {
        "version": "3.1",
        "rules": [
            {"rule": f"answer {i}", "steps": [{"intent": i}, {"action": f"utter_{i}"}]} for i in intents
        ],
    }
    return {
        "config.yml": _dump(config),
        "domain.yml": _dump(domain),
        "data/nlu.yml": nlu_yaml(examples),
        "data/rules.yml": _dump(rules),
        "credentials.yml": _dump({"rest": None}),
    }


def prepare(say: Callable[[str], None] = print) -> RasaAssistant:
    """The trained assistant, from the cache when its inputs have not changed (else `rasa train`)."""
    venv = ensure_venv(say)
    files = project_files()
    digest = hashlib.sha256(requirements_key().encode())
    for name, content in sorted(files.items()):
        digest.update(f"\0{name}\0{content}".encode())
    folder = cache_dir() / "bench-load" / f"rasa-{digest.hexdigest()[:16]}"
    model = folder / "models" / "assistant.tar.gz"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder.parent / f"{folder.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one trainer at a time for the same inputs
        for name, content in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(content, encoding="utf-8")
        if model.exists():
            return RasaAssistant(venv, folder, model, 0.0)
        say(f"rasa: training the assistant in {folder} (minutes the first time; log: train.log)")
        started = time.monotonic()
        scratch = folder / "training"
        shutil.rmtree(scratch, ignore_errors=True)
        command = venv.rasa_command(
            "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
            "--out", str(scratch), "--fixed-model-name", "assistant",
        )  # fmt: skip
        with (folder / "train.log").open("w", encoding="utf-8") as log:
            done = subprocess.run(
                command, cwd=folder, env=rasa_env(), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, timeout=TRAIN_TIMEOUT, check=False, start_new_session=True,
            )  # fmt: skip
        trained = scratch / "assistant.tar.gz"
        if done.returncode != 0 or not trained.exists():
            tail = (folder / "train.log").read_text(errors="replace").splitlines()[-20:]
            raise RuntimeError(f"rasa train failed (exit {done.returncode}):\n" + "\n".join(tail))
        model.parent.mkdir(parents=True, exist_ok=True)
        trained.replace(model)  # only a finished model ever has the cached name
        shutil.rmtree(scratch, ignore_errors=True)
        return RasaAssistant(venv, folder, model, time.monotonic() - started)


if __name__ == "__main__":
    import paths  # noqa: F401  (the repository on sys.path when run on its own)

    assistant = prepare()
    print(assistant.model, f"trained in {assistant.trained_seconds:.0f} s")
