"""Telegram at the edge (issue 13, parts 2 and 3). Every refusal goes through one middleware: the status
its error names, a text in the client's language, and one count per route and reason. Before, Twilio,
Telegram, Open311 and the web chat each had a helper of their own, and Telegram answered both languages
at once. And the process builds one Bot, not one for the webhook and another for the outbox."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from bot.appkeys import OUTBOX, TELEGRAM
from connectors.errors import BadInput
from connectors.telegram.legacy import NotAnUpdate
from connectors.telegram.sender import TelegramSender
from connectors.twilio.parser import MalformedForm
from connectors.twilio.signature import BadSignature
from tests.connectors.telegram.conftest import SECRET, Client


def rejected(route: str, reason: str) -> float:
    labels = {"route": route, "reason": reason}
    return REGISTRY.get_sample_value("ventanilla_rejected_requests_total", labels) or 0.0


def test_the_parsers_refusals_are_bad_input_with_their_status() -> None:
    for error, status, code in (
        (MalformedForm("From"), 400, "bad_form"),
        (BadSignature("no header"), 403, "bad_signature"),
        (NotAnUpdate("no update_id"), 400, "bad_update"),
    ):
        assert isinstance(error, BadInput) and (error.status, error.code) == (status, code)


@pytest.mark.parametrize(
    ("language", "words"), [("es-AR,es;q=0.9", "token secreto"), ("en-GB,en;q=0.8", "secret token")]
)
async def test_a_telegram_refusal_speaks_the_clients_language_and_is_counted(
    client: Client, language: str, words: str
) -> None:
    before = rejected("/webhooks/telegram", "forbidden")
    response = await client.post(
        "/webhooks/telegram",
        json={"update_id": 1},
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET + "x", "Accept-Language": language},
    )
    body = await response.json()
    assert response.status == 403 and body["error"] == "forbidden" and words in body["message"]
    assert "/" not in body["message"]  # one language, not both
    assert rejected("/webhooks/telegram", "forbidden") == before + 1


async def test_an_update_that_is_not_one_is_a_400_through_the_same_path(client: Client) -> None:
    before = rejected("/webhooks/telegram", "bad_update")
    response = await client.post(
        "/webhooks/telegram", data=b"[1, 2]", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status == 400 and (await response.json())["error"] == "bad_update"
    assert rejected("/webhooks/telegram", "bad_update") == before + 1


async def test_one_bot_per_process_serves_the_webhook_and_the_outbox(client: Client) -> None:
    """The webhook fetches files and the outbox sends through the same Bot and HTTP clients."""
    app = client.app
    assert app is not None
    sender = app[OUTBOX].senders["telegram"]
    assert isinstance(sender, TelegramSender)
    assert app[TELEGRAM].bot is sender.client.bot
