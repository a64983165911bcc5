"""Pure parsing of a Telegram update into what the connector does with it: hand off, refuse, or ignore."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Chat, Message, Update, User

from bot.messages import InboundMessage, Location, SharedContact
from connectors.phones import NotAPhoneNumber, normalise_phone
from connectors.telegram.legacy import decode_update

CHANNEL = "telegram"
PRIVATE = Chat.PRIVATE
# Images sent "as a file" (uncompressed) are still photos of the problem.
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})

__all__ = [
    "CHANNEL",
    "Ignored",
    "Incoming",
    "Parsed",
    "Refusal",
    "RemoteFile",
    "decode_update",
    "parse_update",
]


@dataclass(frozen=True)
class RemoteFile:
    """A file the citizen sent that stays on Telegram's servers until the route fetches it."""

    file_id: str
    kind: str  # photo | document | voice | video
    content_type: str
    size: int | None = None


@dataclass(frozen=True)
class Incoming:
    """A citizen's message for the pipeline, the files to fetch first, and a button press to answer."""

    message: InboundMessage
    files: tuple[RemoteFile, ...] = ()
    callback_query_id: str | None = None


@dataclass(frozen=True)
class Refusal:
    """A group, supergroup or channel wrote to the bot: it only serves private chats."""

    chat_id: int
    chat_type: str


@dataclass(frozen=True)
class Ignored:
    """Nothing for the pipeline (payments, service messages, inline queries…); `reason` is logged."""

    reason: str


Parsed = Incoming | Refusal | Ignored


def parse_update(update: Update, raw: Any, *, phone_region: str = "CO") -> Parsed:
    """Decide what one update means; `raw` travels along for the audit trail."""
    if update.callback_query is not None:
        return _callback(update, raw)
    if update.message is not None:
        return _message(update, update.message, raw, phone_region)
    if update.edited_message is not None:
        return _edited(update, update.edited_message, raw)
    if update.channel_post is not None:
        return Refusal(update.channel_post.chat.id, update.channel_post.chat.type)
    kinds = [
        key for key, value in (raw.items() if isinstance(raw, dict) else ()) if key != "update_id" and value
    ]
    return Ignored(f"update type {', '.join(kinds) or 'unknown'} is not handled")


def _display_name(user: User | None) -> str | None:
    if user is None:
        return None
    name = " ".join(part for part in (user.first_name, user.last_name) if part).strip()
    return name or None


def _inbound(update: Update, chat: Chat, user: User | None, raw: Any, **fields: Any) -> InboundMessage:
    return InboundMessage(
        channel=CHANNEL,
        address=str(chat.id),
        # The update id, not the message id: an edit or a button press on an old message is new input,
        # and Telegram resends a failed delivery with the same update id.
        provider_message_id=f"u{update.update_id}",
        display_name=_display_name(user),
        raw=raw,
        **fields,
    )


def _callback(update: Update, raw: Any) -> Parsed:
    query = update.callback_query
    assert query is not None
    if query.message is None:
        return Ignored("button press on an inline-mode message")
    chat = query.message.chat
    if chat.type != PRIVATE:
        return Refusal(chat.id, chat.type)
    if not query.data:
        return Ignored("button press without data (a game)")
    message = _inbound(update, chat, query.from_user, raw, text=query.data)
    return Incoming(message, callback_query_id=query.id)


def _edited(update: Update, edited: Message, raw: Any) -> Parsed:
    if edited.chat.type != PRIVATE:
        return Ignored(f"edit in a {edited.chat.type} chat")
    text = edited.text or edited.caption or ""
    if not text:
        # Live locations arrive as a stream of edits: the first pin was already taken.
        return Ignored("edit without text (a live location or a media swap)")
    return Incoming(_inbound(update, edited.chat, edited.from_user, raw, text=text))


def _message(update: Update, message: Message, raw: Any, phone_region: str) -> Parsed:
    if message.chat.type != PRIVATE:
        return Refusal(message.chat.id, message.chat.type)
    if message.from_user is not None and message.from_user.is_bot:
        return Ignored("message from a bot")
    files = _files(message)
    location = _location(message)
    contact = _contact(message, phone_region)
    text = message.text or message.caption or ""
    if not (text or files or location or message.contact or _is_other_content(message)):
        return Ignored("service message (payment, chat change, pin…)")
    inbound = _inbound(
        update, message.chat, message.from_user, raw, text=text, location=location, contact=contact
    )
    return Incoming(inbound, files)


def _is_other_content(message: Message) -> bool:
    """Something a person sent that the bot cannot use: it still gets an answer and lands in history."""
    return any(
        getattr(message, kind, None) is not None
        for kind in ("sticker", "animation", "dice", "poll", "game", "story", "video_note", "audio")
    )


def _location(message: Message) -> Location | None:
    if message.venue is not None:
        point = message.venue.location
        return Location(
            point.latitude, point.longitude, address=message.venue.address, label=message.venue.title
        )
    if message.location is not None:
        return Location(message.location.latitude, message.location.longitude)
    return None


def _files(message: Message) -> tuple[RemoteFile, ...]:
    if message.photo:
        largest = max(message.photo, key=lambda size: (size.width * size.height, size.file_size or 0))
        return (RemoteFile(largest.file_id, "photo", "image/jpeg", largest.file_size),)
    if message.document is not None:
        document = message.document
        content_type = document.mime_type or "application/octet-stream"
        kind = "photo" if content_type in PHOTO_TYPES else "document"
        return (RemoteFile(document.file_id, kind, content_type, document.file_size),)
    if message.voice is not None:
        voice = message.voice
        return (RemoteFile(voice.file_id, "voice", voice.mime_type or "audio/ogg", voice.file_size),)
    if message.audio is not None:
        # A recorded audio file is, for the city, a voice message the bot cannot listen to either.
        audio = message.audio
        return (RemoteFile(audio.file_id, "voice", audio.mime_type or "audio/mpeg", audio.file_size),)
    if message.video is not None:
        video = message.video
        return (RemoteFile(video.file_id, "video", video.mime_type or "video/mp4", video.file_size),)
    if message.video_note is not None:
        note = message.video_note
        return (RemoteFile(note.file_id, "video", "video/mp4", note.file_size),)
    return ()


def _contact(message: Message, phone_region: str) -> SharedContact | None:
    contact = message.contact
    if contact is None:
        return None
    sender = message.from_user
    own = sender is not None and contact.user_id is not None and contact.user_id == sender.id
    # A number shared from one's own account is international digits without "+"; a contact card from
    # the address book may be written any way, so the city's region resolves national forms.
    try:
        phone = normalise_phone(contact.phone_number or "", None if own else phone_region)
    except NotAPhoneNumber:
        return None
    return SharedContact(phone_number=phone, first_name=contact.first_name or None, belongs_to_sender=own)
