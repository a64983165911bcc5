"""Twilio webhook authentication: `X-Twilio-Signature` checked against the public URL, before any parsing."""

from __future__ import annotations

from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict, MultiDictProxy
from twilio.request_validator import RequestValidator

from connectors.errors import Forbidden

SIGNATURE_HEADER = "X-Twilio-Signature"


class BadSignature(Forbidden):
    """The request is not provably from Twilio: no signature, a wrong one, or a body we cannot read."""

    def __init__(self, why: str) -> None:
        super().__init__("bad_signature", "error_bad_twilio_signature")
        self.why = why

    def __str__(self) -> str:
        return self.why


def public_url(base: str, request: web.Request) -> str:
    """The URL Twilio called: our configured public URL plus the path and query exactly as received.

    Behind a proxy the Host header and scheme we see are the proxy's, not what Twilio signed, so they
    are never used; `raw_path` keeps the query's encoding byte for byte.
    """
    return base.rstrip("/") + request.raw_path


def is_valid(auth_token: str, url: str, params: MultiDict[str] | dict[str, str], signature: str) -> bool:
    """twilio's own validator: HMAC-SHA1 of the URL and the sorted parameters, with and without port."""
    if not signature or not auth_token:
        return False
    return bool(RequestValidator(auth_token).validate(url, params, signature))


def form_params(body: bytes) -> MultiDict[str]:
    """Every field of a form body, repeated keys kept (they are part of what Twilio signs)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadSignature("the body is not UTF-8") from exc
    return MultiDict(parse_qsl(text, keep_blank_values=True))


def verify(request: web.Request, body: bytes, *, auth_token: str, base_url: str) -> MultiDictProxy[str]:
    """The signed form fields, or `BadSignature`; nothing of the body is interpreted before this passes."""
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not signature:
        raise BadSignature("no X-Twilio-Signature header")
    params = form_params(body)
    if not is_valid(auth_token, public_url(base_url, request), params, signature):
        raise BadSignature("the signature does not match")
    return MultiDictProxy(params)


def first_values(params: MultiDictProxy[str]) -> dict[str, str]:
    """One value per field (the first), the shape the parser reads."""
    found: dict[str, str] = {}
    for key, value in params.items():
        found.setdefault(key, value)
    return found
