"""The e-mail channel is on only with the address, both servers and the passwords from the environment;
then the service runs its poller and sends mail through its outbox like any other pushing channel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.appkeys import OUTBOX
from bot.settings import Settings
from connectors import registry
from connectors.email.sender import EmailSender
from tests.support.channels import with_secrets
from tests.support.mail_servers import MailServers
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]


def names(settings: Settings) -> set[str]:
    return {c.name for c in registry.enabled_connectors(settings)}


def test_off_until_address_servers_and_passwords_are_all_set(
    email_settings: Settings, settings: Settings
) -> None:
    assert "email" not in names(settings)  # the shipped config.yml: no address
    assert "email" in names(email_settings)
    assert "email" not in names(with_secrets(email_settings, imap_password=""))
    assert "email" not in names(with_secrets(email_settings, smtp_password=""))  # smtp.user is set
    no_smtp = email_settings.email.model_copy(
        update={"smtp": email_settings.email.smtp.model_copy(update={"host": ""})}
    )
    assert "email" not in names(email_settings.model_copy(update={"email": no_smtp}))


async def test_the_service_starts_and_stops_with_the_mailbox_on(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    email_settings: Settings,
    scripted: ScriptedClassifier,
    servers: MailServers,
) -> None:
    client = await aiohttp_client(create_app(email_settings, classifier=scripted))
    assert (await client.get("/healthz")).status == 200
    assert isinstance(client.app[OUTBOX].senders["email"], EmailSender)
    await client.close()  # the poller and the sender's own pool close with the service
