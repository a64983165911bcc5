"""The settings as a whole: each section of `config.yml` (`bot.settings_city`, `bot.settings_runtime`) in
one typed, frozen `Settings`, with the checks across sections; `bot.settings_loading` builds it."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from bot.duplicate_settings import Duplicates
from bot.email_settings import Email
from bot.followup_settings import FollowUp
from bot.knowledge_settings import Knowledge
from bot.participation_settings import OpenData, Participation
from bot.privacy_settings import Privacy, Retention
from bot.settings_base import SettingsError, Strict
from bot.settings_city import Area, City, Department, Service
from bot.settings_runtime import Database, Dialogue, Media, Nlu, Secrets, Server, Twilio, Webchat
from bot.voice_settings import Voice
from bot.words import fold


class Settings(Strict):
    city: City
    server: Server = Server()
    database: Database = Database()
    media: Media = Media()
    webchat: Webchat = Webchat()
    nlu: Nlu = Nlu()
    dialogue: Dialogue = Dialogue()
    twilio: Twilio = Twilio()
    followup: FollowUp = FollowUp()
    duplicates: Duplicates = Duplicates()
    privacy: Privacy = Privacy()
    retention: Retention = Retention()
    participation: Participation = Participation()
    opendata: OpenData = OpenData()
    knowledge: Knowledge = Knowledge()
    voice: Voice = Voice()
    email: Email = Email()
    departments: dict[str, Department]
    services: dict[str, Service]
    # In order: the first area whose box or polygon holds a case's point names it, else the first whose
    # neighbourhood names its address says (put small areas first).
    areas: dict[str, Area] = Field(default_factory=dict)
    secrets: Secrets = Secrets()

    @field_validator("services")
    @classmethod
    def _services_not_empty(cls, services: dict[str, Service]) -> dict[str, Service]:
        if not services:
            raise ValueError("the service catalog is empty")
        return services

    def model_post_init(self, context: Any, /) -> None:
        for code, service in self.services.items():
            if service.department not in self.departments:
                raise SettingsError(f"services.{code}.department: unknown department {service.department!r}")
        for code, topic in self.participation.topics.items():
            if topic.by_area and not self.areas:
                raise SettingsError(f"participation.topics.{code}.by_area: the city has no areas: defined")

    def service_name(self, code: str, language: str) -> str:
        service = self.services.get(code)
        return service.name.get(language) if service else code

    def is_sensitive(self, code: str) -> bool:
        """Unknown services count as sensitive: a case outliving its catalog entry publishes least."""
        service = self.services.get(code)
        return service is None or service.sensitive

    def area_of(
        self, latitude: float | None, longitude: float | None, address: str | None = None
    ) -> Area | None:
        """The one home of a case's area: the first area (in config order) whose box or polygon holds the
        point, else the first whose neighbourhood names the address says."""
        code = self.area_code(latitude, longitude, address)
        return self.areas[code] if code is not None else None

    def area_code(
        self, latitude: float | None, longitude: float | None, address: str | None = None
    ) -> str | None:
        """The config key of `area_of`'s area (None: no area); the address is folded once for all areas."""
        if latitude is not None and longitude is not None:
            for code, area in self.areas.items():
                if area.holds(latitude, longitude):
                    return code
        if address:
            folded = fold(address)
            for code, area in self.areas.items():
                if area.named_in_folded(folded):
                    return code
        return None
