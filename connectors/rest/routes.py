"""Web chat routes: the REST webhook, photo upload, the chat page itself and the privacy policy beside it."""

from __future__ import annotations

import collections
import json
import logging
import time
from datetime import timedelta
from pathlib import Path

from aiohttp import BodyPartReader, web

from bot.appkeys import MEDIA, SESSIONS, SETTINGS, WEBCHAT_KEYS, WEBCHAT_SENDERS
from bot.messages import Attachment, OutboundMessage
from bot.voice import switched_on
from connectors import disk, media, photos
from connectors.base import HandOff
from connectors.errors import BadInput, InsufficientStorage, PayloadTooLarge, TooMany, UnsupportedMediaType
from connectors.http import client_address, read_body
from connectors.rest import keys, policy, voice
from connectors.rest.parser import CHANNEL, parse_request
from connectors.static import StaticFile, add_static
from storage import messages as message_rows
from storage import webchat
from storage.media import name_of
from storage.models import Message, utcnow

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"

# New web chat sender ids one client address may start in an hour (a household, an office, a library's
# public computers stay far below it).
NEW_SENDERS_PER_ADDRESS_AN_HOUR = 50


MB = 1024 * 1024
FilePart = tuple[str, str, bytearray]  # the form field's name, its declared type, its bytes


