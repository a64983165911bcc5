"""The readable text of a mail: its plain part, or its HTML part turned into text, in whatever charset."""

from __future__ import annotations

import html
import re
from email.message import EmailMessage, Message
from html.parser import HTMLParser

# Tags that end a line of text where they stand; what is inside the skipped ones is never text.
_BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote", "hr"})
_SKIPPED = frozenset({"script", "style", "head", "title"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quoting = 0  # inside <blockquote>: the earlier mail a client quoted

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        if tag == "blockquote":
            self.quoting += 1
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self.skipping:
            self.skipping -= 1
        if tag == "blockquote" and self.quoting:
            self.quoting -= 1
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.quoting:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Text of an HTML mail: tags gone, lines where blocks were, quoted blocks left out."""
    parser = _Text()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError:  # html.parser's reaction to some broken markup: keep what was read
        pass
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def decoded(part: Message) -> str:
    """A text part's content as text; an unknown or lying charset is read as Latin-1 rather than refused."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("latin-1")


def body_text(mail: EmailMessage) -> str:
    """The plain text of the mail; the HTML converted when there is no plain part; "" when neither."""
    try:
        part = mail.get_body(preferencelist=("plain", "html"))
    except (KeyError, LookupError, ValueError):
        part = None
    if part is None:
        return ""
    text = decoded(part)
    return html_to_text(text) if part.get_content_subtype() == "html" else text
