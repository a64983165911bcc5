"""The participation settings (issue 16): the topics citizens may opt into (`participation:`), how fast and
when the city may write to them on its own, and the open data it publishes (`opendata:`)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from bot.settings_base import Names, SettingsError, Strict

TOPIC_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
TEMPLATE_SID = r"^HX[0-9a-fA-F]{32}$"


class Topic(Strict):
    """Something a citizen may ask to be told about: surveys, water cuts, road closures."""

    name: Names
    # What the citizen is told they are signing up for, in one short line (shown and recorded at opt-in).
    description: Names | None = None
    by_area: bool = False  # the citizen picks one of the city's areas; alerts go to that area's citizens


class QuietHours(Strict):
    """City time in which nothing is sent on the city's own initiative: it waits for the morning."""

    start: time = time(20, 0)
    end: time = time(8, 0)

    def holds(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start > self.end:  # over midnight: 20:00–08:00
            return local >= self.start or local < self.end
        return self.start <= local < self.end


class Participation(Strict):
    """`participation:`: topics, the pace of surveys and alerts, quiet hours, the alerts' template."""

    topics: dict[str, Topic] = Field(default_factory=dict)
    per_minute: int = Field(30, ge=1, le=6000)  # surveys and alerts handed to the outbox, all workers
    quiet_hours: QuietHours = QuietHours()
    # The approved WhatsApp template for an alert outside the 24-hour window ({{1}}: the alert's text).
    # None: such citizens are skipped with the reason "outside_window".
    alert_template_sid: str | None = Field(None, pattern=TEMPLATE_SID)
    alert_max_chars: int = Field(320, ge=40, le=1000)  # an alert is a notice, not a letter
    # An alert still waiting this long (a citizen busy with a person, the quiet night) is dropped: a
    # water cut told two days late is noise.
    alert_expire_hours: float = Field(24, gt=0, le=24 * 14)
    min_cell: int = Field(5, ge=1)  # published aggregates hide any count (or answers) below this

    @field_validator("topics")
    @classmethod
    def _codes(cls, topics: dict[str, Topic]) -> dict[str, Topic]:
        for code in topics:
            if not TOPIC_CODE.match(code):
                raise ValueError(f"topic {code!r}: lower-case letters, digits and _ (e.g. avisos_agua)")
        return topics


class Licence(Strict):
    id: str = "CC-BY-4.0"  # SPDX identifier
    title: str = "Creative Commons Attribution 4.0 International"
    url: str = "https://creativecommons.org/licenses/by/4.0/"


class OpenData(Strict):
    """`opendata:`: where the daily files are written and served from (`/datos/`), and their licence."""

    dir: Path = Path("var/datos")  # relative: next to config.yml
    keep_days: int = Field(30, ge=1, le=3660)  # daily folders older than this are removed
    licence: Licence = Licence()
    publisher: Names | None = None  # None: the city's name
    contact_email: str | None = None  # the data's contact point in the catalogue (the city's, not a person's)

    def model_post_init(self, context: Any, /) -> None:
        if self.contact_email is not None and "@" not in self.contact_email:
            raise SettingsError("opendata.contact_email: an e-mail address")
