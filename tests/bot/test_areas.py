"""Areas the city can draw (issue 19): boxes, polygons and neighbourhood names; one home decides a case's."""

from __future__ import annotations

import pytest

from bot.area_shapes import inside_polygon
from bot.settings import Settings
from bot.settings_base import SettingsError
from bot.settings_loading import load_settings

# A "U" open to the north: the notch between its arms (lat 2..4, lon 1..2) is outside.
U_SHAPE = [(0.0, 0.0), (0.0, 3.0), (4.0, 3.0), (4.0, 2.0), (2.0, 2.0), (2.0, 1.0), (4.0, 1.0), (4.0, 0.0)]


def settings_with(areas: dict[str, dict[str, object]]) -> Settings:
    return Settings.model_validate({**load_settings(None, {}).model_dump(), "areas": areas})


def test_a_concave_polygon_holds_its_arms_and_not_its_notch() -> None:
    assert inside_polygon(1.0, 1.5, U_SHAPE)  # the base
    assert inside_polygon(3.0, 0.5, U_SHAPE) and inside_polygon(3.0, 2.5, U_SHAPE)  # both arms
    assert not inside_polygon(3.0, 1.5, U_SHAPE)  # the notch
    assert not inside_polygon(5.0, 1.5, U_SHAPE) and not inside_polygon(-1.0, 1.0, U_SHAPE)


def test_edges_and_corners_count_as_inside() -> None:
    assert inside_polygon(0.0, 1.5, U_SHAPE)  # the bottom edge
    assert inside_polygon(2.0, 1.5, U_SHAPE)  # the bottom of the notch
    assert inside_polygon(4.0, 3.0, U_SHAPE)  # a corner
    assert inside_polygon(3.0, 1.0, U_SHAPE)  # the notch's side
    assert not inside_polygon(3.0, 1.0001, U_SHAPE)


def test_the_first_area_in_config_order_wins_then_names_in_the_address() -> None:
    settings = settings_with(
        {
            "small": {"name": {"es": "Pequeña", "en": "Small"}, "polygon": [[0, 0], [0, 1], [1, 1], [1, 0]]},
            "big": {"name": {"es": "Grande", "en": "Big"}, "bounds": [-5, -5, 5, 5], "places": ["Chapinero"]},
            "named": {"name": {"es": "La Candelaria", "en": "La Candelaria"}, "places": ["La Candelaria"]},
        }
    )
    assert settings.area_code(0.5, 0.5) == "small"
    assert settings.area_code(2.0, 2.0) == "big"
    assert settings.area_code(0.5, 0.5, "Calle 10, La Candelaria") == "small"  # the point comes first
    assert settings.area_code(None, None, "calle 10 # 3-20, la candelaria") == "named"
    assert settings.area_code(50.0, 50.0, "LA CANDELÁRIA, frente al parque") == "named"
    assert settings.area_code(None, None, "Chapinero y La Candelaria") == "big"  # config order
    assert settings.area_code(None, None, "Chapineros del norte") is None  # whole words only
    assert settings.area_code(None, None, "Candelaria") is None
    assert settings.area_code(None, None, None) is None and settings.area_code(50.0, 50.0) is None


def test_the_example_config_keeps_its_boxes_and_names_its_centre() -> None:
    settings = load_settings(None, {})
    assert settings.area_code(4.6097, -74.0817) == "centro"
    assert settings.area_code(None, None, "Carrera 7, barrio Las Nieves") == "centro"
    assert settings.area_of(None, None, "Kennedy") is None


@pytest.mark.parametrize(
    ("area", "error"),
    [
        ({"polygon": [[0, 0], [0, 1]]}, "at least 3"),
        ({"polygon": [[0, 0], [0, 1], [0, 1], [0, 0]]}, "at least 3"),
        ({"polygon": [[0, 0], [0, 1], [95, 1]]}, "latitude in -90..90"),
        ({"places": []}, "neighbourhood names"),
        ({"places": ["Chapinero", " ¡! "]}, "neighbourhood names"),
        ({}, "bounds, a polygon or places"),
    ],
)
def test_a_badly_drawn_area_fails_at_boot(area: dict[str, object], error: str) -> None:
    with pytest.raises((SettingsError, ValueError), match=error):
        settings_with({"bad": {"name": {"es": "Mala", "en": "Bad"}, **area}})
