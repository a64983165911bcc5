"""The supervisors' data-requests queue: what is due, and closing or cancelling a request (audited).

The audit of a request names its id, kind and status only: never the citizen's words nor staff's note,
which are personal (a correction quotes a name, an address)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aiohttp import web

from bot import data_requests
from bot.appkeys import SETTINGS
from bot.settings import Settings
from inbox.auth import StaffMember
from inbox.middleware import BACKGROUND_HEADER
from inbox.views import DATA_DUE, STAFF, Handler, sessions_of
from storage import audit
from storage import data_requests as request_rows
from storage.engine import AsyncSession
from storage.models import DataRequest, DataRequestKind, DataRequestStatus, utcnow
from storage.scope import sees_citizen

MAX_NOTE = 2000
# Open requests due within this many business days are counted in the supervisors' navigation.
DUE_SOON_DAYS = 2


class Refused(Exception):
    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


@dataclass(frozen=True)
class Row:
    """A request as the queue shows it."""

    request: DataRequest
    name: str | None
    erased: bool
    days_left: int  # business days until it is due; negative: overdue by that many

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


async def rows(session: AsyncSession, settings: Settings, staff: StaffMember, *, closed: bool) -> list[Row]:
    today = data_requests.city_today(settings)
    country = settings.city.data_protection.country
    found = await request_rows.queue(session, closed=closed, scope=staff.scope)
    return [
        Row(q.request, q.name, q.erased, data_requests.business_days_left(today, q.request.due_on, country))
        for q in found
    ]


def due_soon_until(settings: Settings, today: date | None = None) -> date:
    today = today or data_requests.city_today(settings)
    return data_requests.add_business_days(today, DUE_SOON_DAYS, settings.city.data_protection.country)


async def close(
    session: AsyncSession, request_id: int, status: str, note: str | None, staff: StaffMember
) -> DataRequest:
    """Mark an open or held request done (with staff's answer) or cancelled. An erasure is done only by
    erasing (the citizen's confirmation, or lifting a hold): here it can only be cancelled."""
    if status not in (DataRequestStatus.DONE, DataRequestStatus.CANCELLED):
        raise Refused("bad_transition")
    request = await request_rows.get(session, request_id)
    if request is None or (
        request.citizen_id is not None and not await sees_citizen(session, request.citizen_id, staff.scope)
    ):
        raise web.HTTPNotFound()
    if request.status not in request_rows.PENDING:
        raise Refused("request_closed_already")
    if status == DataRequestStatus.DONE and request.kind == DataRequestKind.ERASE:
        raise Refused("erase_not_by_hand")
    before = request.status
    request.status, request.done_at, request.staff_id = status, utcnow(), staff.id
    request.note = (note or "").strip()[:MAX_NOTE] or request.note
    await audit.audit(
        session,
        actor=staff.username,
        action=f"data_request.{'done' if status == DataRequestStatus.DONE else 'cancel'}",
        target_type="data_request",
        target_id=str(request.id),
        from_value=before,
        to_value=status,
        staff_id=staff.id,
        detail={"kind": request.kind},
    )
    return request


@web.middleware
async def count_due(request: web.Request, handler: Handler) -> web.StreamResponse:
    """For a supervisor's page: how many open requests are due within two business days (or overdue),
    for the navigation. Not for the page's own background refreshes, nor its live updates."""
    staff = request.get(STAFF)
    wanted = (
        staff is not None
        and staff.at_least("supervisor")
        and request.method == "GET"
        and request.headers.get(BACKGROUND_HEADER) != "1"
        and not request.path.startswith(("/inbox/events", "/inbox/static/"))
    )
    if wanted and staff is not None:
        settings = request.config_dict[SETTINGS]
        async with sessions_of(request)() as session:
            request[DATA_DUE] = await request_rows.open_due_by(session, due_soon_until(settings), staff.scope)
    return await handler(request)
