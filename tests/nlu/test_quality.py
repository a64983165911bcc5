"""Quality floors on the held-out test split and the public out-of-scope sets.

The figures were measured once, on 2026-11-22 (first complete es/en data), by training on nlu/data
with the default ModelConfig (logistic regression, C=100, out_of_scope weight 0.5) and running
`python -m nlu evaluate --data nlu/eval/test_es.yml --data nlu/eval/test_en.yml` and the same for each
file in nlu/eval/public/. Settings were chosen by cross-validation on nlu/data only (docs/nlu.md).
A test fails when a change costs more than MARGIN; when data or model improve, raise the figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.emergencies import EMERGENCY_CONFIDENCE
from nlu.builtin import BuiltinClassifier
from nlu.evaluate import evaluate_file

EVAL = Path(__file__).resolve().parents[2] / "nlu" / "eval"
MARGIN = 0.03

MEASURED_MACRO_F1 = 0.933  # es + en test split together (472 examples)
MEASURED_MACRO_F1_ES = 0.929
MEASURED_MACRO_F1_EN = 0.935
MEASURED_FALSE_OOS = 0.037  # in-scope test messages the classifier called out_of_scope
MEASURED_OOS_RECALL_CLINC = 0.945  # CLINC150 oos_test, 1000 English queries
MEASURED_OOS_RECALL_ES = 0.995  # 1000 Spanish alarm/reminder/weather requests
MEASURED_ADDRESS_PRECISION = 0.870  # word overlap with the annotated addresses of the test split
MEASURED_ADDRESS_RECALL = 0.923


async def report(classifier: BuiltinClassifier, *names: str) -> dict[str, Any]:
    return await evaluate_file(classifier, *(EVAL / name for name in names))


async def test_macro_f1_on_both_languages(classifier: BuiltinClassifier) -> None:
    result = await report(classifier, "test_es.yml", "test_en.yml")
    assert result["examples"] >= 400
    assert result["macro_f1"] >= MEASURED_MACRO_F1 - MARGIN
    assert result["false_out_of_scope_rate"] <= MEASURED_FALSE_OOS + MARGIN


@pytest.mark.parametrize(
    ("name", "measured"), [("test_es.yml", MEASURED_MACRO_F1_ES), ("test_en.yml", MEASURED_MACRO_F1_EN)]
)
async def test_macro_f1_per_language(classifier: BuiltinClassifier, name: str, measured: float) -> None:
    assert (await report(classifier, name))["macro_f1"] >= measured - MARGIN


@pytest.mark.parametrize(
    ("name", "measured"),
    [
        ("public/clinc150_oos_test.yml", MEASURED_OOS_RECALL_CLINC),
        ("public/fb_es_oos_test.yml", MEASURED_OOS_RECALL_ES),
    ],
)
async def test_out_of_scope_recall(classifier: BuiltinClassifier, name: str, measured: float) -> None:
    result = await report(classifier, name)
    assert result["examples"] == 1000
    assert result["per_intent"]["out_of_scope"]["recall"] >= measured - MARGIN


async def test_address_extraction(classifier: BuiltinClassifier) -> None:
    address = (await report(classifier, "test_es.yml", "test_en.yml"))["entities"]["address"]
    assert address["precision"] >= MEASURED_ADDRESS_PRECISION - MARGIN
    assert address["recall"] >= MEASURED_ADDRESS_RECALL - MARGIN


# Someone saying who they are or care for is a cue for preferential attention, not an emergency; the
# emergency numbers in reply would be wrong. Kept this far under the bar (EMERGENCY_CONFIDENCE, 0.6) so
# that new training data cannot quietly tip them over. Measured when this was added: 0.28, 0.18, 0.32
# (before the lasting-condition examples in nlu/data/es/out_of_scope.yml: 0.49, 0.27, 0.53).
CUES_NOT_EMERGENCIES = [
    "mi mamá está en silla de ruedas y no puede salir",
    "soy invidente",
    "mi hijo tiene discapacidad y no puede caminar",
]


@pytest.mark.parametrize("text", CUES_NOT_EMERGENCIES)
def test_a_preferential_cue_is_not_an_emergency(classifier: BuiltinClassifier, text: str) -> None:
    parse = classifier.parse_sync(text)
    emergency = next((s.confidence for s in parse.ranking if s.intent == "emergency"), 0.0)
    assert emergency < EMERGENCY_CONFIDENCE - 0.2
