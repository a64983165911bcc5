"""Mail that must never be answered: bounces and automatic replies (RFC 3834, RFC 3464), and our own.

Answering an out-of-office reply with a reply, which draws another out-of-office reply, is how two robots
fill two mailboxes overnight. These are read, logged and marked read, and nothing is sent back.
"""

from __future__ import annotations

from email.message import Message
from email.utils import getaddresses

BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"})
BULK = frozenset({"bulk", "junk", "list", "auto_reply"})


def _header(mail: Message, name: str) -> str:
    try:
        value = mail.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot make sense of
        return "?"
    return "" if value is None else str(value).strip()


def not_to_answer(mail: Message, sender: str, our_address: str) -> str | None:
    """Why this mail gets no reply ("bounce", "auto-reply", "list", "ours"), or None: a person wrote it."""
    local = sender.split("@", 1)[0]
    if local in BOUNCE_SENDERS:
        return "bounce"
    if _header(mail, "Return-Path") in {"<>", "< >"}:
        return "bounce"  # the null sender: a delivery report (RFC 5321 §4.5.5)
    if mail.get_content_type() == "multipart/report":
        return "bounce"
    auto = _header(mail, "Auto-Submitted").lower()
    if auto and not auto.startswith("no"):
        return "auto-reply"
    if any(_header(mail, name) for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder")):
        return "auto-reply"
    if _header(mail, "Precedence").lower() in BULK:
        return "list"
    if _header(mail, "List-Id") or _header(mail, "List-Unsubscribe"):
        return "list"
    senders = {sender, *(a.lower() for _, a in getaddresses([_header(mail, "Sender")]))}
    if our_address in senders:
        return "ours"
    return None
