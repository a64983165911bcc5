"""The explicit list of connectors and which of them the settings switch on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.settings import Settings
from connectors import rest


@dataclass(frozen=True)
class Connector:
    name: str
    add_routes: Callable[[web.Application], None]
    enabled: Callable[[Settings], bool]


CONNECTORS: tuple[Connector, ...] = (
    # The web chat needs no credentials: it is always on.
    Connector("rest", rest.add_routes, lambda settings: True),
)


def enabled_connectors(settings: Settings) -> list[Connector]:
    return [c for c in CONNECTORS if c.enabled(settings)]
