"""The citizen profile's data operations (supervisors and admins): hold and lift an erasure, erase,
correct the name. The media of an erasure are deleted once its transaction has committed."""

from __future__ import annotations

from aiohttp import web

from bot.appkeys import INBOX_EVENTS, MEDIA, SETTINGS
from bot.erasure import Erased, Held, delete_media
from inbox import citizen_data
from inbox.data_requests import Refused
from inbox.views import back, form_of, int_or_404, requires, sessions_of, staff_of
from storage import scope


async def _seen_or_404(request: web.Request, citizen_id: int) -> None:
    """Another department's citizen answers as one that does not exist."""
    async with sessions_of(request)() as session:
        if not await scope.sees_citizen(session, citizen_id, staff_of(request).scope):
            raise web.HTTPNotFound()


async def _forget_media(request: web.Request, erased: Erased | None) -> None:
    """After the commit: without its rows nothing leads to a file, so a failure is logged, not a 500."""
    if erased is not None:
        await delete_media(request.config_dict[MEDIA], erased.media)


@requires("supervisor")
async def hold(request: web.Request) -> web.Response:
    citizen_id = int_or_404(request.match_info["id"])
    here = f"/inbox/citizens/{citizen_id}"
    await _seen_or_404(request, citizen_id)
    form = await form_of(request)
    try:
        async with sessions_of(request)() as session, session.begin():
            await citizen_data.hold(session, citizen_id, form.get("reason", ""), staff_of(request))
    except Refused as refused:
        raise back(here, refused.notice, anchor="data") from None
    request.config_dict[INBOX_EVENTS].wake()
    raise back(here, "hold_set", anchor="data")


@requires("supervisor")
async def lift(request: web.Request) -> web.Response:
    citizen_id = int_or_404(request.match_info["id"])
    here = f"/inbox/citizens/{citizen_id}"
    await _seen_or_404(request, citizen_id)
    try:
        async with sessions_of(request)() as session, session.begin():
            outcome = await citizen_data.lift(
                session, request.config_dict[SETTINGS], citizen_id, staff_of(request)
            )
    except Refused as refused:
        raise back(here, refused.notice, anchor="data") from None
    await _forget_media(request, outcome.erased)
    request.config_dict[INBOX_EVENTS].wake()
    if outcome.erased is not None:
        raise _after_erasure(outcome.erased, "hold_lifted_erased")
    raise back(here, "hold_lifted", anchor="data")


@requires("supervisor")
async def erase(request: web.Request) -> web.Response:
    citizen_id = int_or_404(request.match_info["id"])
    here = f"/inbox/citizens/{citizen_id}"
    await _seen_or_404(request, citizen_id)
    form = await form_of(request)
    try:
        async with sessions_of(request)() as session, session.begin():
            outcome = await citizen_data.erase(
                session, request.config_dict[SETTINGS], citizen_id, form.get("confirm", ""), staff_of(request)
            )
    except Refused as refused:
        raise back(here, refused.notice, anchor="data") from None
    except Held:
        raise back(here, "erase_held", anchor="data") from None  # the page shows the hold's reason
    await _forget_media(request, outcome.erased)
    request.config_dict[INBOX_EVENTS].wake()
    assert outcome.erased is not None
    raise _after_erasure(outcome.erased, "erased")


def _after_erasure(erased: Erased, notice: str) -> web.HTTPSeeOther:
    """The placeholder that keeps the cases' facts: what is left to see of the citizen."""
    return back(f"/inbox/citizens/{erased.placeholder_id}", notice)


@requires("supervisor")
async def rename(request: web.Request) -> web.Response:
    citizen_id = int_or_404(request.match_info["id"])
    here = f"/inbox/citizens/{citizen_id}"
    await _seen_or_404(request, citizen_id)
    form = await form_of(request)
    try:
        async with sessions_of(request)() as session, session.begin():
            await citizen_data.rename(
                session, request.config_dict[SETTINGS], citizen_id, form.get("name", ""), staff_of(request)
            )
    except Refused as refused:
        raise back(here, refused.notice, anchor="data") from None
    request.config_dict[INBOX_EVENTS].wake()
    raise back(here, "renamed", anchor="data")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_post(r"/citizens/{id:\d+}/erasure-hold", hold)
    router.add_post(r"/citizens/{id:\d+}/erasure-hold/lift", lift)
    router.add_post(r"/citizens/{id:\d+}/erase", erase)
    router.add_post(r"/citizens/{id:\d+}/name", rename)
