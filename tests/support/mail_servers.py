"""Real mail servers on 127.0.0.1 for the e-mail channel's tests: Dovecot (IMAP) with a mailbox per user
in a throw-away Maildir, and aiosmtpd (SMTP, with AUTH) delivering each accepted mail into the recipient's
Dovecot INBOX over IMAP APPEND, so a reply is read back from the citizen's mailbox as they would read it."""

from __future__ import annotations

import contextlib
import email
import email.policy
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from tests.support.pg_cluster import free_port

DOVECOT = "/usr/sbin/dovecot"
CITY = "atencion@ciudad.test"
CITIZEN = "vecina@correo.test"
PASSWORDS = {CITY: "clave-de-la-ciudad", CITIZEN: "clave-de-la-vecina", "otro@correo.test": "otra-clave"}


def _accounts() -> tuple[str, str]:
    """Who Dovecot's login and mail processes run as: it refuses root for both."""
    if os.geteuid() == 0:
        return "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, grp.getgrgid(me.pw_gid).gr_name


def _dovecot_conf(base: Path, port: int) -> str:
    user, group = _accounts()
    return f"""
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 0
first_valid_gid = 0
mail_uid = {user}
mail_gid = {group}
mail_location = maildir:{base}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = home={base}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass
class MailServers:
    imap_port: int
    smtp_port: int
    smtp_logins: list[str]

    def imap(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        client.login(user, PASSWORDS[user])
        client.select("INBOX")
        return client

    def deliver(self, user: str, raw: bytes) -> None:
        """Put a mail into `user`'s INBOX, unread, as their provider would."""
        client = self.imap(user)
        try:
            status, _ = client.append("INBOX", None, None, raw)
            assert status == "OK"
        finally:
            client.logout()

    def mails(self, user: str) -> list[tuple[EmailMessage, bool]]:
        """Every mail in `user`'s INBOX, oldest first, with whether it has been read (\\Seen)."""
        client = self.imap(user)
        try:
            _, data = client.uid("SEARCH", None, "ALL")  # type: ignore[arg-type]
            found = []
            for uid in (data[0] or b"").split():
                _, parts = client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")  # type: ignore[arg-type]
                head, body = parts[0]
                mail = email.message_from_bytes(body, policy=email.policy.default)
                assert isinstance(mail, EmailMessage)
                found.append((mail, b"\\Seen" in head))
            return found
        finally:
            client.logout()


class _Delivery:
    """aiosmtpd's handler: a mail for a known user lands in their INBOX; anyone else is refused (550)."""

    def __init__(self, servers: MailServers) -> None:
        self.servers = servers

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() not in PASSWORDS:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address.lower())
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        for user in envelope.rcpt_tos:
            self.servers.deliver(user, data)
        return "250 Message accepted for delivery"


def _authenticator(servers: MailServers) -> Any:
    def check(server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        ok = PASSWORDS.get(user) == password
        if ok:
            servers.smtp_logins.append(user)
        return AuthResult(success=ok)

    return check


def _wait_for(port: int, log: Path, deadline: float = 20) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            if s.recv(100).startswith(b"* OK"):
                return
        time.sleep(0.1)
    pytest.fail(f"dovecot did not start:\n{log.read_text() if log.exists() else ''}")


@contextlib.contextmanager
def mail_servers() -> Iterator[MailServers]:
    if not Path(DOVECOT).exists():
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    # Not under pytest's tmp_path: Dovecot's unprivileged processes must be able to reach the Maildirs.
    base = Path(tempfile.mkdtemp(prefix="ventanilla-mail-"))
    base.chmod(0o755)
    user, group = _accounts()
    (base / "mail").mkdir()
    shutil.chown(base / "mail", user, group)
    (base / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}::::::\n" for u, p in PASSWORDS.items()))
    imap_port = free_port()
    (base / "dovecot.conf").write_text(_dovecot_conf(base, imap_port))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(base / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    servers = MailServers(imap_port, free_port(), [])
    controller = Controller(
        _Delivery(servers),
        hostname="127.0.0.1",
        port=servers.smtp_port,
        authenticator=_authenticator(servers),
        auth_require_tls=False,
    )
    try:
        _wait_for(imap_port, base / "dovecot.log")
        controller.start()
        yield servers
    finally:
        controller.stop()
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(base, ignore_errors=True)
