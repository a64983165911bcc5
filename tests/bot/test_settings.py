"""config.yml is validated at start-up: typos fail with the key's name, the environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.settings_base import SettingsError
from bot.settings_loading import DEFAULT_CONFIG, ENV_OVERRIDES, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_config_has_the_twelve_services_in_both_languages() -> None:
    settings = load_settings(DEFAULT_CONFIG, environ={})
    assert list(settings.services) == [
        "pothole", "streetlight", "garbage", "illegal_dumping", "water", "sewer", "noise", "tree",
        "traffic_signal", "abandoned_vehicle", "stray_animal", "sidewalk",
    ]  # fmt: skip
    assert settings.service_name("sidewalk", "es") == "Andén o acera dañada"
    assert settings.service_name("sidewalk", "en") == "Damaged sidewalk"
    assert settings.services["water"].department == "water_utility"


def test_unknown_key_fails_naming_it(tmp_path: Path) -> None:
    config = DEFAULT_CONFIG.read_text(encoding="utf-8").replace("  backend: builtin", "  backnd: builtin")
    with pytest.raises(SettingsError, match=r"unknown key 'nlu\.backnd'"):
        load_settings(write(tmp_path, config), environ={})


def test_bad_values_and_departments_are_named(tmp_path: Path) -> None:
    config = DEFAULT_CONFIG.read_text(encoding="utf-8")
    with pytest.raises(SettingsError, match=r"server\.port"):
        load_settings(write(tmp_path, config.replace("port: 8080", "port: 99999")), environ={})
    with pytest.raises(SettingsError, match=r"services\.noise\.department: unknown department 'envirnment'"):
        load_settings(
            write(
                tmp_path,
                config.replace(
                    "    department: environment\n    photo: skip",
                    "    department: envirnment\n    photo: skip",
                ),
            ),
            environ={},
        )
    with pytest.raises(SettingsError, match="not valid YAML"):
        load_settings(write(tmp_path, "city: [unclosed"), environ={})


def test_environment_overrides_and_relative_paths_sit_next_to_the_config(tmp_path: Path) -> None:
    path = write(tmp_path, DEFAULT_CONFIG.read_text(encoding="utf-8"))
    settings = load_settings(path, environ={})
    assert settings.database.url == f"sqlite+aiosqlite:///{tmp_path}/var/ventanilla.db"
    assert settings.nlu.model_dir == tmp_path / "var/nlu"
    environ = {
        "VENTANILLA_DATABASE_URL": "postgresql+asyncpg://u:p@db/ventanilla",
        "VENTANILLA_PUBLIC_URL": "https://ventanilla.example.gov",
        "TELEGRAM_BOT_TOKEN": "123:abc",
        "VENTANILLA_PORT": "8091",
    }
    settings = load_settings(path, environ=environ)
    assert settings.server.port == 8091
    assert settings.database.url == "postgresql+asyncpg://u:p@db/ventanilla"
    assert settings.server.public_url == "https://ventanilla.example.gov"
    assert settings.secrets.telegram_bot_token == "123:abc"
    assert settings.secrets.twilio_auth_token is None  # absent credentials: that channel is off


def test_the_emergency_text_must_show_the_numbers(tmp_path: Path) -> None:
    config = DEFAULT_CONFIG.read_text(encoding="utf-8")
    shown = load_settings(
        write(tmp_path, config.replace('numbers: ["123"]', 'numbers: ["112", "911"]')), environ={}
    )
    assert "112 / 911" in shown.city.emergency.say("es") and "112 / 911" in shown.city.emergency.say("en")
    hidden = config.replace("llama ya al {numbers}", "llama ya a emergencias")
    with pytest.raises(SettingsError, match=r"city\.emergency\.text\.es"):
        load_settings(write(tmp_path, hidden), environ={})


def test_sensitive_services_and_areas(tmp_path: Path) -> None:
    settings = load_settings(DEFAULT_CONFIG, environ={})
    assert [code for code, s in settings.services.items() if s.sensitive] == ["noise"]
    assert settings.is_sensitive("noise") and not settings.is_sensitive("pothole")
    assert settings.is_sensitive("a_service_no_longer_in_the_catalog")
    centre = settings.area_of(4.6097, -74.0817)
    assert centre is not None and centre.name.get("en") == "Downtown"
    assert settings.area_of(None, -74.08) is None and settings.area_of(40.4, -3.7) is None
    config = DEFAULT_CONFIG.read_text(encoding="utf-8")
    with pytest.raises(SettingsError, match=r"areas\.centro\.bounds"):
        backwards = config.replace("[4.585, -74.095, 4.625, -74.060]", "[4.625, -74.095, 4.585, -74.060]")
        load_settings(write(tmp_path, backwards), environ={})
    with pytest.raises(SettingsError, match=r"services\.noise\.sensitive"):
        load_settings(write(tmp_path, config.replace("sensitive: true", "sensitive: maybe")), environ={})


def test_a_bucket_back_end_without_a_bucket_fails_at_boot_with_the_key() -> None:
    with pytest.raises(SettingsError, match=r"media\.s3\.bucket"):
        load_settings(None, {}, **{"media.backend": "s3"})
    with pytest.raises(SettingsError, match=r"unknown key 'media\.s3\.bukket'"):
        load_settings(None, {}, **{"media.s3.bukket": "x"})


def test_the_environment_chooses_the_bucket_and_its_keys() -> None:
    environ = {
        "VENTANILLA_MEDIA_BACKEND": "s3",
        "VENTANILLA_S3_BUCKET": "city-media",
        "VENTANILLA_S3_ENDPOINT_URL": "https://minio.city.example:9000",
        "VENTANILLA_S3_REGION": "sa-east-1",
        "VENTANILLA_S3_PREFIX": "prod/",
        "VENTANILLA_S3_ACCESS_KEY_ID": "key",
        "VENTANILLA_S3_SECRET_ACCESS_KEY": "secret",
    }
    settings = load_settings(None, environ)
    s3 = settings.media.s3
    assert settings.media.backend == "s3"
    assert (s3.bucket, s3.endpoint_url, s3.region, s3.prefix) == (
        "city-media",
        "https://minio.city.example:9000",
        "sa-east-1",
        "prod/",
    )
    assert (settings.secrets.s3_access_key_id, settings.secrets.s3_secret_access_key) == ("key", "secret")


TEMPLATE_SID = "HX" + "0123456789abcdef" * 2


def shipped_with(tmp_path: Path, **sections: dict[str, object]) -> Path:
    """The shipped config.yml with these keys set in these sections, written as a city would write it."""
    config = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    for section, keys in sections.items():
        config.setdefault(section, {}).update(keys)
    return write(tmp_path, yaml.safe_dump(config, allow_unicode=True))


def test_rasa_and_twilio_keys_are_settings_like_any_other(tmp_path: Path) -> None:
    """Keys once read with getattr (so config.yml could never set them) or straight from os.environ."""
    rasa = {"rasa_timeout_seconds": 0.5, "rasa_cooldown_seconds": 30, "rasa_dir": "rasa-work"}
    twilio = {"whatsapp_template_sid": TEMPLATE_SID, "timeout_seconds": 4}
    settings = load_settings(shipped_with(tmp_path, nlu=rasa, twilio=twilio), environ={})
    assert (settings.nlu.rasa_timeout_seconds, settings.nlu.rasa_cooldown_seconds) == (0.5, 30)
    assert settings.nlu.rasa_dir == tmp_path / "rasa-work"  # relative: next to the config file
    assert (settings.twilio.whatsapp_template_sid, settings.twilio.timeout_seconds) == (TEMPLATE_SID, 4)
    shipped = load_settings(DEFAULT_CONFIG, environ={})
    assert (shipped.nlu.rasa_timeout_seconds, shipped.nlu.rasa_cooldown_seconds) == (1.5, 10)
    assert shipped.nlu.rasa_dir is None  # Rasa's work goes beside nlu.model_dir (var/rasa)
    assert (shipped.twilio.whatsapp_template_sid, shipped.twilio.timeout_seconds) == (None, 10)


def test_a_typo_in_the_new_sections_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"unknown key 'twilio\.timeout'"):
        load_settings(shipped_with(tmp_path, twilio={"timeout": 4}), environ={})
    with pytest.raises(SettingsError, match=r"unknown key 'nlu\.rasa_timeout'"):
        load_settings(shipped_with(tmp_path, nlu={"rasa_timeout": 4}), environ={})
    with pytest.raises(SettingsError, match=r"twilio\.whatsapp_template_sid: String should match"):
        load_settings(shipped_with(tmp_path, twilio={"whatsapp_template_sid": "HX123"}), environ={})


def test_the_environment_overrides_the_new_keys(tmp_path: Path) -> None:
    environ = {
        "VENTANILLA_RASA_TIMEOUT_SECONDS": "0.25",
        "VENTANILLA_RASA_COOLDOWN_SECONDS": "3",
        "VENTANILLA_RASA_DIR": str(tmp_path / "rasa-elsewhere"),
        "TWILIO_WHATSAPP_TEMPLATE_SID": TEMPLATE_SID,
        "TWILIO_TIMEOUT_SECONDS": "4.5",
    }
    settings = load_settings(shipped_with(tmp_path, twilio={"timeout_seconds": 9}), environ=environ)
    assert (settings.nlu.rasa_timeout_seconds, settings.nlu.rasa_cooldown_seconds) == (0.25, 3)
    assert settings.nlu.rasa_dir == tmp_path / "rasa-elsewhere"
    assert (settings.twilio.whatsapp_template_sid, settings.twilio.timeout_seconds) == (TEMPLATE_SID, 4.5)
    with pytest.raises(
        SettingsError, match=r"nlu\.rasa_timeout_seconds \(from VENTANILLA_RASA_TIMEOUT_SECONDS\)"
    ):
        load_settings(DEFAULT_CONFIG, environ={"VENTANILLA_RASA_TIMEOUT_SECONDS": "0"})


def test_every_environment_override_is_documented() -> None:
    """docs/operations.md's table is where an operator looks for what the environment can change."""
    operations = (DEFAULT_CONFIG.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = [variable for variable in ENV_OVERRIDES if f"`{variable}`" not in operations]
    assert not missing
