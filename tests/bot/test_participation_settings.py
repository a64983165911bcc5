"""Participation settings: topics, quiet hours over midnight, the open data folder beside the config."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.participation_settings import QuietHours
from bot.settings_base import SettingsError
from bot.settings_loading import DEFAULT_CONFIG, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_topics_and_the_quiet_night() -> None:
    settings = load_settings(DEFAULT_CONFIG, environ={})
    topics = settings.participation.topics
    assert list(topics) == ["encuestas", "avisos_agua", "avisos_vias"]
    assert topics["avisos_agua"].by_area and not topics["encuestas"].by_area
    night = settings.participation.quiet_hours
    assert night.holds(time(20, 0)) and night.holds(time(23, 59)) and night.holds(time(7, 59))
    assert not night.holds(time(8, 0)) and not night.holds(time(19, 59)) and not night.holds(time(12, 0))


def test_quiet_hours_within_one_day_and_none() -> None:
    siesta = QuietHours(start=time(13, 0), end=time(15, 0))
    assert siesta.holds(time(14, 0)) and not siesta.holds(time(15, 0)) and not siesta.holds(time(9, 0))
    assert not QuietHours(start=time(8, 0), end=time(8, 0)).holds(time(8, 0))


def test_bad_topic_code_and_area_topic_without_areas_are_named(tmp_path: Path) -> None:
    config = DEFAULT_CONFIG.read_text(encoding="utf-8")
    with pytest.raises(SettingsError, match="Avisos-Agua"):
        load_settings(write(tmp_path, config.replace("    avisos_agua:\n", "    Avisos-Agua:\n")), environ={})
    areas = config.index("\nareas:\n")
    after = config.find("\n\n", areas + 1)
    without_areas = config[:areas] + ("\n" + config[after:] if after != -1 else "\n")
    with pytest.raises(SettingsError, match=r"participation\.topics\.avisos_agua\.by_area"):
        load_settings(write(tmp_path, without_areas), environ={})


def test_the_open_data_folder_sits_next_to_the_config(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, DEFAULT_CONFIG.read_text(encoding="utf-8")), environ={})
    assert settings.opendata.dir == tmp_path / "var/datos"
    assert settings.opendata.licence.id == "CC-BY-4.0"
