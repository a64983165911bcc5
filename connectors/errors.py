"""Bad input, named once: every refusal a connector or its parser makes is a `BadInput` with a status,
a machine-readable code and a polite text; one middleware (`connectors.http.refusals`) turns it into the
answer, counts it and writes the text in the client's language."""

from __future__ import annotations


class BadInput(Exception):
    """The request cannot be used; `code` is machine-readable, `message_key` names a text in
    `bot.texts` (formatted with `values`)."""

    status = 400

    def __init__(self, code: str, message_key: str | None = None, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.message_key = message_key or code
        self.values = values


class Forbidden(BadInput):
    status = 403


class NotFound(BadInput):
    status = 404


class MethodNotAllowed(BadInput):
    status = 405


class PayloadTooLarge(BadInput):
    status = 413


class UnsupportedMediaType(BadInput):
    status = 415


class TooMany(BadInput):
    status = 429


class InsufficientStorage(BadInput):
    status = 507
