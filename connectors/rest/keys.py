"""The web chat's credential: a secret the server issues, which every sender id is bound to.

A web chat sender id used to be the only credential: whoever knew it read the staff's replies and wrote
as that citizen, and the server took any id, "1" included. Now the server issues a 128-bit secret, in an
HttpOnly cookie set by the chat page (or by the first answer to a client that came without one), or as a
token a widget sends as `Authorization: Bearer …`. The first request that uses a sender id binds the id to
the secret; afterwards writing, polling and uploading as that id need the same secret. Only the secret's
SHA-256 is stored (`storage/webchat.py`). A chat widget written for Rasa's REST channel, which sends a
random UUID as `sender` and keeps its cookies, keeps working unchanged.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import logging
import re
import secrets
from http.cookies import SimpleCookie

from aiohttp import web

from bot.appkeys import SESSIONS
from connectors.errors import BadInput, Forbidden
from connectors.http import came_over_https
from connectors.rest.parser import SENDER
from storage import webchat

log = logging.getLogger(__name__)

COOKIE = "ventanilla_chat"
COOKIE_DAYS = 180
KEY = re.compile(r"[A-Za-z0-9_-]{22}")  # 16 random bytes, URL-safe base64 without padding
# An id must not be guessable on its own: long enough, and not a run of one or two symbols.
MIN_SENDER_CHARS = 16
MIN_SENDER_SYMBOLS = 8


class NotYourChat(Forbidden):
    """A sender id used without the secret it is bound to."""


def new_key() -> str:
    return secrets.token_urlsafe(16)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def guessable(sender: str) -> bool:
    """Ids such as "1", "web-ana" or "aaaaaaaaaaaaaaaa", which another client could hit by trying."""
    return len(sender) < MIN_SENDER_CHARS or len(set(sender)) < MIN_SENDER_SYMBOLS


def refuse_guessable(sender: str) -> None:
    if guessable(sender):
        raise BadInput("guessable_sender", "error_guessable_sender", least=MIN_SENDER_CHARS)


def checked_sender(sender: str) -> str:
    """A sender id from a query string (the poll, the upload): well formed and not guessable."""
    if not SENDER.fullmatch(sender):
        raise BadInput("bad_sender", "error_bad_sender")
    refuse_guessable(sender)
    return sender


def presented(request: web.Request) -> str | None:
    """The secret the client holds: a bearer token, else the cookie; None if it has neither (or a
    malformed one, which is as good as none)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and KEY.fullmatch(token.strip()):
        return token.strip()
    cookie = request.cookies.get(COOKIE, "")
    return cookie if KEY.fullmatch(cookie) else None


def set_cookie(request: web.Request, response: web.StreamResponse, key: str) -> None:
    """HttpOnly (the page's scripts never see it), SameSite=Strict (another site's page cannot write or
    read as the citizen), and Secure when it travels over https, so it never goes back in clear.

    Written as a header, not with `set_cookie`: aiohttp renders its cookies before the
    `on_response_prepare` hooks run, and `hand_over` is one."""
    cookie = SimpleCookie()
    cookie[COOKIE] = key
    morsel = cookie[COOKIE]
    morsel["max-age"] = str(COOKIE_DAYS * 86400)
    morsel["path"] = "/"
    morsel["samesite"] = "Strict"
    morsel["httponly"] = True
    if came_over_https(request):
        morsel["secure"] = True
    response.headers.add("Set-Cookie", morsel.OutputString())


# A secret issued while answering this request: whatever the answer (an error after the id was bound
# included), it carries the cookie, so the client can go on as the id it just used.
ISSUED = web.RequestKey("webchat_issued_key", str)


async def hand_over(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare`: set the cookie of a secret issued for this request."""
    if ISSUED in request:
        set_cookie(request, response, request[ISSUED])


class Keys:
    """Checks (and on first use binds) sender ids against secrets. Bindings never change, so those
    already checked are remembered in this process, and a chat's next message costs no query."""

    def __init__(self, remembered: int = 50_000) -> None:
        self.remembered = remembered
        self.checked: collections.OrderedDict[str, str] = collections.OrderedDict()

    async def check(self, request: web.Request, sender: str, *, first_use: bool = True) -> str | None:
        """The client's secret; raise `NotYourChat` unless it is the one `sender` is bound to. An id
        bound to none is bound now to the client's secret (issued if it came without one) when
        `first_use` allows it, or when a citizen already writes from it (an id from before binding);
        otherwise (a poll for an id nobody has used) None."""
        key = presented(request)
        issued = key is None
        key = key or new_key()
        hashed = digest(key)
        if self.checked.get(sender) == hashed:
            self.checked.move_to_end(sender)
            return key
        async with request.app[SESSIONS]() as session, session.begin():
            bound = await webchat.bound_key(session, sender)
            if bound is None:
                if not first_use and not await webchat.has_identity(session, sender):
                    return None
                bound = await webchat.bind(session, sender, hashed)
        if not hmac.compare_digest(bound, hashed):
            log.warning("web chat id %s… used without its secret", sender[:8])
            raise NotYourChat("not_your_chat", "error_not_your_chat")
        if issued:
            request[ISSUED] = key
        self.checked[sender] = hashed
        while len(self.checked) > self.remembered:
            self.checked.popitem(last=False)
        return key
