"""A mail from the city's mailbox (RFC 5322 bytes) turned into an `InboundMessage` (pure: no I/O).

The citizen is their From address, lowercased; the provider's id is the Message-ID (a hash of the mail
when it has none), so a mail read twice is one message. The text is what they wrote in this mail, plain or
from the HTML, without the quoted thread and signature; the subject travels beside it for the threading of
our reply; attached images are handed back as bytes, for the poller to keep as photos.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

from bot.messages import MAX_PROVIDER_ID, InboundMessage
from connectors.email.body import body_text
from connectors.email.loops import not_to_answer
from connectors.email.quotes import fresh_text

CHANNEL = "email"
MAX_IMAGES = 5  # photos kept from one mail; a mail with a whole album gets the first few
MAX_EARLIER_IDS = 20  # Message-IDs of the thread we carry on in References
_ADDRESS = re.compile(r"^[^@\s<>\"(),;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_PREFIXES = re.compile(r"^\s*((re|fw|fwd|rv|reenviar|aw|sv)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_CASE_TAG = re.compile(r"\s*\[(caso|case)\s+[A-Za-z0-9-]+\]\s*", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")


class NotAMail(ValueError):
    """Nothing to hand on: no sender we could ever answer."""


@dataclass(frozen=True)
class Image:
    data: bytes
    content_type: str


@dataclass(frozen=True)
class Mail:
    """One mail as the connector needs it: the message for the pipeline and what threads the reply."""

    message: InboundMessage
    subject: str  # the base subject: without "Re:", "RV:" and our "[Caso …]"
    header_id: str  # their Message-ID, with its <>
    earlier_ids: tuple[str, ...]  # References and In-Reply-To, oldest first
    images: tuple[Image, ...] = ()
    automatic: str | None = None  # why it must not be answered (connectors/email/loops.py)


def base_subject(subject: str) -> str:
    """The thread's subject: "Re: RV: Bache [Caso AB12]" → "Bache"."""
    subject = " ".join(subject.split())
    subject = _CASE_TAG.sub(" ", _PREFIXES.sub("", subject)).strip()
    return _PREFIXES.sub("", subject).strip()[:200]


def sender_of(mail: EmailMessage) -> tuple[str, str | None]:
    """The From addr-spec lowercased and the display name; `NotAMail` when there is none to answer."""
    try:
        pairs = getaddresses([str(mail.get("From", ""))])
    except (ValueError, IndexError, TypeError) as exc:
        raise NotAMail(f"unreadable From: {exc}") from exc
    for name, address in pairs:
        address = address.strip().lower()
        if _ADDRESS.fullmatch(address) and len(address) <= MAX_PROVIDER_ID:
            return address, name.strip() or None
    raise NotAMail("no sender address")


def _header(mail: EmailMessage, name: str) -> str:
    try:
        return str(mail.get(name, "") or "")
    except (ValueError, IndexError, TypeError):
        return ""


def _images(mail: EmailMessage) -> tuple[Image, ...]:
    found = []
    for part in mail.walk():
        if part.get_content_maintype() != "image" or part.is_multipart():
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            found.append(Image(data, part.get_content_type()))
        if len(found) == MAX_IMAGES:
            break
    return tuple(found)


def parse_mail(raw: bytes, our_address: str, *, headers_only: bool = False) -> Mail:
    """`raw` as a `Mail`; `headers_only`: the mail was too big to read, so its text is left empty."""
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(mail, EmailMessage)
    address, name = sender_of(mail)
    header_id = next(iter(_MESSAGE_ID.findall(_header(mail, "Message-ID"))), "")
    if not header_id:  # no Message-ID: the same bytes read twice are still one message
        header_id = f"<sha256-{hashlib.sha256(raw).hexdigest()}@ventanilla.invalid>"
    earlier = _MESSAGE_ID.findall(_header(mail, "References"))
    earlier += [i for i in _MESSAGE_ID.findall(_header(mail, "In-Reply-To")) if i not in earlier]
    subject = _header(mail, "Subject")
    automatic = not_to_answer(mail, address, our_address.lower())
    text = "" if headers_only or automatic else fresh_text(body_text(mail))
    audit = {
        name: _header(mail, name)[:500]
        for name in ("From", "To", "Subject", "Date", "Message-ID", "In-Reply-To")
        if _header(mail, name)
    }
    message = InboundMessage(
        channel=CHANNEL,
        address=address,
        provider_message_id=header_id,
        text=text,
        display_name=name,
        recipient=our_address,
        raw={"headers": audit, "earlier_ids": earlier[-MAX_EARLIER_IDS:], "headers_only": headers_only},
    )
    images = () if headers_only or automatic else _images(mail)
    earlier_ids = tuple(earlier[-MAX_EARLIER_IDS:])
    return Mail(message, base_subject(subject), header_id, earlier_ids, images, automatic)
