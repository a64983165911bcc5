"""E-mail test fixtures: real Dovecot and SMTP servers on 127.0.0.1, settings pointing at them, the poller
and the outbox worker run one pass at a time, and a citizen who writes mail and reads their mailbox."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from bot.outbox import OutboxWorker
from bot.pipeline import Pipeline
from bot.settings import Settings
from connectors.email.config import EmailConfig
from connectors.email.poller import MailboxPoller, Pass
from connectors.email.sender import EmailSender
from nlu.base import Classifier
from storage.engine import AsyncSession, async_sessionmaker
from storage.media import MediaStore
from storage.stores import open_store
from tests.support.channels import with_secrets
from tests.support.mail_servers import CITIZEN, CITY, PASSWORDS, MailServers, mail_servers
from tests.support.scripted import ScriptedClassifier

_numbers = itertools.count(1)


@pytest.fixture
def servers() -> Iterator[MailServers]:
    with mail_servers() as running:
        yield running


def email_on(settings: Settings, servers: MailServers, **email: object) -> Settings:
    on = with_secrets(settings, imap_password=PASSWORDS[CITY], smtp_password=PASSWORDS[CITY])
    imap = on.email.imap.model_copy(
        update={"host": "127.0.0.1", "port": servers.imap_port, "security": "none", "user": CITY}
    )
    smtp = on.email.smtp.model_copy(
        update={"host": "127.0.0.1", "port": servers.smtp_port, "security": "none", "user": CITY}
    )
    section = on.email.model_copy(update={"address": CITY, "imap": imap, "smtp": smtp, **email})
    return on.model_copy(update={"email": section})


@pytest.fixture
def email_settings(settings: Settings, servers: MailServers) -> Settings:
    return email_on(settings, servers)


@dataclass
class Town:
    """The city's mailbox and outbox, run one pass at a time, and the mail servers behind them."""

    servers: MailServers
    poller: MailboxPoller
    outbox: OutboxWorker
    sender: EmailSender
    store: MediaStore

    async def poll(self) -> Pass:
        """The poller reads the mailbox once; the replies it queued are sent."""
        done = await self.poller.once(claim=False)
        await self.outbox.run_once()
        return done

    def inbox(self, user: str = CITIZEN) -> list[EmailMessage]:
        return [mail for mail, _ in self.servers.mails(user)]

    def write(self, text: str, *, subject: str = "Bache", **headers: str) -> str:
        """A citizen's mail into the city's INBOX; its Message-ID."""
        mail = EmailMessage()
        mail["From"] = headers.pop("From", f"Vecina <{CITIZEN}>")
        mail["To"] = CITY
        mail["Subject"] = subject
        mail["Message-ID"] = headers.pop("Message-ID", make_msgid(f"n{next(_numbers)}", "correo.test"))
        for name, value in headers.items():
            mail[name.replace("_", "-")] = value
        mail.set_content(text)
        self.servers.deliver(CITY, bytes(mail))
        return str(mail["Message-ID"])

    def answer(self, reply: EmailMessage, text: str) -> str:
        """The citizen answers our mail as a mail client does: Re:, threaded, our mail quoted below."""
        quoted = "\n".join(f"> {line}" for line in reply.get_content().splitlines())
        references = f"{reply.get('References', '')} {reply['Message-ID']}".strip()
        body = f"{text}\n\nEl lun, 7 dic 2026 a las 10:00, Ciudad <{CITY}> escribió:\n{quoted}\n"
        subject = str(reply["Subject"])
        return self.write(body, subject=subject, In_Reply_To=str(reply["Message-ID"]), References=references)


@pytest.fixture
async def make_town(
    email_settings: Settings, sessions: async_sessionmaker[AsyncSession], servers: MailServers
) -> AsyncIterator[Callable[[Classifier], Town]]:
    """`make_town(classifier)`: the poller, pipeline and outbox of one worker, with its media store."""
    async with open_store(email_settings) as store:

        def make(classifier: Classifier) -> Town:
            config = EmailConfig.from_settings(email_settings)
            pipeline = Pipeline(email_settings, sessions, classifier, store)
            poller = MailboxPoller(config, sessions, pipeline.handle, store, email_settings.media.max_pixels)
            sender = EmailSender(config, sessions)  # the test's pool: nothing of its own to close
            return Town(servers, poller, OutboxWorker(sessions, {"email": sender}), sender, store)

        yield make


@pytest.fixture
def town(make_town: Callable[[Classifier], Town], scripted: ScriptedClassifier) -> Town:
    return make_town(scripted)
