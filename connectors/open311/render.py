"""GeoReport v2 documents as JSON or XML (UTF-8), errors included, from plain dicts and lists."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

from aiohttp import web

FORMATS = {"json": "application/json", "xml": "text/xml"}
# The element that wraps each item of a list, by the list's own element name.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all (and lone surrogates, which UTF-8 cannot encode either).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(value: Any) -> Any:
    """The same document with every string safe to encode in UTF-8 JSON and XML."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        child = ITEMS.get(element.tag, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, child), item)
    else:
        element.text = _text(value)


def to_xml(root: str, document: Any) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, clean(document))
    body = ElementTree.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def to_json(document: Any) -> bytes:
    return json.dumps(clean(document), ensure_ascii=False, separators=(",", ":")).encode()


def respond(fmt: str, root: str, document: Any, status: int = 200) -> web.Response:
    """`document` in `fmt` ("json" or "xml"); `root` names the XML root (a JSON document has none)."""
    body = to_xml(root, document) if fmt == "xml" else to_json(document)
    return web.Response(
        body=body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]), charset="utf-8"
    )


def error_response(fmt: str, status: int, description: str) -> web.Response:
    """The specification's error list: one error, whose code is the HTTP status."""
    return respond(fmt, "errors", [{"code": status, "description": description}], status=status)
