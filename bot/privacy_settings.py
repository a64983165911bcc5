"""The data-rights settings (issue 15): the privacy notice and policy (`privacy:`), the legal deadlines of
the city's country (`city.data_protection:`) and how long each kind of data is kept (`retention:`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from bot.settings_base import LANGUAGES, Names, SettingsError, Strict

# A notice longer than this is a policy, not a notice: it would fill a phone's screen and several SMS.
NOTICE_MAX_CHARS = 320
KINDS = ("see", "export", "correct", "erase")

# Business days to answer each kind of request, by country (ISO 3166 code), from each country's law:
# Colombia, Ley 1581 de 2012 arts. 14–15: queries 10, claims 15; Argentina, Ley 25.326 arts. 14 and 16:
# access within 10 calendar days (counted as calendar days: `CALENDAR_DAYS`), rectification and
# suppression 5 business days; Mexico, LGPDPPSO art. 51: 20; Chile, Ley 19.628 art. 16
# (as amended by Ley 21.719): 30 calendar days, about 20 business days; Peru, Ley 29733's regulation
# art. 55: access 20, rectification and cancellation 10; Spain (GDPR art. 12.3): one month, taken as 20.
DEFAULT_DAYS: dict[str, dict[str, int]] = {
    "CO": {"see": 10, "export": 10, "correct": 15, "erase": 15},
    "AR": {"see": 10, "export": 10, "correct": 5, "erase": 5},
    "MX": {"see": 20, "export": 20, "correct": 20, "erase": 20},
    "CL": {"see": 20, "export": 20, "correct": 20, "erase": 20},
    "PE": {"see": 20, "export": 20, "correct": 10, "erase": 10},
    "ES": {"see": 20, "export": 20, "correct": 20, "erase": 20},
}


# The kinds a country's law counts in calendar days rather than business days.
CALENDAR_DAYS: dict[str, tuple[str, ...]] = {"AR": ("see", "export")}


class DataProtection(Strict):
    """`city.data_protection`: the country whose law and public holidays set the deadlines, and the
    business days per kind of request (the country's defaults where not given)."""

    country: str = Field("CO", min_length=2, max_length=2)
    days: dict[str, int] = Field(default_factory=dict)
    # Kinds counted in calendar days (weekends and holidays included); None: the country's law's.
    calendar_days: list[str] | None = None

    def model_post_init(self, context: Any, /) -> None:
        for kind, value in self.days.items():
            if kind not in KINDS:
                raise SettingsError(f"city.data_protection.days.{kind}: not one of {', '.join(KINDS)}")
            if value < 1:
                raise SettingsError(f"city.data_protection.days.{kind}: at least 1 business day")
        for kind in self.calendar_days or ():
            if kind not in KINDS:
                raise SettingsError(
                    f"city.data_protection.calendar_days: {kind!r} is not one of {', '.join(KINDS)}"
                )
        missing = [k for k in KINDS if k not in self.days and k not in DEFAULT_DAYS.get(self.country, {})]
        if missing:
            raise SettingsError(
                f"city.data_protection.days: no default for country {self.country!r}; give "
                + ", ".join(missing)
            )

    def days_for(self, kind: str) -> int:
        return self.days.get(kind) or DEFAULT_DAYS[self.country][kind]

    def in_calendar_days(self, kind: str) -> bool:
        kinds = self.calendar_days if self.calendar_days is not None else CALENDAR_DAYS.get(self.country, ())
        return kind in kinds


class Privacy(Strict):
    """`privacy:` what a new citizen is told at first contact, and the policy page it links to."""

    # Change it when the notice or the policy changes: every citizen is shown the new notice once.
    notice_version: str = Field("2026-12", min_length=1, max_length=40)
    notice: Names = Names(
        es=(
            "🔒 Aviso de privacidad: usamos tus mensajes y datos solo para atender tus solicitudes a la "
            "ciudad. Escribe MIS DATOS para verlos, descargarlos o borrarlos. Política: {url}"
        ),
        en=(
            "🔒 Privacy notice: we use your messages and details only to handle your requests to the "
            "city. Write MY DATA to see, download or erase them. Policy: {url}"
        ),
    )
    # The policy the city writes, in Markdown, served at /privacidad (?lang=en for English).
    policy: Names = Names(es="docs/policy/privacidad.md", en="docs/policy/privacy.md")
    export_link_hours: float = Field(72, gt=0, le=24 * 30)  # a one-time export link expires after this
    erase_code_minutes: float = Field(15, gt=0)  # the code sent to another channel to confirm an erasure

    def model_post_init(self, context: Any, /) -> None:
        for language in LANGUAGES:
            body = self.notice.get(language)
            try:
                filled = body.format(url="")
            except (KeyError, IndexError, ValueError) as exc:
                raise SettingsError(f"privacy.notice.{language}: only {{url}} may be filled in") from exc
            if len(filled) > NOTICE_MAX_CHARS:
                raise SettingsError(
                    f"privacy.notice.{language}: {len(filled)} characters; keep it under {NOTICE_MAX_CHARS}"
                    " and put the rest in the policy"
                )

    def policy_path(self, language: str) -> Path:
        return Path(self.policy.get(language))


class Retention(Strict):
    """`retention:` how long each kind of data is kept (`ventanilla retention run`; serve runs it daily)."""

    # The text of messages, and photos and voice notes, this many months after the citizen's last case
    # closed (or after the message, for a citizen who never filed one).
    message_months_after_close: int = Field(24, ge=1)
    # Web chat visitors who never filed anything, joined nothing and nobody attended: removed after this.
    webchat_unfiled_days: int = Field(30, ge=1)
    # A citizen with no message and no open case for this long is anonymised as an erasure does.
    inactive_months: int = Field(60, ge=1)
