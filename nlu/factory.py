"""Build the classifier the settings ask for."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings
from bot.settings_runtime import Nlu
from nlu.base import Classifier
from nlu.builtin import BuiltinClassifier, nlu_data_dir

BACKENDS = ("builtin", "rasa")


class BackendUnavailable(RuntimeError):
    """The settings name an NLU backend this build cannot provide."""


def build_builtin(settings: Settings, *, retrain: bool = False) -> BuiltinClassifier:
    return BuiltinClassifier.load_or_train(
        nlu_data_dir(), settings.nlu.model_dir, phone_region=settings.city.phone_region, retrain=retrain
    )


def build_rasa(settings: Settings, builtin: BuiltinClassifier | None = None) -> Classifier:
    """Rasa at `settings.nlu.rasa_url`, with the built-in classifier behind it when Rasa cannot answer.

    No request is made here: a Rasa server that is down at start-up is the fallback's business, so the
    service starts either way. Close the result with `close_classifier` when the application stops.
    """
    from nlu.rasa.client import RasaClassifier
    from nlu.rasa.fallback import CircuitBreaker, FallbackClassifier

    local = builtin or build_builtin(settings)
    nlu = settings.nlu
    rasa = RasaClassifier(nlu.rasa_url, local, timeout=nlu.rasa_timeout_seconds)
    breaker = CircuitBreaker(cooldown=nlu.rasa_cooldown_seconds)
    return FallbackClassifier(rasa, local, breaker=breaker)


def build_classifier(settings: Settings, backend: str | None = None) -> Classifier:
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


def rasa_work_dir(nlu: Nlu) -> Path:
    """Where Rasa projects and models go: `nlu.rasa_dir`, else `rasa/` beside `nlu.model_dir` (var/rasa)."""
    return nlu.rasa_dir or nlu.model_dir.parent / "rasa"
