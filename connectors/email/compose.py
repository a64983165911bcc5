"""Our reply as a mail (pure): plain text from the city's address, threaded under the citizen's last mail,
the case code in the subject, and marked as automatic so that their robots do not answer it."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

from bot.messages import OutboundMessage
from connectors.email.config import EmailConfig

MAX_REFERENCES = 20


@dataclass(frozen=True)
class Thread:
    """Where the reply goes in the citizen's mailbox: what it answers and under which subject."""

    subject: str  # the base subject of their last mail ("" when they gave none)
    in_reply_to: str | None = None  # their last Message-ID
    earlier_ids: tuple[str, ...] = ()  # the thread before it, oldest first
    case_code: str | None = None  # the case the thread is about, once filed


def render_text(message: OutboundMessage) -> str:
    """The text with its choices as numbered options, as on SMS: the citizen answers "1" or "2"."""
    if not message.buttons:
        return message.text
    options = "\n".join(f"{number}. {button.title}" for number, button in enumerate(message.buttons, 1))
    return f"{message.text}\n\n{options}" if message.text else options


def subject_of(thread: Thread, language: str, fallback: str) -> str:
    """ "Re: <their subject> [Caso AB12]"; our own words when they wrote no subject."""
    subject = f"Re: {thread.subject}" if thread.subject else fallback
    if thread.case_code:
        subject += f" [{'Case' if language == 'en' else 'Caso'} {thread.case_code}]"
    return subject


def message_id_for(config: EmailConfig, idempotency_key: str) -> str:
    """Stable for one outbox row: a retry after a lost answer is the same mail to the receiving side."""
    domain = config.address.rpartition("@")[2]
    return f"<ventanilla.{idempotency_key}@{domain}>"


def compose(config: EmailConfig, message: OutboundMessage, thread: Thread, header_id: str) -> EmailMessage:
    mail = EmailMessage()
    local, _, domain = config.address.partition("@")
    mail["From"] = Address(config.display_name, local, domain)
    mail["To"] = message.address
    mail["Subject"] = subject_of(thread, message.language, config.display_name)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = header_id
    if thread.in_reply_to:
        mail["In-Reply-To"] = thread.in_reply_to
        mail["References"] = " ".join((*thread.earlier_ids, thread.in_reply_to)[-MAX_REFERENCES:])
    # RFC 3834: a robot's mail; vacation responders and list servers must not answer it. The second asks
    # Exchange and Outlook not to send their out-of-office notices to it either.
    mail["Auto-Submitted"] = "auto-replied"
    mail["X-Auto-Response-Suppress"] = "All"
    mail["Content-Language"] = message.language
    text = render_text(message).strip()
    links = [a.url for a in message.attachments]
    mail.set_content("\n\n".join([text, *links]) + "\n", charset="utf-8")
    return mail
