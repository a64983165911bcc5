"""Edge helpers shared by every connector: bounded body reading and named errors turned into answers."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Middleware

from bot import metrics
from bot.export_link import mask
from bot.texts import text
from connectors.errors import BadInput, MethodNotAllowed, NotFound, PayloadTooLarge
from storage.engine import DBAPIError, PoolTimeout

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


def request_language(request: web.BaseRequest) -> str:
    """Spanish unless the client prefers English (Accept-Language)."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("es"):
            return "es"
        if tag.startswith("en"):
            return "en"
    return "es"


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, refusing (413) anything over `limit` bytes without reading it all into memory."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge("too_large", "error_too_large", limit=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge("too_large", "error_too_large", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_refusal(request: web.Request, status: int, code: str, message: str) -> web.StreamResponse:
    """`{"error": code, "message": text}`: what the web chat, the webhooks and health answer."""
    return web.json_response({"error": code, "message": message}, status=status)


@dataclass(frozen=True)
class Refusals:
    """How an application answers a refusal: in which language the text is, and in what shape.

    The main application answers JSON in the `Accept-Language`; Open311's sub-application answers the
    specification's error list in its `locale`, for its unknown paths and wrong methods too."""

    language: Callable[[web.Request], str] = request_language
    answer: Callable[[web.Request, int, str, str], web.StreamResponse] = json_refusal
    # Answer the router's 404 and 405 in this shape as well, with these texts (none: the router's own).
    not_found_key: str | None = None
    method_key: str | None = None


def refusals(shape: Refusals) -> Middleware:
    """The one middleware that turns every `BadInput` (a parser's, a route's) into its answer: the
    status the error names, a polite text in the client's language, and the refusal counted by route
    and code. The database being unreachable is a 503 with `Retry-After`; nothing else is swallowed."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            try:
                return await handler(request)
            except web.HTTPMethodNotAllowed as exc:
                if shape.method_key is None:
                    raise
                wrong = MethodNotAllowed("method_not_allowed", shape.method_key, method=request.method[:20])
                refused = refuse(request, shape, wrong)
                refused.headers["Allow"] = ",".join(sorted(exc.allowed_methods))
                return refused
            except web.HTTPNotFound:
                if shape.not_found_key is None:
                    raise
                raise NotFound("not_found", shape.not_found_key, path=request.path[:200]) from None
        except BadInput as exc:
            return refuse(request, shape, exc)
        except (DBAPIError, PoolTimeout, OSError) as exc:
            # The database (or the media store) is down or overloaded: nothing was committed, so say "try
            # again" (providers retry on 5xx) rather than 500, and keep the process serving until it is back.
            log.warning(
                "database or media store unavailable for %s %s: %s", request.method, mask(request.path), exc
            )
            metrics.REJECTED.labels("database", "unavailable").inc()
            message = text("error_unavailable", shape.language(request))
            answer = shape.answer(request, 503, "unavailable", message)
            answer.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return answer

    return middleware


def refuse(request: web.Request, shape: Refusals, exc: BadInput) -> web.StreamResponse:
    route = request.match_info.route.resource
    metrics.REJECTED.labels(route.canonical if route else "unknown", exc.code).inc()
    message = text(exc.message_key, shape.language(request), **exc.values)
    return shape.answer(request, exc.status, exc.code, message)


errors_middleware = refusals(Refusals())


# Every public answer (the chat page, its static files, media, webhooks, Open311): no sniffing, no
# referrer leaving the site, no framing by another site, and a server name without versions. The inbox
# sets its own, stricter, headers first; these only fill what is missing.
PUBLIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Server": "Ventanilla",
}
# The chat page: its own scripts and styles only; photos previewed from the phone (blob:) and its icon
# (data:); a voice note played back from the recorder (blob:) or from /media/; fetch to itself; framed
# only by itself.
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
# A photo or voice note a citizen sent is data, never a page: even a polyglot file runs nothing when opened
# directly (the browser's own viewer or player still shows it).
MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"


async def public_headers(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare`: the headers above, on every answer, static files and errors included."""
    headers = response.headers
    for name, value in PUBLIC_HEADERS.items():
        if name == "Server":
            headers[name] = value  # aiohttp's own names its version
        else:
            headers.setdefault(name, value)
    if request.path.startswith("/media/"):
        headers["Content-Security-Policy"] = MEDIA_CSP
    else:
        headers.setdefault("Content-Security-Policy", PAGE_CSP)


def client_address(request: web.Request) -> str:
    """The client's address for per-address limits: the peer, or, when the peer is this machine (the
    reverse proxy of docs/operations.md), the last address the proxy added to X-Forwarded-For."""
    peer = (request.remote or "").split("%")[0]
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and _loopback(peer):
        last = forwarded.split(",")[-1].strip()
        with contextlib.suppress(ValueError):
            return str(ipaddress.ip_address(last))
    return peer or "unknown"


def came_over_https(request: web.Request) -> bool:
    """Whether the client reached us over TLS: directly, or through the reverse proxy on this machine
    (its X-Forwarded-Proto), trusted only from there, as for X-Forwarded-For."""
    if request.secure:
        return True
    peer = (request.remote or "").split("%")[0]
    return _loopback(peer) and request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
