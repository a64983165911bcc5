"""Small named errors a webhook raises on bad input, mapped to HTTP answers at the edge."""

from __future__ import annotations


class BadInput(Exception):
    """The request cannot be used; `code` is machine-readable, `message_key` names a polite text."""

    status = 400

    def __init__(self, code: str, message_key: str | None = None, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.message_key = message_key or code
        self.values = values


class PayloadTooLarge(BadInput):
    status = 413


class UnsupportedMediaType(BadInput):
    status = 415


class Forbidden(BadInput):
    status = 403
