"""The knowledge base settings (`knowledge:`, issue 17): where the city's answers live, how sure the bot must
be to answer, when a topic counts as unchecked, and the due-date reminders."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from bot.participation_settings import TEMPLATE_SID
from bot.settings_base import Strict


class Knowledge(Strict):
    """`knowledge:`: the folder of topic files and how answers are chosen from it."""

    dir: Path = Path("knowledge")  # relative: next to config.yml; one YAML or Markdown file per topic
    # The top topic's probability from which the bot answers it outright; below, topics of at least
    # `choose_at` each are offered as choices (two or three), and nothing at all is a miss.
    answer_at: float = Field(0.5, gt=0, le=1)
    choose_at: float = Field(0.15, gt=0, le=1)
    margin: float = Field(0.25, ge=0, le=1)  # an answer's lead over the next topic; less: both offered
    stale_months: int = Field(12, ge=1, le=120)  # `knowledge check` lists topics not checked for this long
    answer_max_chars: int = Field(320, ge=80, le=1600)  # the short answer: a phone screen, a few SMS
    reload_seconds: float = Field(2.0, ge=0, le=3600)  # how often the files are looked at for changes
    keep_questions_days: int = Field(180, ge=1, le=3660)  # unanswered and "no me sirvió" questions kept
    # Reminders of a topic's dates: sent this many days before, in the city's daytime (quiet hours).
    remind_days_before: int = Field(3, ge=0, le=60)
    # The approved WhatsApp template for a reminder outside the 24-hour window ({{1}}: the reminder's text).
    reminder_template_sid: str | None = Field(None, pattern=TEMPLATE_SID)

    @model_validator(mode="after")
    def _thresholds(self) -> Knowledge:
        if self.choose_at > self.answer_at:
            raise ValueError("knowledge.choose_at must not be above knowledge.answer_at")
        return self
