"""A transcriber at the seam: it hears what the test says the note says (stories, pipeline tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.settings import Settings
from bot.voice import Heard


@dataclass
class ScriptedTranscriber:
    """Hears `next` (then nothing); `fails` times it raises first, as a crashing decoder would."""

    heard: list[Heard] = field(default_factory=list)
    fails: int = 0
    calls: int = 0

    def will_hear(self, text: str, language: str = "es", confidence: str = "high") -> None:
        if confidence == "too_long":
            self.heard.append(Heard("too_long", seconds=300.0))
        elif confidence == "low":
            self.heard.append(Heard("unclear", text, language, 0.2, 4.0))
        else:
            self.heard.append(Heard("heard", text, language, 0.9, 4.0))

    async def transcribe(self, audio: bytes) -> Heard:
        self.calls += 1
        if self.fails:
            self.fails -= 1
            raise RuntimeError("scripted decoder crash")
        return self.heard.pop(0) if self.heard else Heard("unclear")


def listening(settings: Settings) -> Settings:
    """`settings` with voice notes taken (tests/conftest.py switches them off for every other test)."""
    return settings.model_copy(update={"voice": settings.voice.model_copy(update={"enabled": True})})
