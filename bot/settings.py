"""Typed settings: `config.yml` validated once at start-up; secrets and overrides from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import Field, ValidationError, field_validator

from bot.duplicate_settings import Duplicates
from bot.settings_base import Strict as _Strict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config.yml"
LANGUAGES = ("es", "en")


class SettingsError(Exception):
    """The configuration cannot be used; the message names the offending key."""


class Names(_Strict):
    es: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.es


class Emergency(_Strict):
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


class City(_Strict):
    name: Names
    default_language: Literal["es", "en"] = "es"
    phone_region: str = Field("CO", min_length=2, max_length=2)
    # IANA name; staff pages, the dashboard's days and dates told to citizens are in this zone.
    time_zone: str = "UTC"
    emergency: Emergency = Emergency()

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


class Server(_Strict):
    # This machine only, unless told otherwise: a laptop's `make run` is not offered to its network.
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_url: str = "http://localhost:8080"
    max_body_bytes: int = Field(65536, ge=1024)
    max_upload_bytes: int = Field(8 * 1024 * 1024, ge=1024)
    # Who may read /metrics: the machine itself (a Prometheus beside the service), or anyone. A bearer
    # token (VENTANILLA_METRICS_TOKEN) opens it from anywhere; behind a proxy every peer looks local,
    # so set one there.
    metrics_from: Literal["loopback", "anywhere"] = "loopback"


class Database(_Strict):
    url: str = "sqlite+aiosqlite:///var/ventanilla.db"
    echo: bool = False


class S3(_Strict):
    """An S3-compatible bucket for media (AWS S3, MinIO, Ceph); its keys come from the environment."""

    bucket: str = Field("", pattern=r"^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$")
    # None is AWS itself; MinIO, Ceph or a local test server give their URL.
    endpoint_url: str | None = Field(None, pattern=r"^https?://")
    region: str = "us-east-1"
    # Keys are `prefix + name`: one bucket can hold several cities or environments.
    prefix: str = Field("", pattern=r"^([A-Za-z0-9._-]+/)*$")
    # path: https://host/bucket/key, which MinIO, Ceph and most others expect; virtual: bucket.host/key.
    addressing_style: Literal["path", "virtual"] = "path"
    timeout_seconds: float = Field(10.0, gt=0, le=120)


class Media(_Strict):
    """Where photos are kept, and how much the web chat may upload (docs/security.md, finding 4)."""

    # folder: `dir` on this machine (one machine); s3: the bucket below, which every machine shares.
    backend: Literal["folder", "s3"] = "folder"
    dir: Path = Path("var/media")
    s3: S3 = S3()
    # Per web chat secret (one browser), in an hour: so one client cannot fill the disk.
    uploads_per_hour: int = Field(20, ge=1)
    upload_mb_per_hour: int = Field(60, ge=1)
    # Everybody together, in an hour: a ceiling against many clients at once.
    total_upload_mb_per_hour: int = Field(2048, ge=1)
    # A photo uploaded but never sent with a message is removed after this many hours.
    keep_unused_hours: int = Field(24, ge=1)
    # Below this much free space uploads are refused and /healthz reports the disk as nearly full.
    min_free_mb: int = Field(500, ge=0)
    # Pictures with more pixels than this are refused before they are decoded (decompression bombs).
    max_pixels: int = Field(50_000_000, ge=1_000_000)

    def model_post_init(self, context: Any, /) -> None:
        if self.backend == "s3" and not self.s3.bucket:
            raise SettingsError("media.s3.bucket is required when media.backend is s3")


class Webchat(_Strict):
    """The web chat's own upkeep (docs/security.md, finding 5)."""

    # A web chat citizen who wrote one message and nothing since (no case, nobody attending) is removed
    # after this many hours: what a client inventing a sender id per message leaves behind.
    forget_one_message_chats_after_hours: int = Field(72, ge=1)


class Nlu(_Strict):
    backend: Literal["builtin", "rasa"] = "builtin"
    model_dir: Path = Path("var/nlu")
    confidence_threshold: float = Field(0.45, ge=0.0, le=1.0)
    rasa_url: str = "http://127.0.0.1:5005"
    # One request to Rasa, whole; past it the built-in classifier answers (a citizen should not wait).
    rasa_timeout_seconds: float = Field(1.5, gt=0, le=60)
    # After Rasa fails, it is skipped this long before one message tries it again.
    rasa_cooldown_seconds: float = Field(10.0, ge=0, le=3600)
    # Rasa projects, models and logs; None: `rasa/` beside model_dir (var/rasa).
    rasa_dir: Path | None = None


