"""Build the classifier the settings ask for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlu.base import Classifier
from nlu.builtin import BuiltinClassifier, nlu_data_dir

BACKENDS = ("builtin", "rasa")
# Read with getattr so these work before and after the settings grow keys for them.
RASA_TIMEOUT_KEY = "rasa_timeout_seconds"
RASA_COOLDOWN_KEY = "rasa_cooldown_seconds"
RASA_DIR_KEY = "rasa_dir"


class BackendUnavailable(RuntimeError):
    """The settings name an NLU backend this build cannot provide."""


def build_builtin(settings: Any, *, retrain: bool = False) -> BuiltinClassifier:
    return BuiltinClassifier.load_or_train(
        nlu_data_dir(), settings.nlu.model_dir, phone_region=settings.city.phone_region, retrain=retrain
    )


def build_rasa(settings: Any, builtin: BuiltinClassifier | None = None) -> Classifier:
    """Rasa at `settings.nlu.rasa_url`, with the built-in classifier behind it when Rasa cannot answer.

    No request is made here: a Rasa server that is down at start-up is the fallback's business, so the
    service starts either way. Close the result with `close_classifier` when the application stops.
    """
    from nlu.rasa.client import DEFAULT_TIMEOUT, RasaClassifier
    from nlu.rasa.fallback import DEFAULT_COOLDOWN, CircuitBreaker, FallbackClassifier

    local = builtin or build_builtin(settings)
    nlu = settings.nlu
    rasa = RasaClassifier(nlu.rasa_url, local, timeout=float(getattr(nlu, RASA_TIMEOUT_KEY, DEFAULT_TIMEOUT)))
    breaker = CircuitBreaker(cooldown=float(getattr(nlu, RASA_COOLDOWN_KEY, DEFAULT_COOLDOWN)))
    return FallbackClassifier(rasa, local, breaker=breaker)


def build_classifier(settings: Any, backend: str | None = None) -> Classifier:
    """The classifier for `settings.nlu.backend` (or `backend`); BackendUnavailable for an unknown one."""
    chosen = backend or settings.nlu.backend
    if chosen == "builtin":
        return build_builtin(settings)
    if chosen == "rasa":
        return build_rasa(settings)
    raise BackendUnavailable(f"unknown NLU backend {chosen!r}; expected one of {', '.join(BACKENDS)}")


async def close_classifier(classifier: object) -> None:
    """Release what a classifier holds (Rasa's connection pool); nothing for one that holds nothing."""
    close = getattr(classifier, "close", None)
    if close is not None:
        await close()


def rasa_work_dir(settings: Any) -> Path:
    """Where Rasa projects and models go: `nlu.rasa_dir`, else `rasa/` beside `nlu.model_dir` (var/rasa)."""
    configured = getattr(settings.nlu, RASA_DIR_KEY, None)
    return Path(configured) if configured else Path(settings.nlu.model_dir).parent / "rasa"
