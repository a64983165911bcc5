"""Every channel, declared once: how replies travel, how citizens are addressed, what the channel can
show, how long free replies may follow a citizen's message, and its names.

Before, these facts were scattered: the synchronous channels in the pipeline, the phone channels in the
pipeline and again in the Twilio routes, the WhatsApp window in the sender and again in the inbox, the
labels in the inbox's and the bot's texts, `if channel == "telegram"` in the dialogue. This module imports
nothing of the product, so every layer may ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Channel:
    name: str
    label: tuple[str, str]  # what staff read (Spanish, English): "Web", "SMS"
    told: tuple[str, str]  # what a citizen is told: "el chat web", "the web chat"
    # Replies travel in the answer to the request (and later ones by the page's poll), not the outbox.
    synchronous: bool = False
    phone: bool = False  # the address is the citizen's phone number (E.164)
    buttons: bool = False  # shows tappable choices; without them choices are numbered in the text
    # Free-form replies only this long after the citizen's last message (WhatsApp); then a template.
    reply_window: timedelta | None = None
    asks_contact: bool = False  # can ask the citizen to share their phone number with one tap
    chat: bool = True  # citizens talk on it (Open311 is a way cases arrive, not a conversation)
    # The provider vouches for who wrote (a signed Twilio webhook, a Telegram update). A mail's From is
    # not: anyone can write anyone's address there, so such a channel never claims a link code and its
    # erasure is confirmed with a code sent back to the address (only its owner reads it).
    proves_sender: bool = True
    plays_audio: bool = False  # a voice note sent to the citizen is played there (issue 19's spoken answers)

    def label_in(self, language: str) -> str:
        return self.label[1] if language == "en" else self.label[0]

    def told_in(self, language: str) -> str:
        return self.told[1] if language == "en" else self.told[0]


CHANNELS: dict[str, Channel] = {
    c.name: c
    for c in (
        Channel(
            "rest",
            ("Web", "Web"),
            ("el chat web", "the web chat"),
            synchronous=True,
            buttons=True,
            plays_audio=True,
        ),
        Channel("sms", ("SMS", "SMS"), ("SMS", "SMS"), phone=True),
        Channel(
            "whatsapp",
            ("WhatsApp", "WhatsApp"),
            ("WhatsApp", "WhatsApp"),
            phone=True,
            reply_window=timedelta(hours=24),
            plays_audio=True,
        ),
        Channel(
            "telegram",
            ("Telegram", "Telegram"),
            ("Telegram", "Telegram"),
            buttons=True,
            asks_contact=True,
            plays_audio=True,
        ),
        Channel("console", ("Consola", "Console"), ("la consola", "the console"), synchronous=True),
        Channel("open311", ("Open311", "Open311"), ("Open311", "Open311"), chat=False),
        # The city's public address (issue 18): pushed through the outbox, choices numbered in the text.
        Channel("email", ("Correo", "E-mail"), ("el correo electrónico", "e-mail"), proves_sender=False),
        # A call or a visit an agent recorded (issue 18): a way in, never a way out (no connector sends).
        Channel("phone", ("Llamada", "Phone call"), ("una llamada", "a phone call"), chat=False),
        Channel("in_person", ("Presencial", "In person"), ("en persona", "in person"), chat=False),
    )
}
# A channel this release does not know (a row from a newer one): pushed, plain text, no window.
UNKNOWN = Channel("unknown", ("?", "?"), ("?", "?"))

SYNCHRONOUS = frozenset(name for name, c in CHANNELS.items() if c.synchronous)
PHONE = frozenset(name for name, c in CHANNELS.items() if c.phone)
RECORDED = frozenset({"phone", "in_person"})  # what staff record on the citizen's behalf
CHATS = tuple(name for name, c in CHANNELS.items() if c.chat and name != "console")  # the inbox's filter


def channel(name: str | None) -> Channel:
    return CHANNELS.get(name or "", UNKNOWN)
