"""The city's own settings: its name, language, time zone and emergency numbers; its departments, service
catalog and areas."""

from __future__ import annotations

import re
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, PrivateAttr, field_validator

from bot.area_shapes import inside_polygon, names_in, names_pattern
from bot.followup_settings import ServiceFollowUp
from bot.privacy_settings import DataProtection
from bot.settings_base import LANGUAGES, Names, SettingsError, Strict
from bot.words import fold


class Emergency(Strict):
    """What the bot answers at once to an emergency: the city's numbers and a short text per language."""

    numbers: list[str] = Field(default_factory=lambda: ["123"], min_length=1)
    text: Names = Names(
        es="Si es una emergencia, llama ya al {numbers}.",
        en="If this is an emergency, call {numbers} now.",
    )

    def model_post_init(self, context: Any, /) -> None:
        for language in LANGUAGES:
            try:
                said = self.say(language)
            except (KeyError, IndexError, ValueError) as exc:
                raise SettingsError(
                    f"city.emergency.text.{language}: only {{numbers}} may be filled in"
                ) from exc
            if not all(number in said for number in self.numbers):
                raise SettingsError(f"city.emergency.text.{language} must contain {{numbers}} or the numbers")

    def say(self, language: str) -> str:
        return self.text.get(language).format(numbers=" / ".join(self.numbers))


class City(Strict):
    name: Names
    default_language: Literal["es", "en"] = "es"
    phone_region: str = Field("CO", min_length=2, max_length=2)
    # IANA name; staff pages, the dashboard's days and dates told to citizens are in this zone.
    time_zone: str = "UTC"
    emergency: Emergency = Emergency()
    # The law whose deadlines data-protection requests follow, and its country's public holidays.
    data_protection: DataProtection = DataProtection()

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name such as America/Bogota") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Department(Strict):
    """A city department: its names and its service-level targets (the inbox marks breaches)."""

    name: Names
    first_response_minutes: int = Field(60, ge=1)  # from waiting for a person to their first reply
    resolution_hours: int = Field(72, ge=1)  # from a case filed to resolved
    # A preferential citizen's case gets both targets times this (issue 19): 0.5 halves them.
    preferential_factor: float = Field(0.5, gt=0, le=1)
    rate_conversations: bool | None = None  # None: as dialogue.rate_conversations


class Service(Strict):
    name: Names
    department: str
    photo: Literal["ask", "skip"] = "ask"  # skip: the bot never asks for a photo (noise has none to take)
    # Reports that can point at the person who made them (a neighbour's noise, people, violence): the
    # public sees only their area, never a point, and their description only if staff publish it.
    sensitive: bool = False
    duplicates_radius_m: float | None = Field(None, gt=0, le=5000)  # None: `duplicates.radius_m`
    followup: ServiceFollowUp = ServiceFollowUp()  # "was it fixed?": this service's own days, if any


class Area(Strict):
    """A named part of the city (a neighbourhood, a district): all the public learns of where a report of
    a sensitive service is, and a group of the equity figures (issue 19). Drawn as a box from its
    south-west to its north-east corner in degrees, a polygon of [latitude, longitude] corners, or the
    neighbourhood names said in addresses (bot.area_shapes); at least one of them."""

    name: Names
    bounds: tuple[float, float, float, float] | None = None  # south, west, north, east
    polygon: list[tuple[float, float]] | None = None  # [[lat, lon], …], at least 3 corners
    places: list[str] | None = None  # "Chapinero", "La Candelaria": whole words of a case's address
    _names: re.Pattern[str] | None = PrivateAttr(default=None)

    @field_validator("bounds")
    @classmethod
    def _a_box(
        cls, bounds: tuple[float, float, float, float] | None
    ) -> tuple[float, float, float, float] | None:
        if bounds is None:
            return None
        south, west, north, east = bounds
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise ValueError("bounds are [south, west, north, east] with south < north and west < east")
        return bounds

    @field_validator("polygon")
    @classmethod
    def _a_polygon(cls, polygon: list[tuple[float, float]] | None) -> list[tuple[float, float]] | None:
        if polygon is None:
            return None
        if len(set(polygon)) < 3:
            raise ValueError("a polygon needs at least 3 different [latitude, longitude] corners")
        if not all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in polygon):
            raise ValueError(
                "polygon corners are [latitude, longitude]: latitude in -90..90, longitude in -180..180"
            )
        return polygon

    @field_validator("places")
    @classmethod
    def _some_places(cls, places: list[str] | None) -> list[str] | None:
        if places is not None and (not places or not all(fold(place) for place in places)):
            raise ValueError("places is a list of neighbourhood names, none of them empty")
        return places

    def model_post_init(self, context: Any, /) -> None:
        if self.bounds is None and self.polygon is None and self.places is None:
            raise SettingsError("an area needs bounds, a polygon or places")
        self._names = names_pattern(self.places or [])

    def holds(self, latitude: float, longitude: float) -> bool:
        """The point is in the area's box or polygon."""
        if self.bounds is not None:
            south, west, north, east = self.bounds
            if south <= latitude <= north and west <= longitude <= east:
                return True
        return self.polygon is not None and inside_polygon(latitude, longitude, self.polygon)

    def named_in_folded(self, folded_address: str) -> bool:
        """One of the area's neighbourhood names is said in the address (folded by `bot.words.fold`)."""
        return names_in(folded_address, self._names)
