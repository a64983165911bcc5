"""/metrics is for the city's monitoring, not the public (issue 12, finding 11)."""

from __future__ import annotations

from unittest.mock import Mock

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from bot.app import may_read_metrics
from bot.appkeys import SETTINGS
from bot.settings import Settings
from bot.settings_loading import load_settings


def asking(settings: Settings, peer: str, authorization: str | None = None) -> web.Request:
    app = web.Application()
    app[SETTINGS] = settings
    transport = Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (peer, 51000) if name == "peername" else default
    )
    headers = {"Authorization": authorization} if authorization else {}
    return make_mocked_request("GET", "/metrics", headers=headers, app=app, transport=transport)


def test_only_the_machine_itself_reads_metrics_by_default() -> None:
    settings = load_settings(None, {})
    assert may_read_metrics(asking(settings, "127.0.0.1"))
    assert may_read_metrics(asking(settings, "::1"))
    assert not may_read_metrics(asking(settings, "203.0.113.9"))
    assert not may_read_metrics(asking(settings, "10.0.0.7", "Bearer guess"))


def test_a_token_opens_metrics_from_anywhere_and_only_the_right_one() -> None:
    settings = load_settings(None, {"VENTANILLA_METRICS_TOKEN": "t0k3n-for-prometheus"})
    assert may_read_metrics(asking(settings, "203.0.113.9", "Bearer t0k3n-for-prometheus"))
    assert not may_read_metrics(asking(settings, "203.0.113.9", "Bearer t0k3n-for-prometheu"))
    assert not may_read_metrics(asking(settings, "203.0.113.9"))


def test_a_city_may_choose_public_metrics() -> None:
    settings = load_settings(None, {}, **{"server.metrics_from": "anywhere"})
    assert may_read_metrics(asking(settings, "203.0.113.9"))
