"""The form a POST to requests.json may carry, as a schema: the common fields with their limits, where
(a point or an address), and one service with its own attributes."""

from __future__ import annotations

from bot.settings import Settings
from connectors.open311.attributes import Attribute, ServiceInfo, Words, service_info
from connectors.open311.parser import ATTRIBUTE_LIMITS, LIMITS
from connectors.open311.schemas import Schema, object_schema

ONE_COORDINATE = [{"required": ["lat"]}, {"required": ["long"]}]
MEDIA_URL = "^https?://[^\\s/?#@]+(/[^\\s]*)?$"
VISIBLE = "[^\\s\\x00-\\x1f\\x7f]"  # at least one visible character: blank fields count as missing


def _attribute_field(attribute: Attribute) -> Schema:
    keys = [v.key for v in attribute.values]
    if attribute.datatype == "multivaluelist":  # sent as attribute[code][]=a&attribute[code][]=b
        return {"type": "array", "items": {"type": "string", "enum": keys}, "uniqueItems": True}
    if attribute.datatype == "singlevaluelist":
        return {"type": "string", "enum": keys}
    if attribute.datatype == "number":
        return {"type": "number"}
    if attribute.datatype == "datetime":
        return {"type": "string", "format": "date-time"}
    return {"type": "string", "maxLength": ATTRIBUTE_LIMITS[attribute.datatype]}


def _service_form(code: str, info: ServiceInfo) -> Schema:
    """The part of the form that depends on the service: its own attributes, the required ones required."""
    properties: Schema = {"service_code": {"type": "string", "enum": [code]}}
    required = ["service_code"]
    for attribute in info.attributes:
        suffix = "[]" if attribute.datatype == "multivaluelist" else ""
        name = f"attribute[{attribute.code}]{suffix}"
        properties[name] = _attribute_field(attribute)
        if attribute.required:
            required.append(name)
    return {"type": "object", "required": required, "properties": properties}


def form_schema(settings: Settings) -> Schema:
    properties: Schema = {
        name: {"type": "string", "maxLength": limit, "pattern": VISIBLE}
        for name, limit in LIMITS.items()
        if name != "service_code"
    }
    properties["service_code"] = {"type": "string", "enum": sorted(settings.services)}
    properties["lat"] = {"type": "number", "minimum": -90, "maximum": 90}
    properties["long"] = {"type": "number", "minimum": -180, "maximum": 180}
    properties["description"] = {"type": "string", "maxLength": settings.dialogue.max_text_chars}
    properties["email"] = {"type": "string", "maxLength": LIMITS["email"], "format": "email"}
    properties["media_url"] = {"type": "string", "maxLength": LIMITS["media_url"], "pattern": MEDIA_URL}
    form = object_schema(["api_key", "service_code"], **properties)
    services = [
        _service_form(code, service_info(code, Words(s.name.es, s.name.en)))
        for code, s in settings.services.items()
    ]
    # Where: lat and long together, or an address. What: one service, with its own attributes.
    location = {"anyOf": [{"required": ["lat", "long"]}, {"required": ["address_string"]}]}
    both_or_neither = {"anyOf": [{"required": ["lat", "long"]}, {"not": {"anyOf": ONE_COORDINATE}}]}
    form["allOf"] = [location, both_or_neither, {"oneOf": services}]
    return form
