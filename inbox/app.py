"""The inbox sub-app factory: templates, middlewares, routes per area, static files, live updates."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.appkeys import INBOX_EVENTS, INBOX_LOGINS, INBOX_TEMPLATES
from connectors.static import add_static
from inbox.auth import AddressThrottle
from inbox.data_requests import count_due
from inbox.middleware import authenticate, guard
from inbox.routes import (
    accounts,
    alerts,
    auth,
    cases,
    citizen_data,
    citizen_export,
    citizens,
    contacts,
    conversations,
    dashboard,
    data_requests,
    equity,
    knowledge,
    queue,
    surveys,
)
from inbox.sse import Broadcaster, events

HERE = Path(__file__).resolve().parent


def inbox_app(*, poll_seconds: float = 1.0) -> web.Application:
    """The inbox, to mount with `app.add_subapp("/inbox/", inbox_app())`; it uses the parent's database."""
    app = web.Application(middlewares=[guard, authenticate, count_due])
    aiohttp_jinja2.setup(
        app,
        app_key=INBOX_TEMPLATES,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # everything, whatever the template's name: citizens write what they like
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    broadcaster = Broadcaster(poll_seconds)
    app[INBOX_EVENTS] = broadcaster
    app[INBOX_LOGINS] = AddressThrottle()

    async def stop_streams(_: web.Application) -> None:
        await broadcaster.close()  # before the server waits for open requests to finish

    app.on_shutdown.append(stop_streams)
    app.router.add_get("/events", events)
    add_static(app.router, "/static/", HERE / "static")
    areas = (
        auth, queue, conversations, cases, citizens, citizen_data, citizen_export, data_requests, dashboard,
        accounts, surveys, alerts, knowledge, contacts,  # contacts: calls and visits (issue 18)
        equity,  # issue 19: how fast each group of citizens is served
    )  # fmt: skip
    for area in areas:
        area.add_routes(app.router)
    return app
