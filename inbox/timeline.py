"""The citizen's one timeline: messages on every channel, staff notes and case events, in time order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.export_link import mask
from connectors.channels import RECORDED
from storage.messages import Timeline
from storage.models import Author, CaseEvent, Direction, Message

MAP_URL = "https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"


@dataclass(frozen=True)
class Attachment:
    url: str
    kind: str
    image: bool  # kept by us under /media/: shown inline; a provider's URL is only a link
    voice: bool = False  # a voice note kept by us under /media/: played in the page


@dataclass(frozen=True)
class Entry:
    """One line of the timeline; `kind` is citizen | bot | staff | system | note | event | contact."""

    kind: str
    at: datetime
    id: int
    channel: str | None = None
    text: str = ""
    author: str | None = None  # a staff member's username
    delivery: str | None = None
    attachments: tuple[Attachment, ...] = ()
    map_url: str | None = None
    case_code: str | None = None
    event: CaseEvent | None = None
    buttons: tuple[str, ...] = field(default=())
    # Nothing of what was said is left: retention blanked it (bot/retention.py); the row stays. (An
    # erasure blanks the address too: its messages are not retention's, and do not say so.)
    retired: bool = False
    erased: bool = False  # blanked by the person's erasure (bot/erasure.py): its address went too
    heard: bool = False  # the words of a voice note, as transcribed (bot/voice_notes.py); none: unheard


def map_url(latitude: float | None, longitude: float | None) -> str | None:
    if latitude is None or longitude is None:
        return None
    return MAP_URL.format(lat=latitude, lon=longitude)


def safe_link(url: str) -> str | None:
    """Only our own media and web addresses become links; `javascript:` and the like never do."""
    if url.startswith("/media/") and ".." not in url:
        return url
    if url.startswith(("https://", "http://")):
        return url
    return None


def attachments_of(raw: list[dict[str, str]] | None) -> tuple[Attachment, ...]:
    found = []
    for item in raw or ():
        url = safe_link(str(item.get("url", "")))
        if url is None:
            continue
        kind = str(item.get("kind") or "photo")
        ours = url.startswith("/media/")
        content_type = str(item.get("content_type", "image/"))
        image = ours and content_type.startswith("image/")
        found.append(Attachment(url, kind, image, voice=ours and content_type.startswith("audio/")))
    return tuple(found)


def _message_kind(message: Message) -> str:
    if message.internal:
        return "note"
    if message.channel in RECORDED:
        return "contact"  # a call or a visit staff recorded (issue 18): the summary is theirs
    if message.direction == Direction.IN:
        return "citizen"
    return {Author.BOT.value: "bot", Author.STAFF.value: "staff"}.get(message.author, "system")


def entries(timeline: Timeline) -> list[Entry]:
    found = [
        Entry(
            kind=_message_kind(m),
            at=m.created_at,
            id=m.id,
            channel=m.channel,
            text=mask(m.text),  # an export link the citizen was given is theirs, not the staff's
            author=timeline.staff.get(m.staff_id) if m.staff_id else None,
            delivery=m.delivery_status if m.direction == Direction.OUT and not m.internal else None,
            attachments=attachments_of(m.attachments),
            map_url=map_url(m.latitude, m.longitude),
            buttons=tuple(b.get("title", "") for b in m.buttons or ()),
            retired=not (m.text or m.attachments or m.raw) and m.latitude is None and bool(m.address),
            erased=not m.text and not m.address,
            heard=m.transcribed_from is not None,
        )
        for m in timeline.messages
    ]
    found += [
        Entry(
            kind="event",
            at=event.created_at,
            id=event.id,
            text=event.note or "",
            author=timeline.staff.get(event.staff_id) if event.staff_id else None,
            case_code=code,
            event=event,
        )
        for event, code in timeline.events
    ]
    # Events sort after a message of the same instant (a case is filed in reply to the message).
    found.sort(key=lambda e: (e.at, e.kind == "event", e.id))
    return found
