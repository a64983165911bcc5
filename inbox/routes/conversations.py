"""One conversation: the citizen's timeline across channels, the reply box and internal notes."""

from __future__ import annotations

from aiohttp import web

from bot.appkeys import OUTBOX, SETTINGS
from connectors.channels import channel as channel_of
from inbox import canned, handoff
from inbox.auth import StaffMember
from inbox.routes.queue import act
from inbox.sla import first_response_clock
from inbox.timeline import entries
from inbox.views import int_or_404, render, sessions_of, staff_of
from storage import citizens as citizen_rows
from storage import conversations as conversation_rows
from storage import messages as message_rows
from storage import scope
from storage.engine import AsyncSession
from storage.models import Conversation, Message, utcnow
from storage.staff import active_staff


async def _load(session: AsyncSession, request: web.Request) -> tuple[Conversation, citizen_rows.Profile]:
    """The conversation and its citizen; 404 for another department's, as for one that does not exist."""
    scope = staff_of(request).scope
    conversation = await conversation_rows.conversation(
        session, int_or_404(request.match_info["id"]), scope=scope
    )
    if conversation is None:
        raise web.HTTPNotFound()
    profile = await citizen_rows.profile(session, conversation.citizen_id, scope)
    assert profile is not None  # a conversation's citizen is deleted with it, and seen with it
    return conversation, profile


async def conversation_page(request: web.Request) -> web.Response:
    staff = staff_of(request)
    settings = request.config_dict[SETTINGS]
    now = utcnow()
    async with sessions_of(request)() as session:
        conversation, profile = await _load(session, request)
        timeline = await message_rows.timeline(session, conversation.citizen_id, scope=staff.scope)
        department = await scope.citizen_department(session, conversation.citizen_id)
        colleagues = await active_staff(session)
        channel = channel_of(conversation.last_channel)
        last_heard = (
            await citizen_rows.last_inbound_at(session, conversation.citizen_id, channel.name)
            if channel.reply_window is not None
            else None
        )
    context = {
        "conversation": conversation,
        "profile": profile,
        "entries": entries(timeline),
        "complete": timeline.complete,
        "department": department,
        "clock": first_response_clock(
            settings,
            department,
            conversation.waiting_since,
            conversation.first_response_at,
            now,
            preferential=profile.citizen.preferential is not None,
        ),
        "colleagues": [
            c for c in colleagues if c.id != conversation.assigned_staff_id and handoff.sees(c, department)
        ],
        "holder_name": next((c.username for c in colleagues if c.id == conversation.assigned_staff_id), None),
        "may_take": handoff.may_take(conversation, staff),
        "window_closed": channel.reply_window is not None
        and (last_heard is None or now - last_heard > channel.reply_window),
        "channel_off": bool(conversation.last_channel)
        and not channel.synchronous
        and channel.name not in request.config_dict[OUTBOX].senders,
        "web_chat": channel.synchronous,
        "canned": canned.for_language(profile.citizen.language),
        "open_cases": [c for c in profile.cases if c.status in ("open", "acknowledged", "in_progress")],
    }
    return render(request, "conversation.html", context)


async def timeline_part(request: web.Request) -> web.Response:
    """The timeline alone, for the page to refresh when something new arrives."""
    async with sessions_of(request)() as session:
        conversation, _ = await _load(session, request)
        timeline = await message_rows.timeline(
            session, conversation.citizen_id, scope=staff_of(request).scope
        )
    return render(request, "_timeline.html", {"entries": entries(timeline), "complete": timeline.complete})


async def _reply(
    session: AsyncSession, c: Conversation, staff: StaffMember, form: dict[str, str]
) -> Message | None:
    return await handoff.reply(session, c, staff, form.get("text", ""), utcnow())


async def _note(session: AsyncSession, c: Conversation, staff: StaffMember, form: dict[str, str]) -> None:
    await handoff.note(session, c, staff, form.get("text", ""))


async def reply(request: web.Request) -> web.Response:
    return await act(request, _reply, "sent")


async def note(request: web.Request) -> web.Response:
    return await act(request, _note, "noted")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(r"/conversations/{id:\d+}", conversation_page)
    router.add_get(r"/conversations/{id:\d+}/timeline", timeline_part)
    router.add_post(r"/conversations/{id:\d+}/reply", reply)
    router.add_post(r"/conversations/{id:\d+}/note", note)
