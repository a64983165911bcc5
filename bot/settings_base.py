"""The base of every settings section: unknown keys are an error, and settings never change once read."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    # Unknown keys are an error, so a typo fails at boot with the key's name.
    model_config = ConfigDict(extra="forbid", frozen=True)
