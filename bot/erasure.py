"""Erasing a citizen: the city keeps each case's facts, with no way back to the person.

Kept, under a new placeholder citizen (no name, no address of any kind; only the language and the day
they first wrote): each case's service, department, dates, statuses, priority, events and a ~100 m
place (its area); supporters, ratings and answered follow-ups as figures; first-response times; the
data-protection requests themselves. So the dashboard's and Open311's counts do not change, and a case's
code still answers its status.

Gone: the citizen row with its identities (phone numbers, chat ids, web chat ids), name and e-mail, link
codes, notices shown and export links; the text, address, provider ids, payload, place and photos of
every message (staff's notes say they were removed); each case's description, address, answers and
photos; web chat bindings and uploads; link attempts; queued and sent outbox rows; comments and reasons
given in follow-ups; the words of a correction request; staff's case notes that quote the person (they
say a note was redacted); values in the audit trail about the person. Pending follow-ups are cancelled.
A one-way hash of each phone number and chat id goes on the suppression list (bot/suppression.py).

A supervisor's hold (`citizens.erasure_hold`) stops it: `Held` carries the written reason."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot import suppression
from bot.settings import Settings
from bot.words import fold
from connectors.open311.privacy import snap
from storage import audit
from storage import erasure as rows
from storage.engine import AsyncSession
from storage.media import MediaStore, name_of

log = logging.getLogger(__name__)

# What staff read where a note was: in the inbox, never sent to anybody.
NOTE_REMOVED = "[Nota retirada: la persona pidió borrar sus datos.]"
NOTE_REDACTED = "[Nota retirada: citaba datos de una persona que pidió borrar sus datos.]"
# A staff note quotes the person when it shares this many words in a row with what they wrote.
QUOTE_WORDS = 4


@dataclass(frozen=True)
class Erased:
    """What one erasure did (counts only: the audit holds no personal data)."""

    placeholder_id: int
    cases: int
    messages: int
    media: tuple[str, ...]  # media-store names to delete once the transaction has committed


class Held(Exception):
    """A supervisor's hold stops this erasure; `reason` is theirs, and the citizen is told it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Gone(Exception):
    """No such citizen (erased already, or never was)."""


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = fold(text).split()
    return {tuple(words[i : i + QUOTE_WORDS]) for i in range(len(words) - QUOTE_WORDS + 1)}


class Quotes:
    """Whether a staff note quotes the person: their name, a phone number, e-mail, chat id or address of
    theirs, a case's address, or four words in a row of anything they wrote."""

    def __init__(self, terms: Iterable[str], writings: Iterable[str]) -> None:
        self.terms = {fold(t) for t in terms if t and len(fold(t)) >= 4}
        self.digits = {d[-7:] for t in terms if len(d := "".join(c for c in t if c.isdigit())) >= 7}
        self.shingles: set[tuple[str, ...]] = set()
        for text in writings:
            self.shingles |= _shingles(text)

    def in_(self, note: str | None) -> bool:
        if not note:
            return False
        folded = fold(note)
        if any(term in folded for term in self.terms):
            return True
        digits = "".join(c for c in note if c.isdigit())
        if any(d in digits for d in self.digits):
            return True
        return not self.shingles.isdisjoint(_shingles(note))


def _media_of(held: rows.Person) -> tuple[str, ...]:
    names: list[str] = list(held.upload_names)
    for attachments in [*held.attachments, *(c.attachments for c in held.cases)]:
        for attachment in attachments or ():
            name = name_of(str(attachment.get("url", ""))) if isinstance(attachment, dict) else None
            if name is not None:
                names.append(name)
    return tuple(dict.fromkeys(names))


async def erase_citizen(
    session: AsyncSession,
    settings: Settings,
    citizen_id: int,
    *,
    by: str,
    staff_id: int | None = None,
    actor: str = "system",
    keep_replies: Collection[int] = (),
    ignore_hold: bool = False,
) -> Erased:
    """Anonymise this citizen, in the caller's transaction (raises `Held` under a hold, `Gone` if there is
    no such citizen). `by`: citizen | staff | retention. `keep_replies`: ids of the last replies to the
    citizen, still to be sent: their outbox rows forget the address once sent."""
    held = await rows.read(session, citizen_id)
    if held is None or held.citizen.erased_at is not None:
        raise Gone(str(citizen_id))
    citizen = held.citizen
    if citizen.erasure_hold and not ignore_hold:
        raise Held(citizen.erasure_hold)
    terms = [
        *(i.address for i in held.identities),
        *(i.display_name or "" for i in held.identities),
        citizen.display_name or "",
        citizen.phone_e164 or "",
        citizen.email or "",
        *(c.address or "" for c in held.cases),
    ]
    quotes = Quotes(terms, [*held.said, *(c.description for c in held.cases)])
    media = _media_of(held)
    placeholder = rows.new_placeholder(session, citizen)
    await session.flush()
    pid = placeholder.id
    for case in held.cases:
        if case.latitude is not None and case.longitude is not None:
            case.latitude, case.longitude = snap(case.latitude, case.longitude)
    case_ids = {c.id for c in held.cases} | set(held.supported_case_ids)
    redacted = 0
    for event in await rows.notes_of(session, case_ids):
        if quotes.in_(event.note):
            event.note, redacted = NOTE_REDACTED, redacted + 1
    for entry in await rows.case_audits(session, case_ids):
        if quotes.in_(str(entry.detail)):
            entry.detail = {"note": NOTE_REDACTED}
    await rows.move_cases(session, held.cases, pid)
    await rows.move_the_rest(session, citizen_id, pid)
    await rows.move_conversation(session, citizen_id, pid)
    messages = await rows.blank_messages(session, citizen_id, pid, keep_replies, NOTE_REMOVED)
    await rows.forget_outbox(session, pid, keep_replies)
    await rows.forget_web_and_links(session, held.identities, held.upload_names)
    await rows.scrub_citizen_audit(session, citizen_id, pid)
    await rows.repoint_conversation_audits(session, citizen_id, pid)
    await suppression.suppress(session, [(i.channel, i.address) for i in held.identities], citizen.phone_e164)
    await rows.forget_citizen(session, citizen_id)
    erased = Erased(pid, len(held.cases), messages, media)
    await audit.audit(
        session,
        actor=actor,
        action="citizen.erased",
        target_type="citizen",
        target_id=str(pid),
        staff_id=staff_id,
        detail={
            "by": by,
            "cases": erased.cases,
            "supported": len(held.supported_case_ids),
            "messages": messages,
            "media": len(media),
            "notes_redacted": redacted,
        },
    )
    return erased


async def delete_media(store: MediaStore, names: Iterable[str]) -> int:
    """After the commit: the files go (one that fails is logged; without its rows nothing reaches it)."""
    deleted = 0
    for name in names:
        try:
            await store.delete(name)
            deleted += 1
        except OSError as exc:
            log.warning("erasure: media %s not deleted: %s", name, exc)
    return deleted
