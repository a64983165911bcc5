"""A citizen's data export downloaded from their profile (issue 15): supervisors and admins only, within
their departments like the rest of the profile; recorded as the citizen's request and audited."""

from __future__ import annotations

from aiohttp import web

from bot import data_export, data_requests
from bot.appkeys import MEDIA, SETTINGS
from inbox.views import SECURITY_HEADERS, int_or_404, requires, sessions_of, staff_of
from storage import audit, scope
from storage.models import DataRequestKind, DataRequestStatus, utcnow


@requires("supervisor")
async def export(request: web.Request) -> web.Response:
    """POST: the same zip the citizen's link gives, built from what is held now."""
    citizen_id = int_or_404(request.match_info["id"])
    staff, settings, now = staff_of(request), request.config_dict[SETTINGS], utcnow()
    async with sessions_of(request)() as session:
        if not await scope.sees_citizen(session, citizen_id, staff.scope):
            raise web.HTTPNotFound()  # another department's citizen answers as one that does not exist
        body = await data_export.zip_of(session, request.config_dict[MEDIA], settings, citizen_id, now=now)
    if body is None:
        raise web.HTTPNotFound()
    async with sessions_of(request)() as session, session.begin():
        asked = await data_requests.record(
            session, settings, citizen_id, DataRequestKind.EXPORT, "inbox",
            status=DataRequestStatus.DONE, staff_id=staff.id, now=now,
        )  # fmt: skip
        await audit.audit(
            session, actor=staff.username, action="data.exported", target_type="citizen",
            target_id=str(citizen_id), staff_id=staff.id, detail={"via": "inbox", "request": asked.id},
        )  # fmt: skip
    name = f"datos-ciudadano-{citizen_id}-{now.astimezone(settings.city.zone):%Y-%m-%d}.zip"
    headers = {
        **SECURITY_HEADERS,
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    }
    return web.Response(body=body, content_type="application/zip", headers=headers)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_post(r"/citizens/{id:\d+}/export", export)