class Dialogue(_Strict):
    max_misunderstandings: int = Field(2, ge=1)
    max_text_chars: int = Field(4000, ge=100)
    # Above this many messages from one citizen in a minute the bot only records them (abuse, loops).
    max_messages_per_minute: int = Field(20, ge=1)


class Twilio(_Strict):
    """SMS and WhatsApp settings that are not credentials (those are in `Secrets`, from the environment)."""

    # A WhatsApp Content template (HX + 32 hex digits) for replies outside the 24-hour window; its {{1}}
    # gets the reply. None: such a reply goes by SMS, or fails (docs/twilio.md).
    whatsapp_template_sid: str | None = Field(None, pattern=r"^HX[0-9a-fA-F]{32}$")
    timeout_seconds: float = Field(10.0, gt=0, le=120)  # for each request to Twilio's REST API
    # For copying a message's media from Twilio into our store, all files together, while Twilio waits
    # for the webhook's answer (15 s at most): the rest of the turn must fit in what is left.
    media_seconds: float = Field(8.0, gt=0, le=14)


class Department(_Strict):
    """A city department: its names and its service-level targets (the inbox marks breaches)."""

    name: Names
    first_response_minutes: int = Field(60, ge=1)  # from waiting for a person to their first reply
    resolution_hours: int = Field(72, ge=1)  # from a case filed to resolved


class Service(_Strict):
    name: Names
    department: str
    photo: Literal["ask", "skip"] = "ask"  # skip: the bot never asks for a photo (noise has none to take)
    # Reports that can point at the person who made them (a neighbour's noise, people, violence): the
    # public sees only their area, never a point, and their description only if staff publish it.
    sensitive: bool = False
    duplicates_radius_m: float | None = Field(None, gt=0, le=5000)  # None: `duplicates.radius_m`


