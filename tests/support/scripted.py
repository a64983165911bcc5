"""A scripted classifier behind the `Classifier` protocol, so dialogue tests do not depend on a model."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu.base import IntentScore, Parse
from nlu.entities import extract_entities


@dataclass
class ScriptedClassifier:
    """Answers by rules: the first pattern found in the text gives the intent; real entity extraction."""

    rules: list[tuple[str, str, float]] = field(default_factory=list)
    language_rules: list[tuple[str, str]] = field(
        default_factory=lambda: [
            (r"\b(the|is|my|there|hi|hello|yes|thanks|where|what|how)\b", "en"),
            (r"[ñáéíóú¿¡]|\b(hay|el|la|mi|hola|gracias|como|donde|que|si)\b", "es"),
        ]
    )
    calls: list[str] = field(default_factory=list)
    # Texts containing one of these make parse raise, as a bug in a classifier would.
    fails_on: list[str] = field(default_factory=list)

    def says(self, pattern: str, intent: str, confidence: float = 0.95) -> ScriptedClassifier:
        self.rules.append((pattern, intent, confidence))
        return self

    async def parse(self, text: str) -> Parse:
        self.calls.append(text)
        if any(trigger in text for trigger in self.fails_on):
            raise RuntimeError(f"scripted failure on {text!r}")
        entities = extract_entities(text)
        if text.startswith("/"):
            return Parse(text, text[1:], 1.0, (IntentScore(text[1:], 1.0),), entities)
        language = next(
            (lang for pattern, lang in self.language_rules if re.search(pattern, text, re.IGNORECASE)), None
        )
        for pattern, intent, confidence in self.rules:
            if re.search(pattern, text, re.IGNORECASE):
                ranking = (IntentScore(intent, confidence), IntentScore("out_of_scope", 1 - confidence))
                return Parse(text, intent, confidence, ranking, entities, language)
        fallback = (
            IntentScore("report_pothole", 0.2),
            IntentScore("case_status", 0.15),
            IntentScore("greet", 0.1),
        )
        return Parse(text, "report_pothole", 0.2, fallback, entities, language)


def dialogue_rules() -> ScriptedClassifier:
    """The rules the dialogue tests (and the inbox screenshots) talk with: the first pattern found wins."""
    return (
        ScriptedClassifier()
        .says(r"^(hola|hi|hello|buenas)\b", "greet")
        .says(r"bache|hueco|pothole", "report_pothole")
        .says(r"poste|luz|streetlight|light", "report_streetlight")
        .says(r"basura|garbage|trash", "report_garbage")
        .says(r"c[oó]mo va|estado|status|how is my", "case_status")
        .says(r"queja|reclamo|report a problem|complaint", "report_problem")
        .says(r"hablar con|talk to|persona\b", "human_handoff")
        .says(r"^(s[ií]|yes|dale|ok)\b", "affirm")
        .says(r"^(no|nope)\b", "deny")
        .says(r"gracias|thanks|thank you", "thanks")
        .says(r"chiste|joke|f[uú]tbol|football", "out_of_scope")
    )
