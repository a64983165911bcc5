"""The city's mailbox over IMAP (stdlib imaplib, blocking: the poller calls it from a worker thread).

Mail is fetched with BODY.PEEK so that reading it does not mark it read: \\Seen is set only once the turn
it made is committed, so a crash in between leaves it unread for the next poll (the pipeline recognises a
mail read twice by its Message-ID)."""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl

from connectors.email.config import EmailConfig

_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class MailboxError(Exception):
    """The server refused or broke off: this poll ends, the next one tries again."""


class Mailbox:
    def __init__(self, config: EmailConfig) -> None:
        imap = config.imap
        self.config = config
        try:
            if imap.security == "ssl":
                context = ssl.create_default_context()
                self.client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    imap.host, imap.port, ssl_context=context, timeout=imap.timeout_seconds
                )
            else:
                self.client = imaplib.IMAP4(imap.host, imap.port, timeout=imap.timeout_seconds)
                if imap.security == "starttls":
                    self.client.starttls(ssl.create_default_context())
            self.client.login(imap.user or config.address, config.imap_password)
            status, _ = self.client.select(_quoted(imap.folder))
        except (imaplib.IMAP4.error, OSError) as exc:
            raise MailboxError(f"{type(exc).__name__}: {exc}") from exc
        if status != "OK":
            raise MailboxError(f"cannot open the folder {imap.folder!r}")

    def unseen(self, limit: int) -> list[bytes]:
        """The UIDs of unread mail, oldest first, at most `limit`."""
        data = self._ok("SEARCH", None, "UNSEEN")
        found = data[0] if data and isinstance(data[0], bytes) else b""
        return found.split()[:limit]

    def size(self, uid: bytes) -> int:
        data = self._ok("FETCH", uid, "(RFC822.SIZE)")
        found = _SIZE.search(data[0] if isinstance(data[0], bytes) else b"")
        return int(found.group(1)) if found else 0

    def fetch(self, uid: bytes, *, headers_only: bool) -> bytes:
        section = "BODY.PEEK[HEADER]" if headers_only else "BODY.PEEK[]"
        for item in self._ok("FETCH", uid, f"({section})"):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        raise MailboxError(f"mail {uid!r} came back empty")

    def mark_seen(self, uid: bytes) -> None:
        self._ok("STORE", uid, "+FLAGS", "(\\Seen)")

    def close(self) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):  # the server went first: nothing to close
            self.client.logout()

    def _ok(self, command: str, *args: object) -> list[object]:
        try:
            status, data = self.client.uid(command, *args)  # type: ignore[arg-type]
        except (imaplib.IMAP4.error, OSError) as exc:
            raise MailboxError(f"{command}: {type(exc).__name__}: {exc}") from exc
        if status != "OK":
            raise MailboxError(f"{command}: {status} {data!r}")
        return list(data)


def _quoted(folder: str) -> str:
    """A folder name as IMAP wants it: quoted, for names with spaces ("Atención ciudadana")."""
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
