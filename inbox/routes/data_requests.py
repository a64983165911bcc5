"""The supervisors' data-requests queue (`/inbox/data-requests`): what is due, closing and cancelling."""

from __future__ import annotations

from aiohttp import web

from bot.appkeys import INBOX_EVENTS, SETTINGS
from inbox import data_requests
from inbox.views import back, form_of, int_or_404, render, requires, sessions_of, staff_of
from storage.preferential import preferential_kinds

HERE = "/inbox/data-requests"


@requires("supervisor")
async def queue_page(request: web.Request) -> web.Response:
    closed = request.query.get("closed") == "1"
    async with sessions_of(request)() as session:
        rows = await data_requests.rows(
            session, request.config_dict[SETTINGS], staff_of(request), closed=closed
        )
        ids = [row.request.citizen_id for row in rows if row.request.citizen_id is not None]
        kinds = await preferential_kinds(session, ids)  # marked here too (issue 19, part B)
    return render(request, "data_requests.html", {"rows": rows, "closed": closed, "pref_kinds": kinds})


@requires("supervisor")
async def close(request: web.Request) -> web.Response:
    request_id = int_or_404(request.match_info["id"])
    form = await form_of(request)
    status = "cancelled" if form.get("action") == "cancel" else "done"
    try:
        async with sessions_of(request)() as session, session.begin():
            await data_requests.close(session, request_id, status, form.get("note"), staff_of(request))
    except data_requests.Refused as refused:
        raise back(HERE, refused.notice) from None
    request.config_dict[INBOX_EVENTS].wake()
    raise back(HERE, "request_done" if status == "done" else "request_cancelled")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/data-requests", queue_page)
    router.add_post(r"/data-requests/{id:\d+}/close", close)
