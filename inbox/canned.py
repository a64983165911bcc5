"""Canned answers: short replies agents use all day, in Spanish and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Canned:
    key: str
    es: str
    en: str

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.es


CANNED: tuple[Canned, ...] = (
    Canned(
        "greeting",
        "Hola, te atiende una persona del equipo de la ciudad. ¿En qué te puedo ayudar?",
        "Hi, a person from the city team here. How can I help?",
    ),
    Canned(
        "more_detail",
        "¿Me das más detalles? Si puedes, envía la dirección exacta o tu ubicación y una foto.",
        "Could you give me more detail? If you can, send the exact address or your location and a photo.",
    ),
    Canned(
        "case_filed",
        "Ya registré tu reporte. Con el código del caso puedes preguntar cómo va cuando quieras.",
        "I've filed your report. Use the case code to ask how it's going at any time.",
    ),
    Canned(
        "forwarded",
        "Pasé tu caso al área responsable. Te avisaremos por este mismo canal cuando avance.",
        "I've passed your case to the department in charge. We'll tell you here when it moves.",
    ),
    Canned(
        "wait",
        "Gracias por tu paciencia. Estoy revisando tu caso y te respondo en unos minutos.",
        "Thanks for your patience. I'm looking into your case and will reply in a few minutes.",
    ),
    Canned(
        "not_ours",
        "Eso no lo atiende la alcaldía. Te recomiendo comunicarte con la entidad responsable.",
        "That isn't handled by the city. Please contact the organisation responsible.",
    ),
    Canned(
        "goodbye",
        "¿Algo más en lo que te pueda ayudar? Si no, te devuelvo al asistente. ¡Que estés bien!",
        "Anything else I can help with? If not, I'll hand you back to the assistant. Take care!",
    ),
)


def for_language(language: str) -> list[tuple[str, str]]:
    """(language, text) pairs: the citizen's language first, then the other one."""
    first, second = ("en", "es") if language == "en" else ("es", "en")
    return [(first, c.text(first)) for c in CANNED] + [(second, c.text(second)) for c in CANNED]
