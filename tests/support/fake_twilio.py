"""A fake Twilio REST API on 127.0.0.1 for the real twilio library to talk to, with knobs for failure."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient
from multidict import MultiDict
from twilio.request_validator import RequestValidator

IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"


@dataclass(frozen=True)
class Recorded:
    """One request the fake received: its account, form fields (repeats kept) and headers."""

    account_sid: str
    form: MultiDict[str]
    headers: dict[str, str]

    @property
    def to(self) -> str:
        return self.form.get("To", "")

    @property
    def from_(self) -> str:
        return self.form.get("From", "")

    @property
    def body(self) -> str:
        return self.form.get("Body", "")

    @property
    def token(self) -> str | None:
        return self.headers.get(IDEMPOTENCY_HEADER)


@dataclass
class FakeTwilio:
    """`async with FakeTwilio() as fake:` then point TWILIO_API_BASE_URL at `fake.url`.

    Knobs: `fail_next(n)` answers the next n requests with HTTP 500; `error_next(code, status)` answers
    the next one with a Twilio error (e.g. 21610, 400); `delay` holds every answer that many seconds.
    `requests` has every request, `messages` every message created; a repeated idempotency token gets
    the message created the first time back, as Twilio does, and `tokens` counts requests per token.

    Media: `add_media(url, content, content_type)` serves `content` at the path of a MediaUrl Twilio
    would send (https://api.twilio.com/2010-04-01/Accounts/…/Media/ME…) to the account's credentials
    only, through a redirect to an unauthenticated file server, as Twilio does; `media_delay` holds
    those answers; `media_requests` has (path, had credentials) for each.
    """

    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    delay: float = 0.0
    requests: list[Recorded] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    tokens: Counter[str] = field(default_factory=Counter)
    media_delay: float = 0.0
    media_requests: list[tuple[str, bool]] = field(default_factory=list)
    _media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    _files: dict[str, str] = field(default_factory=dict)
    _failures: list[tuple[int, int, str]] = field(default_factory=list)
    _by_token: dict[str, dict[str, Any]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _closing: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    def fail_next(self, count: int = 1, status: int = 500) -> None:
        self._failures.extend([(status, status * 100, "Internal Server Error")] * count)

    def recover(self) -> None:
        """Forget the failures still queued: the API answers normally again."""
        self._failures.clear()

    def error_next(self, code: int, status: int = 400, message: str = "Twilio says no") -> None:
        self._failures.append((status, code, message))

    def add_media(self, url: str, content: bytes, content_type: str) -> None:
        self._media[urlsplit(url).path] = (content, content_type)

    async def __aenter__(self) -> FakeTwilio:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", self._create)
        app.router.add_get("/2010-04-01/Accounts/{account}/Messages/{message}/Media/{media}", self._media_url)
        app.router.add_get("/files/{token}", self._file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing.set()  # release answers still being delayed, so shutdown is quick
        if self._runner is not None:
            await self._runner.cleanup()

    def _authorised(self, request: web.Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {expected}"

    async def _media_url(self, request: web.Request) -> web.StreamResponse:
        self.media_requests.append((request.path, "Authorization" in request.headers))
        if self.media_delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), timeout=self.media_delay)
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        if request.path not in self._media:
            return _error(404, 20404, "The requested resource was not found")
        token = secrets.token_hex(8)
        self._files[token] = request.path
        raise web.HTTPFound(f"/files/{token}")  # Twilio answers 307 to a signed file URL

    async def _file(self, request: web.Request) -> web.Response:
        self.media_requests.append((request.path, "Authorization" in request.headers))
        path = self._files.get(request.match_info["token"])
        if path is None:
            return web.Response(status=403)
        content, content_type = self._media[path]
        return web.Response(body=content, content_type=content_type)

    async def _create(self, request: web.Request) -> web.Response:
        form = MultiDict(await request.post())
        account = request.match_info["account"]
        record = Recorded(account, MultiDict((k, str(v)) for k, v in form.items()), dict(request.headers))
        self.requests.append(record)
        if record.token:
            self.tokens[record.token] += 1
        if self.delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), timeout=self.delay)
        if not self._authorised(request) or account != self.account_sid:
            return _error(401, 20003, "Authenticate")
        if self._failures:
            status, code, text = self._failures.pop(0)
            return _error(status, code, text)
        if record.token and record.token in self._by_token:
            return web.json_response(self._by_token[record.token], status=201)
        if not record.to or not (record.from_ or form.get("MessagingServiceSid")):
            return _error(400, 21604, "A 'To' phone number is required.")
        if not record.body and not form.get("ContentSid") and not form.get("MediaUrl"):
            return _error(400, 21619, "A text message body or media urls must be specified.")
        created = self._resource(record)
        self.messages.append(created)
        if record.token:
            self._by_token[record.token] = created
        return web.json_response(created, status=201)

    def _resource(self, record: Recorded) -> dict[str, Any]:
        sid = "SM" + secrets.token_hex(16)
        now = format_datetime(datetime.now(UTC))
        base = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": record.body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": record.from_,
            "messaging_service_sid": record.form.get("MessagingServiceSid"),
            "num_media": str(len(record.form.getall("MediaUrl", []))),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": f"{base}/Media.json"},
            "to": record.to,
            "uri": f"{base}.json",
        }

    def sent_to(self, to: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["to"] == to]


def _error(status: int, code: int, message: str) -> web.Response:
    body = {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}"}
    return web.json_response({**body, "status": status}, status=status)


def sign(auth_token: str, url: str, form: dict[str, str]) -> str:
    """The X-Twilio-Signature Twilio would send for this form posted to this (public) URL."""
    return str(RequestValidator(auth_token).compute_signature(url, form))


async def post_signed(
    client: TestClient[web.Request, web.Application],
    path: str,
    form: dict[str, str],
    *,
    auth_token: str,
    public_url: str,
) -> ClientResponse:
    """POST a Twilio-style form to our app, signed as Twilio signs it: against the public URL."""
    headers = {"X-Twilio-Signature": sign(auth_token, public_url.rstrip("/") + path, form)}
    return await client.post(path, data=form, headers=headers)
