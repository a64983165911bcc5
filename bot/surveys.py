"""A survey's definition (YAML for `ventanilla surveys create`), validated into what a `Survey` row keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from bot.participation_settings import TEMPLATE_SID
from bot.settings import Settings
from bot.settings_base import Names, Strict
from connectors.channels import CHANNELS
from storage.models import Survey

KEY = r"^[a-z][a-z0-9_]{0,19}$"  # short: a key travels in button payloads (Telegram allows 64 bytes)
SLUG = r"^[a-z0-9][a-z0-9_-]{1,59}$"
MIN_CHOICES, MAX_CHOICES = 2, 9  # one digit each, so "13" is never read as choice thirteen
MAX_QUESTIONS = 10
SCALE = (1, 2, 3, 4, 5)
CHANNEL_ALIASES = {"webchat": "rest", "web": "rest"}  # what a city calls its web chat


class SurveyError(Exception):
    """The definition cannot be used; the message names the field."""


class Choice(Strict):
    key: str = Field(pattern=KEY)
    es: str = Field(min_length=1, max_length=80)
    en: str = Field(min_length=1, max_length=80)

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.es


class Question(Strict):
    key: str = Field(pattern=KEY)
    kind: Literal["single", "multiple", "scale", "text"]
    text: Names
    choices: list[Choice] = Field(default_factory=list)
    optional: bool = False

    @model_validator(mode="after")
    def _choices_fit_kind(self) -> Question:
        if self.kind in ("single", "multiple"):
            if not MIN_CHOICES <= len(self.choices) <= MAX_CHOICES:
                raise ValueError(f"a {self.kind} question needs {MIN_CHOICES} to {MAX_CHOICES} choices")
            keys = [c.key for c in self.choices]
            if len(set(keys)) != len(keys):
                raise ValueError("two choices share a key")
        elif self.choices:
            raise ValueError(f"a {self.kind} question has no choices")
        return self


class Definition(Strict):
    slug: str = Field(pattern=SLUG)
    title: Names
    intro: Names | None = None
    binding: bool  # no default: the citizen is always told which, so the city must say
    topic: str
    area: str | None = None
    channel: str | None = None
    opens: date | datetime
    closes: date | datetime
    whatsapp_template_sid: str | None = Field(None, pattern=TEMPLATE_SID)
    questions: list[Question] = Field(min_length=1, max_length=MAX_QUESTIONS)

    @field_validator("questions")
    @classmethod
    def _unique_keys(cls, questions: list[Question]) -> list[Question]:
        keys = [q.key for q in questions]
        if len(set(keys)) != len(keys):
            raise ValueError("two questions share a key")
        return questions


@dataclass(frozen=True)
class Checked:
    """A definition that fits this city: its moments in UTC."""

    definition: Definition
    opens_at: datetime
    closes_at: datetime
    channel: str | None = None  # the channel's name in the catalogue ("webchat" is "rest")

    def as_row(self) -> Survey:
        d = self.definition
        return Survey(
            slug=d.slug,
            title=d.title.model_dump(),
            intro=d.intro.model_dump() if d.intro else None,
            binding=d.binding,
            topic=d.topic,
            area=d.area,
            channel=self.channel,
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            template_sid=d.whatsapp_template_sid,
            questions=[q.model_dump(exclude_defaults=False) for q in d.questions],
        )


def moment(value: date | datetime, zone: ZoneInfo, *, end: bool) -> datetime:
    """A day or a time of the city as UTC; a closing day closes at its end (the next midnight)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(ZoneInfo("UTC"))
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _where(loc: tuple[int | str, ...], data: Any) -> str:
    """ "questions[2] (barrio).choices" rather than pydantic's "questions.1.choices"."""
    parts: list[str] = []
    for i, part in enumerate(loc):
        if part in ("date", "datetime") or "[" in str(part):  # pydantic's name of a union's member
            continue
        if isinstance(part, int) and parts:
            name = ""
            if loc[i - 1] == "questions" and isinstance(data, dict):
                found = (data.get("questions") or [None] * (part + 1))[part]
                name = f" ({found['key']})" if isinstance(found, dict) and "key" in found else ""
            parts[-1] += f"[{part + 1}]{name}"
        else:
            parts.append(str(part))
    return ".".join(parts) or "survey"


def check(data: Any, settings: Settings) -> Checked:
    """The definition, validated and checked against the city's topics, areas and channels."""
    if not isinstance(data, dict):
        raise SurveyError("survey: a YAML mapping with slug, title, binding, topic, opens, closes, questions")
    try:
        definition = Definition.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SurveyError(f"{_where(tuple(first['loc']), data)}: {message}") from None
    topics = settings.participation.topics
    if definition.topic not in topics:
        raise SurveyError(f"topic: {definition.topic!r} is not in participation.topics ({', '.join(topics)})")
    if definition.area is not None and definition.area not in settings.areas:
        raise SurveyError(f"area: {definition.area!r} is not one of areas: ({', '.join(settings.areas)})")
    chats = [name for name, c in CHANNELS.items() if c.chat and name != "console"]
    wanted = CHANNEL_ALIASES.get(definition.channel or "", definition.channel)
    if wanted is not None and wanted not in chats:
        raise SurveyError(f"channel: {definition.channel!r} is not one of {', '.join(chats)} (or webchat)")
    zone = settings.city.zone
    opens_at = moment(definition.opens, zone, end=False)
    closes_at = moment(definition.closes, zone, end=True)
    if closes_at <= opens_at:
        raise SurveyError("closes: must be after opens")
    return Checked(definition, opens_at, closes_at, wanted)


def load(text: str, settings: Settings) -> Checked:
    """A YAML text as a checked survey."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SurveyError(f"survey: not valid YAML ({exc})") from None
    return check(data, settings)


def questions_of(survey: Survey) -> list[Question]:
    """A stored survey's questions, typed (they were validated when it was created)."""
    return [Question.model_validate(q) for q in survey.questions]
