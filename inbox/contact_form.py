"""What the call-or-visit form shows: the services, the city's "now" as its default time, and after a
mistake the values typed and the error (nothing typed is lost)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.appkeys import SETTINGS
from connectors.channels import RECORDED
from inbox.views import ui_for
from storage.models import utcnow

FIELDS = ("phone", "name", "channel", "at", "summary", "service", "description", "place")


def contact_form(request: web.Request, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    settings = request.config_dict[SETTINGS]
    ui = ui_for(request)
    now = utcnow().astimezone(settings.city.zone).strftime("%Y-%m-%dT%H:%M")
    typed = (extra or {}).get("values", {})
    values = {name: str(typed.get(name, "")) for name in FIELDS}
    values["channel"] = values["channel"] if values["channel"] in RECORDED else "phone"
    return {
        "contact_values": values,
        "contact_now": now,  # the field's default and its maximum: never in the future
        "contact_services": sorted(
            ((code, ui.service(code)) for code in settings.services), key=lambda s: s[1]
        ),
        "contact_channels": sorted(RECORDED, reverse=True),  # phone first
        "contact_error": (extra or {}).get("error"),
        "contact_field": (extra or {}).get("field"),
    }
