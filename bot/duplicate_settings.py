"""The `duplicates:` settings: how near and how recent an open report must be to be offered for joining."""

from __future__ import annotations

from pydantic import Field

from bot.settings_base import Strict


class Duplicates(Strict):
    """Open cases of the same service within `radius_m` (a service may set its own `duplicates_radius_m`
    in the catalog) filed in the last `days` are offered to a citizen about to file the same problem."""

    radius_m: float = Field(50, gt=0, le=5000)
    days: int = Field(90, ge=1, le=3650)
