"""`config.yml` read, environment overrides applied, validated once into `Settings`, relative paths anchored
beside the file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.settings import Settings
from bot.settings_base import LANGUAGES, SettingsError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config.yml"


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
    "TWILIO_FOLLOWUP_TEMPLATE_SID": "twilio.followup_template_sid",
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
    "VENTANILLA_EMAIL_ADDRESS": "email.address",
    "VENTANILLA_IMAP_PASSWORD": "secrets.imap_password",
    "VENTANILLA_SMTP_PASSWORD": "secrets.smtp_password",
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
            "opendata": settings.opendata.model_copy(update={"dir": base / settings.opendata.dir}),
            "knowledge": settings.knowledge.model_copy(update={"dir": base / settings.knowledge.dir}),
            # The policy pages the city writes (served at /privacidad, read again when edited).
            "privacy": settings.privacy.model_copy(
                update={
                    "policy": settings.privacy.policy.model_copy(
                        update={lang: str(base / settings.privacy.policy.get(lang)) for lang in LANGUAGES}
                    )
                }
            ),
            "nlu": settings.nlu.model_copy(
                update={
                    "model_dir": base / settings.nlu.model_dir,
                    "rasa_dir": base / settings.nlu.rasa_dir if settings.nlu.rasa_dir else None,
                }
            ),
        }
    )
