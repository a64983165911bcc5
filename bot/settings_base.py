"""What every settings section is made of: strict frozen models, a name in each language, and the error
that names a bad key."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

LANGUAGES = ("es", "en")


class SettingsError(Exception):
    """The configuration cannot be used; the message names the offending key."""


class Strict(BaseModel):
    # Unknown keys are an error, so a typo fails at boot with the key's name.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(Strict):
    es: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.es
