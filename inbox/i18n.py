"""The inbox's words in Spanish and English, and how dates, durations and codes are shown to staff."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from bot.cases import came_via
from bot.settings import Settings
from connectors.channels import UNKNOWN
from connectors.channels import channel as channel_of
from inbox.words import WORDS

STATUS_LABELS = {
    "open": ("Abierto", "Open"),
    "acknowledged": ("Recibido", "Acknowledged"),
    "in_progress": ("En atención", "In progress"),
    "resolved": ("Resuelto", "Resolved"),
    "closed": ("Cerrado", "Closed"),
    "reopened": ("Reabierto", "Reopened"),
    "rejected": ("No procede", "Rejected"),
    "duplicate": ("Duplicado", "Duplicate"),
}
HOLDER_LABELS = {
    "waiting": ("En espera", "Waiting"),
    "staff": ("Con una persona", "With a person"),
    "bot": ("Con el asistente", "With the assistant"),
}
PREFERENTIAL_LABELS = {
    "elderly": ("Persona mayor", "Elderly"),
    "disability": ("Discapacidad o movilidad reducida", "Disability or reduced mobility"),
    "pregnancy": ("Embarazo", "Pregnancy"),
    "child": ("Niño o niña en riesgo", "Small child at risk"),
    "illness": ("Enfermo en casa", "Ill at home"),
    "reading": ("Dificultad para leer", "Finds reading hard"),
    "other": ("Otra", "Other"),
}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


class UI:
    """Everything a template says, in one language; every method returns plain text (Jinja escapes it)."""

    def __init__(self, language: str, settings: Settings) -> None:
        self.lang = "en" if language == "en" else "es"
        self.settings = settings

    def t(self, key: str, **values: Any) -> str:
        pair = WORDS.get(key)
        if pair is None:
            return key
        template = _pick(pair, self.lang)
        return template.format(**values) if values else template

    def status(self, status: str) -> str:
        return _pick(STATUS_LABELS[status], self.lang) if status in STATUS_LABELS else status

    def holder(self, holder: str) -> str:
        return _pick(HOLDER_LABELS[holder], self.lang) if holder in HOLDER_LABELS else holder

    def channel(self, channel: str | None) -> str:
        if channel is None:
            return "—"
        found = channel_of(channel)
        return found.label_in(self.lang) if found is not UNKNOWN else channel

    def event_note(self, kind: str, note: str) -> str:
        """A case event's note as staff read it: a new case's "via rest" (bot/cases.py) names its channel."""
        via = came_via(note) if kind == "created" else None
        return note if via is None else self.t("event_via", channel=self.channel(via))

    def preferential(self, kind: str | None) -> str:
        if kind is None:
            return ""
        return _pick(PREFERENTIAL_LABELS[kind], self.lang) if kind in PREFERENTIAL_LABELS else kind

    def service(self, code: str) -> str:
        return self.settings.service_name(code, self.lang)

    def department(self, code: str | None) -> str:
        department = self.settings.departments.get(code or "")
        if department is None:
            return self.t("general") if code is None else code
        return department.name.get(self.lang)

    def when(self, moment: datetime | None) -> str:
        """The moment in the city's time zone, e.g. "23/11/2026 09:15 -05"."""
        if moment is None:
            return "—"
        local = moment.astimezone(self.settings.city.zone)
        return (
            local.strftime("%d/%m/%Y %H:%M" if self.lang == "es" else "%Y-%m-%d %H:%M")
            + " "
            + zone_label(local)
        )

    def zone(self) -> str:
        """The city's time zone as staff read it: "America/Bogota", "UTC"."""
        return self.settings.city.time_zone

    @staticmethod
    def iso(moment: datetime | None) -> str:
        return moment.isoformat() if moment is not None else ""

    def percent(self, part: float | None) -> str:
        """ "67 %", half up; "—" when there is nothing to divide."""
        return "—" if part is None else f"{math.floor(part * 100 + 0.5)} %"

    def number(self, value: float | None) -> str:
        """A median rating: "4", "4,5" (in Spanish) or "4.5"; "—" for none."""
        if value is None:
            return "—"
        shown = str(int(value)) if value == int(value) else f"{value:.1f}"
        return shown.replace(".", ",") if self.lang == "es" else shown

    def duration(self, span: timedelta | float | None) -> str:
        """ "3 min", "2 h 05 min", "3 d 4 h": short enough for a table cell."""
        if span is None:
            return "—"
        minutes = int((span.total_seconds() if isinstance(span, timedelta) else span) // 60)
        if minutes < 60:
            return f"{max(minutes, 0)} min"
        hours, minutes = divmod(minutes, 60)
        if hours < 48:
            return f"{hours} h {minutes:02d} min"
        days, hours = divmod(hours, 24)
        return f"{days} d {hours} h"


def zone_label(moment: datetime) -> str:
    """ "-05", "CET", "UTC": the zone's abbreviation at that moment (tz data writes "-05" where no
    abbreviation is in common use)."""
    return moment.tzname() or moment.strftime("%z")
