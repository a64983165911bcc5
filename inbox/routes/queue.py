"""The queue of conversations waiting for a person, and what staff do with one: claim, assign, release."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from aiohttp import web

from bot.appkeys import INBOX_EVENTS, SETTINGS
from bot.export_link import mask
from connectors.channels import CHATS
from inbox import handoff
from inbox.auth import StaffMember
from inbox.middleware import safe_next
from inbox.sla import Clock, first_response_clock
from inbox.views import back, departments_seen, form_of, int_or_404, render, sessions_of, staff_of
from storage import conversations as conversation_rows
from storage import scope, supporters
from storage.engine import AsyncSession
from storage.models import Conversation, Message, utcnow

STATUSES = ("", "waiting", "mine", "assigned")
PREVIEW_CHARS = 140


@dataclass(frozen=True)
class Item:
    row: conversation_rows.QueueRow
    clock: Clock | None
    preview: str
    supporters: int = 0  # neighbours who joined the citizen's latest open case


def filters_of(request: web.Request, staff: StaffMember) -> conversation_rows.QueueFilter:
    settings = request.config_dict[SETTINGS]
    query = request.query
    department = query.get("department", "")
    if department not in settings.departments and department != conversation_rows.NO_DEPARTMENT:
        department = ""
    channel = query.get("channel", "")
    status = query.get("status", "")
    return conversation_rows.QueueFilter(
        department=department,
        channel=channel if channel in CHATS else "",
        status=status if status in STATUSES else "",
        staff_id=staff.id,
        scope=staff.scope,
    )


async def queue_page(request: web.Request) -> web.Response:
    staff = staff_of(request)
    settings = request.config_dict[SETTINGS]
    filters = filters_of(request, staff)
    now = utcnow()
    async with sessions_of(request)() as session:
        rows = await conversation_rows.queue(session, filters)
        counts = await conversation_rows.queue_counts(session, staff.id, staff.scope)
        joined = await supporters.latest_open_case_supporters(session, [r.citizen.id for r in rows])
    items = [
        Item(
            row,
            first_response_clock(
                settings,
                row.department,
                row.conversation.waiting_since,
                row.conversation.first_response_at,
                now,
                preferential=row.citizen.preferential is not None,
            ),
            _preview(row.last),
            joined.get(row.citizen.id, 0),
        )
        for row in rows
    ]
    context = {
        "items": items,
        "counts": counts,
        "filters": filters,
        "departments": departments_seen(request),
        "channels": CHATS,
        "no_department": conversation_rows.NO_DEPARTMENT,
        "refresh": "/inbox/queue?" + urlencode({**_query(filters), "partial": "1"}),
    }
    template = "_queue_rows.html" if request.query.get("partial") == "1" else "queue.html"
    return render(request, template, context)


def _query(filters: conversation_rows.QueueFilter) -> dict[str, str]:
    wanted = {"department": filters.department, "channel": filters.channel, "status": filters.status}
    return {key: value for key, value in wanted.items() if value}


def _preview(message: Message | None) -> str:
    if message is None:
        return ""
    text = " ".join(mask(message.text).split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


Action = Callable[[AsyncSession, Conversation, StaffMember, dict[str, str]], Awaitable[Message | None]]


async def act(request: web.Request, action: Action, done: str) -> web.Response:
    """Run one staff action on a locked conversation, then back to where the staff member was."""
    conversation_id = int_or_404(request.match_info["id"])
    form = await form_of(request)
    staff = staff_of(request)
    target = safe_next(form.get("next") or f"/inbox/conversations/{conversation_id}")
    try:
        async with sessions_of(request)() as session, session.begin():
            conversation = await conversation_rows.conversation(
                session, conversation_id, lock=True, scope=staff.scope
            )
            if conversation is None:
                raise web.HTTPNotFound()
            await action(session, conversation, staff, form)
    except handoff.Refused as refused:
        raise back(target, refused.notice) from None
    request.config_dict[INBOX_EVENTS].wake()
    raise back(target, done)


async def _claim(session: AsyncSession, c: Conversation, staff: StaffMember, form: dict[str, str]) -> None:
    await handoff.claim(session, c, staff)


async def _assign(session: AsyncSession, c: Conversation, staff: StaffMember, form: dict[str, str]) -> None:
    department = await scope.citizen_department(session, c.citizen_id)
    colleague = await handoff.colleague(session, int_or_404(form.get("staff_id", "")), department)
    if colleague is None:
        raise handoff.Refused("no_such_colleague")
    await handoff.assign(session, c, staff, colleague.id, colleague.username)


async def _release(session: AsyncSession, c: Conversation, staff: StaffMember, form: dict[str, str]) -> None:
    await handoff.release(session, c, staff, utcnow())


async def claim(request: web.Request) -> web.Response:
    return await act(request, _claim, "claimed")


async def assign(request: web.Request) -> web.Response:
    return await act(request, _assign, "assigned")


async def release(request: web.Request) -> web.Response:
    return await act(request, _release, "released")


async def hand_back(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]

    async def _hand_back(
        session: AsyncSession, c: Conversation, staff: StaffMember, form: dict[str, str]
    ) -> Message | None:
        return await handoff.hand_back(session, c, staff, settings)

    return await act(request, _hand_back, "handed_back")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/queue", queue_page)
    router.add_post(r"/conversations/{id:\d+}/claim", claim)
    router.add_post(r"/conversations/{id:\d+}/assign", assign)
    router.add_post(r"/conversations/{id:\d+}/release", release)
    router.add_post(r"/conversations/{id:\d+}/handback", hand_back)