class Area(_Strict):
    """A named part of the city (a neighbourhood, a district): all the public learns of where a report of
    a sensitive service is. A box from its south-west to its north-east corner, in degrees."""

    name: Names
    bounds: tuple[float, float, float, float]  # south, west, north, east

    @field_validator("bounds")
    @classmethod
    def _a_box(cls, bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        south, west, north, east = bounds
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise ValueError("bounds are [south, west, north, east] with south < north and west < east")
        return bounds

    def holds(self, latitude: float, longitude: float) -> bool:
        south, west, north, east = self.bounds
        return south <= latitude <= north and west <= longitude <= east


class Secrets(_Strict):
    """Credentials that only ever come from the environment; a channel without them is off."""

    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_sms_from: str | None = None
    twilio_whatsapp_from: str | None = None
    telegram_bot_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    metrics_token: str | None = None
    # The media bucket's keys; without them the AWS chain is used (AWS_ACCESS_KEY_ID, a profile, a role).
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None


class Settings(_Strict):
    city: City
    server: Server = Server()
    database: Database = Database()
    media: Media = Media()
    webchat: Webchat = Webchat()
    nlu: Nlu = Nlu()
    dialogue: Dialogue = Dialogue()
    twilio: Twilio = Twilio()
    duplicates: Duplicates = Duplicates()
    departments: dict[str, Department]
    services: dict[str, Service]
    # In order: the first area whose box holds a case's place names it (put small areas first).
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

    def service_name(self, code: str, language: str) -> str:
        service = self.services.get(code)
        return service.name.get(language) if service else code

    def is_sensitive(self, code: str) -> bool:
        """Unknown services count as sensitive: a case outliving its catalog entry publishes least."""
        service = self.services.get(code)
        return service is None or service.sensitive

    def area_of(self, latitude: float | None, longitude: float | None) -> Area | None:
        if latitude is None or longitude is None:
            return None
        return next((area for area in self.areas.values() if area.holds(latitude, longitude)), None)


# Environment variable → dotted settings key it overrides.
ENV_OVERRIDES = {
    "VENTANILLA_DATABASE_URL": "database.url",
    "VENTANILLA_PUBLIC_URL": "server.public_url",
    "VENTANILLA_HOST": "server.host",
    "VENTANILLA_PORT": "server.port",
    "RASA_URL": "nlu.rasa_url",
    "VENTANILLA_RASA_TIMEOUT_SECONDS": "nlu.rasa_timeout_seconds",
    "VENTANILLA_RASA_COOLDOWN_SECONDS": "nlu.rasa_cooldown_seconds",
    "VENTANILLA_RASA_DIR": "nlu.rasa_dir",
    "TWILIO_WHATSAPP_TEMPLATE_SID": "twilio.whatsapp_template_sid",
    "TWILIO_TIMEOUT_SECONDS": "twilio.timeout_seconds",
    "TWILIO_MEDIA_SECONDS": "twilio.media_seconds",
    "TWILIO_ACCOUNT_SID": "secrets.twilio_account_sid",
    "TWILIO_AUTH_TOKEN": "secrets.twilio_auth_token",
    "TWILIO_API_BASE_URL": "secrets.twilio_api_base_url",
    "TWILIO_SMS_FROM": "secrets.twilio_sms_from",
    "TWILIO_WHATSAPP_FROM": "secrets.twilio_whatsapp_from",
    "TELEGRAM_BOT_TOKEN": "secrets.telegram_bot_token",
    "TELEGRAM_WEBHOOK_SECRET": "secrets.telegram_webhook_secret",
    "TELEGRAM_API_BASE_URL": "secrets.telegram_api_base_url",
    "VENTANILLA_METRICS_TOKEN": "secrets.metrics_token",
    "VENTANILLA_MEDIA_BACKEND": "media.backend",
    "VENTANILLA_S3_BUCKET": "media.s3.bucket",
    "VENTANILLA_S3_ENDPOINT_URL": "media.s3.endpoint_url",
    "VENTANILLA_S3_REGION": "media.s3.region",
    "VENTANILLA_S3_PREFIX": "media.s3.prefix",
    "VENTANILLA_S3_ACCESS_KEY_ID": "secrets.s3_access_key_id",
    "VENTANILLA_S3_SECRET_ACCESS_KEY": "secrets.s3_secret_access_key",
}


def _set_dotted(tree: dict[str, Any], dotted: str, value: str) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


def _describe(error: ValidationError, from_environment: Mapping[str, str]) -> str:
    """One line per bad key; a value that came from the environment names its variable, the place to fix."""
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"unknown key {key!r}")
        elif key in from_environment:
            lines.append(f"{key} (from {from_environment[key]}): {item['msg']}")
        else:
            lines.append(f"{key}: {item['msg']}")
    return "; ".join(lines)


def load_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None, **overrides: str
) -> Settings:
    """Read the YAML file, apply environment overrides, validate; raise `SettingsError` naming bad keys."""
    environ = os.environ if environ is None else environ
    path = path or Path(environ.get("VENTANILLA_CONFIG", DEFAULT_CONFIG))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SettingsError(f"{path} must hold a mapping of settings")
    from_environment = {
        dotted: variable for variable, dotted in ENV_OVERRIDES.items() if environ.get(variable)
    }
    for dotted, variable in from_environment.items():
        _set_dotted(raw, dotted, environ[variable])
    for dotted, value in overrides.items():
        _set_dotted(raw, dotted.replace("__", "."), value)
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise SettingsError(f"{path}: {_describe(exc, from_environment)}") from exc
    return _anchor_paths(settings, path.resolve().parent)


def _anchor_paths(settings: Settings, base: Path) -> Settings:
    """Relative paths in the config mean "next to config.yml", whatever directory the command runs from."""
    url = settings.database.url
    prefix, sep, rest = url.partition(":///")
    if prefix.startswith("sqlite") and sep and rest and not rest.startswith("/") and rest != ":memory:":
        url = f"{prefix}:///{base / rest}"
    return settings.model_copy(
        update={
            "database": settings.database.model_copy(update={"url": url}),
            "media": settings.media.model_copy(update={"dir": base / settings.media.dir}),
            "nlu": settings.nlu.model_copy(
                update={
                    "model_dir": base / settings.nlu.model_dir,
                    "rasa_dir": base / settings.nlu.rasa_dir if settings.nlu.rasa_dir else None,
                }
            ),
        }
    )