class SendersPerAddress:
    """New web chat sender ids per client address in an hour, kept in this process: a page keeps one id,
    so a client inventing a new one per message (3,000 citizens in 20 s in the audit) is refused, while
    the ids it already used keep working. Each worker counts its own."""

    def __init__(self, per_hour: int = NEW_SENDERS_PER_ADDRESS_AN_HOUR, addresses: int = 10_000) -> None:
        self.per_hour, self.addresses = per_hour, addresses
        self.seen: collections.OrderedDict[str, dict[str, float]] = collections.OrderedDict()

    def allow(self, address: str, sender: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        senders = self.seen.pop(address, None) or {}
        for old in [s for s, first in senders.items() if now - first > 3600]:
            del senders[old]
        self.seen[address] = senders
        while len(self.seen) > self.addresses:
            self.seen.popitem(last=False)
        if sender in senders:
            return True
        if len(senders) >= self.per_hour:
            return False
        senders[sender] = now
        return True


def render(reply: OutboundMessage) -> dict[str, object]:
    """One reply in the shape Rasa's REST channel answers with."""
    body: dict[str, object] = {"recipient_id": reply.address, "text": reply.text}
    if reply.buttons:
        body["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    return body


async def webhook(request: web.Request, hand_off: HandOff) -> web.StreamResponse:
    settings = request.app[SETTINGS]
    content_type = request.headers.get("Content-Type", "application/json")
    if "json" not in content_type and "text/plain" not in content_type:
        raise UnsupportedMediaType("unsupported_type", "error_unsupported_type")
    body = await read_body(request, settings.server.max_body_bytes)
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, or an integer of 4,300+ digits
        raise BadInput("bad_json", "error_bad_json") from exc
    inbound = parse_request(data)
    key = await _may_write(request, inbound.address)
    await _own_photos(request, inbound.attachments, key)
    outcome = await hand_off(inbound)
    rendered = [render(r) for r in outcome.replies]
    if outcome.erased and rendered:  # the page forgets the chat too (Rasa's REST shape: `custom`)
        rendered[-1]["custom"] = {"erased": True}
    return web.json_response(rendered)


async def _may_write(request: web.Request, sender: str) -> str:
    """A sender id nobody could guess, within the new ids this client address may start, used with the
    secret it is bound to (bound now if it is new)."""
    keys.refuse_guessable(sender)
    if not request.app[WEBCHAT_SENDERS].allow(client_address(request), sender):
        raise TooMany("too_many_senders", "error_too_many_senders")
    key = await request.app[WEBCHAT_KEYS].check(request, sender)
    assert key is not None  # a first use binds the id
    return key


async def _own_photos(request: web.Request, attachments: tuple[Attachment, ...], key: str) -> None:
    """A message carries only photos its own sender uploaded; they are kept from now on."""
    if not attachments:
        return
    names = {name_of(a.url) or a.url for a in attachments}
    async with request.app[SESSIONS]() as session, session.begin():
        mine = await webchat.take_up(session, names, keys.digest(key))
    if mine != names:
        raise BadInput("bad_metadata", "error_bad_metadata", detail="attachments")


def spoken_answer(message: Message) -> str | None:
    """The URL of a spoken answer the bot sent with this message (issue 19), for the page to play."""
    return next(
        (
            a["url"]
            for a in message.attachments or ()
            if a.get("kind") == "voice" and name_of(a.get("url", ""))
        ),
        None,
    )


async def later(request: web.Request) -> web.StreamResponse:
    """Messages a person (or the case workflow) wrote to this web chat sender after the fact.

    A poll without a cursor (a page just opened) shows what was never delivered without marking it: only
    a poll that names the cursor it got back says the page has them."""
    sender = keys.checked_sender(request.query.get("sender", ""))
    after_text = request.query.get("after")
    if after_text is not None and not (
        after_text.isascii() and after_text.isdigit() and len(after_text) < 19
    ):
        raise BadInput("bad_cursor", "error_bad_cursor")
    if await request.app[WEBCHAT_KEYS].check(request, sender, first_use=False) is None:
        # nobody has written from this id yet: nothing to read
        return web.json_response({"cursor": None, "messages": []})
    async with request.app[SESSIONS]() as session, session.begin():
        found, cursor = await message_rows.later_replies(
            session, CHANNEL, sender, int(after_text) if after_text is not None else None
        )
        body = {
            "cursor": cursor,
            "messages": [
                {"recipient_id": sender, "text": m.text, "author": m.author}
                | ({"buttons": m.buttons} if m.buttons else {})
                | ({"audio": audio} if (audio := spoken_answer(m)) else {})
                for m in found
            ],
        }
    return web.json_response(body)


async def upload(request: web.Request) -> web.StreamResponse:
    """Keep a photo or a voice note from a web chat and answer its URL, to be sent along with that chat's
    next message.

    Only from a chat (`?sender=` with its secret), within that chat's and everybody's hourly quota, and
    only while the media folder's disk has room. A photo (the form's "photo" part) is decoded and encoded
    again, without its metadata; a voice note (its "voice" part) is kept as recorded once it has been read
    as the audio its part's type declares (connectors/rest/voice.py). Either goes to the media store."""
    settings = request.app[SETTINGS]
    sender = keys.checked_sender(request.query.get("sender", ""))
    owner = keys.digest(await _may_write(request, sender))
    await _within_quota(request, owner)
    if not request.content_type.startswith("multipart/"):
        raise BadInput("bad_upload", "error_bad_upload")
    try:
        voice_limit = voice.most_bytes(settings) if switched_on(settings) else None
        part = await _file_part(request, settings.server.max_upload_bytes, voice_limit)
    except (ValueError, AssertionError, KeyError) as exc:  # no or an empty boundary, a broken body
        raise BadInput("bad_upload", "error_bad_upload") from exc
    if part is None:
        raise BadInput("bad_upload", "error_bad_upload")
    field, declared_type, data = part
    answer: dict[str, object] = {}
    if field == "voice":
        kept = await voice.keep(request.app[MEDIA], settings, bytes(data), declared_type)
        size = len(data)
    else:
        try:
            photo = await photos.clean_in_turn(bytes(data), settings.media.max_pixels)
        except photos.NotAPhoto as exc:
            log.info("web chat upload refused: %s", exc)
            raise BadInput("bad_upload", "error_bad_upload") from exc
        kept = await media.keep(request.app[MEDIA], photo.data, photo.content_type, "photo")
        size = len(photo.data)
        if photo.gps is not None:  # offered to the citizen as the place; never kept with the picture
            answer["location"] = {"latitude": photo.gps[0], "longitude": photo.gps[1]}
    name = name_of(kept.url)
    assert name is not None
    async with request.app[SESSIONS]() as session, session.begin():
        webchat.record_upload(session, name, owner, size)
    answer |= {"url": kept.url, "content_type": kept.content_type, "kind": kept.kind}
    return web.json_response(answer, status=201)


async def _within_quota(request: web.Request, owner: str) -> None:
    limits = request.app[SETTINGS].media
    if disk.media_free_mb(limits) is not None:
        raise InsufficientStorage("disk_full", "error_disk_full")
    since = utcnow() - timedelta(hours=1)
    async with request.app[SESSIONS]() as session:
        count, size = await webchat.uploaded_since(session, since, owner)
        _, everybody = await webchat.uploaded_since(session, since)
    if count >= limits.uploads_per_hour or size >= limits.upload_mb_per_hour * MB:
        raise TooMany("too_many_uploads", "error_too_many_uploads")
    if everybody >= limits.total_upload_mb_per_hour * MB:
        log.warning("web chat uploads paused: %d MB in the last hour", everybody // MB)
        raise TooMany("too_many_uploads", "error_too_many_uploads")


async def _file_part(request: web.Request, photo_limit: int, voice_limit: int | None) -> FilePart | None:
    """The form's first "photo" or "voice" part: its name, declared type and bytes; None if it has none.
    A voice note where none are taken (`voice_limit` None) is refused before it is read."""
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader) or part.name not in ("photo", "voice"):
            continue
        if part.name == "voice" and voice_limit is None:
            raise BadInput("voice_off", "error_voice_off")
        limit = voice_limit if part.name == "voice" and voice_limit is not None else photo_limit
        data = bytearray()
        while chunk := await part.read_chunk(64 * 1024):
            data.extend(chunk)
            if len(data) > limit:
                raise PayloadTooLarge("too_large", "error_too_large", limit=limit)
        return part.name, part.headers.get("Content-Type", ""), data
    return None


async def token(request: web.Request) -> web.Response:
    """A secret for a client that keeps no cookies (an app, a widget on another page): it sends it back
    as `Authorization: Bearer …`, and the first sender id it writes as is bound to it."""
    return web.json_response({"token": keys.new_key(), "type": "Bearer"}, status=201)


INDEX = StaticFile.read(STATIC / "index.html")


async def index(request: web.Request, page: StaticFile) -> web.Response:
    """The chat page; it hands a browser that has none the secret its chat will be bound to."""
    response = page.response(request)
    if keys.presented(request) is None:
        keys.set_cookie(request, response, keys.new_key())
    return response


def add_routes(app: web.Application, hand_off: HandOff) -> None:
    async def webhook_route(request: web.Request) -> web.StreamResponse:
        return await webhook(request, hand_off)

    page = voice.configured(INDEX, app[SETTINGS])

    async def index_route(request: web.Request) -> web.Response:
        return await index(request, page)

    app[WEBCHAT_SENDERS] = SendersPerAddress()
    app[WEBCHAT_KEYS] = keys.Keys()
    app.on_response_prepare.append(keys.hand_over)
    app.router.add_post("/webhooks/rest/webhook", webhook_route)
    app.router.add_post("/webchat/upload", upload)
    app.router.add_post("/webchat/token", token)
    app.router.add_get("/webhooks/rest/messages", later)
    app.router.add_get("/", index_route)
    policy.add_routes(app)  # /privacidad, which the privacy notice links to
    add_static(app.router, "/static/", STATIC)
