"""What a reply to a citizen's mail answers, read from the stored Message-IDs (storage/email_headers.py)."""

from __future__ import annotations

from datetime import timedelta

from connectors.email.compose import Thread
from connectors.email.parser import base_subject
from storage import email_headers
from storage.engine import AsyncSession
from storage.models import Direction, utcnow


class OverCap(Exception):
    """This address had as many replies in the last hour as the city allows: likely a loop."""


async def thread_for(session: AsyncSession, address: str, cap: int) -> tuple[Thread, int | None]:
    """The thread our next mail to `address` belongs in, and the citizen's id (None: not theirs any more,
    e.g. erased). `OverCap` when `cap` replies already went there in the last hour."""
    if await email_headers.replies_since(session, address, utcnow() - timedelta(hours=1)) >= cap:
        raise OverCap(address)
    last = await email_headers.latest_inbound(session, address)
    if last is None:
        return Thread(subject=""), await email_headers.citizen_by_address(session, address)
    raw = last.raw if isinstance(last.raw, dict) else {}  # blanked by an erasure, cut by the rate limit
    headers = raw.get("headers")
    headers = headers if isinstance(headers, dict) else {}
    subject = base_subject(str(headers.get("Subject", "")))
    earlier = tuple(str(i) for i in raw.get("earlier_ids", ()) if isinstance(i, str))
    started = await email_headers.thread_started(session, address, subject) or last.created_at
    case_code = await email_headers.newest_case_since(session, last.citizen_id, started)
    in_reply_to = last.provider_message_id or None
    return Thread(subject, in_reply_to, earlier, case_code), last.citizen_id


async def record_sent(
    session: AsyncSession, citizen_id: int, address: str, header_id: str, thread: Thread, idempotency_key: str
) -> None:
    earlier = " ".join((*thread.earlier_ids, thread.in_reply_to or "")).strip() or None
    message_id = await email_headers.message_of_reply(session, idempotency_key)
    await email_headers.record(
        session,
        citizen_id,
        Direction.OUT,
        address,
        header_id,
        thread.subject,
        message_id=message_id,
        earlier_ids=earlier,
    )
