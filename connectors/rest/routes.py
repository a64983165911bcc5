"""Web chat routes: the REST webhook, photo upload, and the chat page itself."""

from __future__ import annotations

import collections
import json
import secrets
import time
from pathlib import Path

from aiohttp import BodyPartReader, web

from bot.appkeys import PIPELINE, SESSIONS, SETTINGS, WEBCHAT_SENDERS
from bot.messages import OutboundMessage
from connectors.errors import BadInput, UnsupportedMediaType
from connectors.http import client_address, read_body
from connectors.rest.parser import CHANNEL, SENDER, parse_request
from storage import queries

STATIC = Path(__file__).resolve().parent / "static"

# New web chat sender ids one client address may start in an hour (a household, an office, a library's
# public computers stay far below it).
NEW_SENDERS_PER_ADDRESS_AN_HOUR = 50
# Magic numbers of the photo formats accepted, so a renamed file of another kind is refused.
IMAGE_SIGNATURES = {
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"GIF87a": ("gif", "image/gif"),
    b"GIF89a": ("gif", "image/gif"),
}


class TooManySenders(BadInput):
    status = 429


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


async def webhook(request: web.Request) -> web.Response:
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
    if not request.app[WEBCHAT_SENDERS].allow(client_address(request), inbound.address):
        raise TooManySenders("too_many_senders", "error_too_many_senders")
    outcome = await request.app[PIPELINE].handle(inbound)
    return web.json_response([render(r) for r in outcome.replies])


async def later(request: web.Request) -> web.Response:
    """Messages a person (or the case workflow) wrote to this web chat sender after the fact."""
    sender = request.query.get("sender", "")
    if not SENDER.fullmatch(sender):
        raise BadInput("bad_sender", "error_bad_sender")
    after_text = request.query.get("after")
    if after_text is not None and not (
        after_text.isascii() and after_text.isdigit() and len(after_text) < 19
    ):
        raise BadInput("bad_cursor", "error_bad_cursor")
    async with request.app[SESSIONS]() as session, session.begin():
        found, cursor = await queries.later_replies(
            session, CHANNEL, sender, int(after_text) if after_text is not None else None
        )
        body = {
            "cursor": cursor,
            "messages": [{"recipient_id": sender, "text": m.text, "author": m.author} for m in found],
        }
    return web.json_response(body)


def _sniff_image(head: bytes) -> tuple[str, str] | None:
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    return None


async def upload(request: web.Request) -> web.Response:
    """Keep a photo from the web chat and answer its URL, to be sent along with the next message."""
    settings = request.app[SETTINGS]
    limit = settings.server.max_upload_bytes
    if not request.content_type.startswith("multipart/"):
        raise BadInput("bad_upload", "error_bad_upload")
    try:
        data = await _photo_part(request, limit)
    except (ValueError, AssertionError, KeyError) as exc:  # no or an empty boundary, a broken body
        raise BadInput("bad_upload", "error_bad_upload") from exc
    if data is not None:
        kind = _sniff_image(bytes(data[:16]))
        if kind is not None:
            extension, content_type = kind
            media_dir = settings.media.dir
            media_dir.mkdir(parents=True, exist_ok=True)
            name = f"{secrets.token_hex(16)}.{extension}"
            (media_dir / name).write_bytes(bytes(data))
            return web.json_response({"url": f"/media/{name}", "content_type": content_type}, status=201)
    raise BadInput("bad_upload", "error_bad_upload")


async def _photo_part(request: web.Request, limit: int) -> bytearray | None:
    """The bytes of the form's "photo" part, None if it has none."""
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader) or part.name != "photo":
            continue
        data = bytearray()
        while chunk := await part.read_chunk(64 * 1024):
            data.extend(chunk)
            if len(data) > limit:
                raise BadInput("too_large", "error_too_large", limit=limit)
        return data
    return None


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


def add_routes(app: web.Application) -> None:
    settings = app[SETTINGS]
    app[WEBCHAT_SENDERS] = SendersPerAddress()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_post("/webchat/upload", upload)
    app.router.add_get("/webhooks/rest/messages", later)
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC)
    settings.media.dir.mkdir(parents=True, exist_ok=True)
    app.router.add_static("/media/", settings.media.dir)
