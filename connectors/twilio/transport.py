"""twilio's asynchronous HTTP client, pointed at `TWILIO_API_BASE_URL` and carrying an idempotency token."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any
from urllib.parse import SplitResult, urlencode, urlsplit, urlunsplit

from aiohttp import ClientSession, ClientTimeout, encode_basic_auth
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response

IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
# Set around one `create_async` call: twilio's generated methods take no per-call headers.
idempotency_token: ContextVar[str | None] = ContextVar("twilio_idempotency_token", default=None)


class RedirectableHttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]  # twilio ships no types
    """The library's async client with three changes, all in `request`:

    * every https://*.twilio.com URL is re-rooted on `base_url` (a local fake in tests);
    * the outbox row's idempotency key travels as `I-Twilio-Idempotency-Token`;
    * credentials go in an Authorization header and the timeout as a `ClientTimeout`, because aiohttp
      3.14 deprecates `auth=` and `BasicAuth`, which the stock client uses (our tests make warnings errors).

    The aiohttp session is opened on first use, inside the running loop, and closed by `close()`.
    """

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(pool_connections=False, timeout=timeout)
        self.base = api_base(base_url)
        self.session: ClientSession | None = None

    def rewrite(self, url: str) -> str:
        return reroot(self.base, url) or url

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (twilio's HttpClient interface)
        allow_redirects: bool = False,
    ) -> Response:
        headers = dict(headers or {})
        if auth is not None:
            headers["Authorization"] = encode_basic_auth(auth[0], auth[1])
        token = idempotency_token.get()
        if token:
            headers[IDEMPOTENCY_HEADER] = token
        body = urlencode(_pairs(data), doseq=True) if data else None
        if self.session is None or self.session.closed:
            self.session = ClientSession()
        async with self.session.request(
            method.upper(),
            self.rewrite(url),
            params=_pairs(params) if params else None,
            data=body,
            headers=headers,
            timeout=ClientTimeout(total=timeout or self.timeout),
            allow_redirects=allow_redirects,
        ) as response:
            return Response(response.status, await response.text(), response.headers)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


def api_base(base_url: str) -> SplitResult:
    parts = urlsplit(base_url.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"TWILIO_API_BASE_URL is not an http(s) URL: {base_url!r}")
    return parts


def reroot(base: SplitResult, url: str) -> str | None:
    """An https://*.twilio.com URL re-rooted on `base` (Twilio itself, or a local fake); None for a URL
    elsewhere, which must never get the account's credentials."""
    parts = urlsplit(url)
    if parts.hostname is None or not parts.hostname.endswith(".twilio.com"):
        return None
    path = base.path + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment))


def _pairs(values: dict[str, object]) -> list[tuple[str, Any]]:
    """Form pairs; a list value (MediaUrl) repeats its key, as Twilio expects."""
    pairs: list[tuple[str, Any]] = []
    for key, value in values.items():
        if isinstance(value, list | tuple):
            pairs.extend((key, item) for item in value)
        else:
            pairs.append((key, value))
    return pairs
