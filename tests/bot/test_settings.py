"""config.yml is validated at start-up: typos fail with the key's name, the environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DEFAULT_CONFIG, SettingsError, load_settings


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
