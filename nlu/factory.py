"""Build the classifier the settings ask for."""

from __future__ import annotations

from typing import Any

from nlu.base import Classifier
from nlu.builtin import BuiltinClassifier, nlu_data_dir

BACKENDS = ("builtin", "rasa")
RASA_UNAVAILABLE = "the Rasa backend is not available yet"


class BackendUnavailable(RuntimeError):
    """The settings name an NLU backend this build cannot provide."""


def build_builtin(settings: Any, *, retrain: bool = False) -> BuiltinClassifier:
    return BuiltinClassifier.load_or_train(
        nlu_data_dir(), settings.nlu.model_dir, phone_region=settings.city.phone_region, retrain=retrain
    )


def build_classifier(settings: Any, backend: str | None = None) -> Classifier:
    """The classifier for `settings.nlu.backend` (or `backend`); raises BackendUnavailable for Rasa."""
    chosen = backend or settings.nlu.backend
    if chosen == "builtin":
        return build_builtin(settings)
    if chosen == "rasa":
        raise BackendUnavailable(RASA_UNAVAILABLE)
    raise BackendUnavailable(f"unknown NLU backend {chosen!r}; expected one of {', '.join(BACKENDS)}")
