"""A fake Telegram Bot API on 127.0.0.1 that python-telegram-bot talks to through its `base_url`.

It implements the methods Ventanilla uses, records every call, serves files, and has knobs for the
failures that matter: 5xx for the next N calls, a citizen who blocked the bot, a slow server.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TOKEN = "123456:TEST-fake-token"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Ventanilla",
    "username": "ventanilla_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Parameters python-telegram-bot sends JSON-encoded inside the form (booleans too: "true", "false").
JSON_PARAMETERS = {"reply_markup", "allowed_updates"}
DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    409: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook first",
    429: "Too Many Requests: retry after 3",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200  # what the fake answered


@dataclass
class _Failure:
    status: int
    method: str | None
    remaining: int


@dataclass
class FakeTelegram:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    delay: float = 0.0  # seconds before every answer
    blocked: set[str] = field(default_factory=set)  # chat ids whose user blocked the bot
    webhook: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id → (file_path, bytes)
    updates: list[dict[str, Any]] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(5001))
    _news: asyncio.Event = field(default_factory=asyncio.Event)
    _server: TestServer | None = None

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        await self._server.close()

    @property
    def root(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL should be: python-telegram-bot appends the token."""
        return f"{self.root}/bot"

    # Knobs.

    def fail_next(self, times: int = 1, status: int = 500, method: str | None = None) -> None:
        """Answer the next `times` calls (of `method`, or any) with `status` (500, 502, 429, 403…)."""
        self._failures.append(_Failure(status, method, times))

    def block(self, chat_id: int | str) -> None:
        """The citizen in this chat blocked the bot: sending there answers 403."""
        self.blocked.add(str(chat_id))

    def add_file(self, file_id: str, content: bytes, file_path: str | None = None) -> None:
        self.files[file_id] = (file_path or f"photos/{file_id}.jpg", content)

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling)."""
        self.updates.append(update)
        self._news.set()

    def sent(self, method: str = "sendMessage", *, accepted_only: bool = False) -> list[dict[str, Any]]:
        """The parameters of every call of `method` (only those answered 200 with `accepted_only`)."""
        return [
            call.params
            for call in self.calls
            if call.method == method and (call.status == 200 or not accepted_only)
        ]

    # The API.

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params(request)
        answer = await self._answer(method, params)
        self.calls.append(Call(method, params, answer.status))
        return answer

    async def _answer(self, method: str, params: dict[str, Any]) -> web.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        failure = self._take_failure(method)
        if failure is not None:
            return _error(failure, DESCRIPTIONS.get(failure, "Error"))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found")
        answer: web.Response = await handler(params)
        return answer

    def _take_failure(self, method: str) -> int | None:
        for failure in self._failures:
            if failure.method in (None, method) and failure.remaining > 0:
                failure.remaining -= 1
                return failure.status
        return None

    async def _m_getMe(self, params: dict[str, Any]) -> web.Response:
        return _ok(BOT_USER)

    async def _m_sendMessage(self, params: dict[str, Any]) -> web.Response:
        chat_id = str(params.get("chat_id"))
        if chat_id in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if not params.get("text"):
            return _error(400, "Bad Request: message text is empty")
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": int(chat_id), "type": "private" if not chat_id.startswith("-") else "group"},
            "from": BOT_USER,
            "text": params["text"],
        }
        return _ok(message)

    async def _m_sendVoice(self, params: dict[str, Any]) -> web.Response:
        """A voice note uploaded (issue 19's spoken answers): its bytes are kept in the call's params."""
        chat_id = str(params.get("chat_id"))
        if chat_id in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if not isinstance(params.get("voice"), bytes) or not params["voice"]:
            return _error(400, "Bad Request: there is no voice in the request")
        voice = {
            "file_id": f"voice-{len(self.calls)}",
            "file_unique_id": f"uv-{len(self.calls)}",
            "duration": 1,
        }
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": int(chat_id), "type": "private"},
            "from": BOT_USER,
            "voice": voice,
        }
        return _ok(message)

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _m_leaveChat(self, params: dict[str, Any]) -> web.Response:
        return _ok(True)

    async def _m_getFile(self, params: dict[str, Any]) -> web.Response:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            return _error(400, "Bad Request: invalid file_id")
        path, content = self.files[file_id]
        return _ok(
            {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": len(content),
                "file_path": path,
            }
        )

    async def _m_setWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = params
        return _ok(True)

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = None
        return _ok(True)

    async def _m_getUpdates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook is not None:
            return _error(409, DESCRIPTIONS[409])
        offset = int(params.get("offset") or 0)
        # As Telegram does, asking from an offset confirms (forgets) every update before it.
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and float(params.get("timeout") or 0) > 0:
            self._news.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._news.wait(), timeout=min(float(params["timeout"]), 1.0))
        limit = int(params.get("limit") or 100)
        return _ok(self.updates[:limit])

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        for path, content in self.files.values():
            if path == request.match_info["path"]:
                self.calls.append(Call("file", {"path": path}))
                return web.Response(body=content, content_type="application/octet-stream")
        self.calls.append(Call("file", {"path": request.match_info["path"]}, 404))
        return web.Response(status=404)


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):  # an upload (sendVoice): its bytes
            params[key] = value.file.read()
            continue
        text = value if isinstance(value, str) else ""
        params[key] = json.loads(text) if key in JSON_PARAMETERS or text in ("true", "false") else text
    return params


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if status == 429:
        body["parameters"] = {"retry_after": 3}
    return web.json_response(body, status=status)
