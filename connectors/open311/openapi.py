"""The OpenAPI 3 description of /open311/v2/, served at /open311/v2/openapi.json and used by the tests."""

from __future__ import annotations

from typing import Any

from bot.settings import Settings
from connectors.open311.attributes import Attribute, ServiceInfo, Words, service_info
from connectors.open311.parser import ATTRIBUTE_LIMITS, LIMITS
from connectors.open311.query import MAX_PAGE, MAX_PAGE_SIZE

Schema = dict[str, Any]
ONE_COORDINATE = [{"required": ["lat"]}, {"required": ["long"]}]
MEDIA_URL = "^https?://[^\\s/?#@]+(/[^\\s]*)?$"
VISIBLE = "[^\\s\\x00-\\x1f\\x7f]"  # at least one visible character: blank fields count as missing


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _text(nullable: bool = True) -> Schema:
    return {"type": "string", "nullable": True} if nullable else {"type": "string"}


def _number() -> Schema:
    return {"type": "number", "nullable": True}


def _object(required: list[str], /, **properties: Schema) -> Schema:
    return {"type": "object", "required": required, "properties": properties}


SCHEMAS: dict[str, Schema] = {
    "Errors": {
        "type": "array",
        "items": _object(["code", "description"], code={"type": "integer"}, description=_text(False)),
    },
    "Discovery": _object(
        ["changeset", "endpoints"],
        changeset=_text(False),
        contact=_text(),
        key_service=_text(),
        endpoints={
            "type": "array",
            "items": _object(
                ["specification", "url", "type", "formats"],
                specification=_text(False),
                url=_text(False),
                changeset=_text(),
                type=_text(False),
                formats={"type": "array", "items": {"type": "string"}},
            ),
        },
    ),
    "Services": {
        "type": "array",
        "items": _object(
            ["service_code", "service_name", "metadata", "type"],
            service_code=_text(False),
            service_name=_text(False),
            description=_text(),
            metadata={"type": "boolean"},
            type={"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            keywords=_text(),
            group=_text(),
        ),
    },
    "ServiceDefinition": _object(
        ["service_code", "attributes"],
        service_code=_text(False),
        attributes={
            "type": "array",
            "items": _object(
                ["variable", "code", "datatype", "required", "order", "description"],
                variable={"type": "boolean"},
                code=_text(False),
                datatype={
                    "type": "string",
                    "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"],
                },
                required={"type": "boolean"},
                datatype_description=_text(),
                order={"type": "integer"},
                description=_text(False),
                values={
                    "type": "array",
                    "items": _object(["key", "name"], key=_text(False), name=_text(False)),
                },
            ),
        },
    ),
    "Filed": {
        "type": "array",
        "items": _object(
            ["service_request_id"],
            service_request_id=_text(False),
            service_notice=_text(),
            account_id=_text(),
        ),
    },
    "ServiceRequests": {
        "type": "array",
        "items": _object(
            ["service_request_id", "status", "service_code", "requested_datetime"],
            service_request_id=_text(False),
            status={"type": "string", "enum": ["open", "closed"]},
            status_notes=_text(),
            service_name=_text(),
            service_code=_text(False),
            description=_text(),
            agency_responsible=_text(),
            service_notice=_text(),
            requested_datetime=_text(False),
            updated_datetime=_text(),
            expected_datetime=_text(),
            address=_text(),
            lat=_number(),
            long=_number(),
            area=_text(),
            media_url=_text(),
        ),
    },
}

ERRORS = {
    "400": "Bad input: unknown service, missing location, bad date, field too long, unknown format…",
    "403": "api_key missing (to file), unknown or revoked",
    "404": "No such service, service request or path",
    "405": "Method not allowed on this path",
    "413": "Request body too large",
}


def _responses(ok: str, schema: str, errors: tuple[str, ...]) -> Schema:
    def content(name: str) -> Schema:
        return {"application/json": {"schema": _ref(name)}, "text/xml": {"schema": {"type": "string"}}}

    responses: Schema = {"200": {"description": ok, "content": content(schema)}}
    for status in (*errors, "405"):
        responses[status] = {"description": ERRORS[status], "content": content("Errors")}
    return responses


def _query(name: str, description: str, schema: Schema | None = None) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
LOCALE = _query("locale", "Language of names and texts: es (default) or en")
READ_KEY = _query(
    "api_key",
    "Optional. A key with the private scope reads the full description, exact place and address; "
    "without one (or with a filing key) what the public reads",
)
JURISDICTION = _query("jurisdiction_id", "Accepted and ignored: this endpoint serves one city")


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


def _form(settings: Settings) -> Schema:
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
    form = _object(["api_key", "service_code"], **properties)
    services = [
        _service_form(code, service_info(code, Words(s.name.es, s.name.en)))
        for code, s in settings.services.items()
    ]
    # Where: lat and long together, or an address. What: one service, with its own attributes.
    location = {"anyOf": [{"required": ["lat", "long"]}, {"required": ["address_string"]}]}
    both_or_neither = {"anyOf": [{"required": ["lat", "long"]}, {"not": {"anyOf": ONE_COORDINATE}}]}
    form["allOf"] = [location, both_or_neither, {"oneOf": services}]
    return form


def openapi_document(settings: Settings) -> Schema:
    get = (FORMAT, LOCALE, JURISDICTION)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"Open311 GeoReport v2 — {settings.city.name.en}",
            "version": "2",
            "description": "Cases filed by chat or by apps, as one list. See docs/open311.md.",
        },
        "servers": [{"url": "/open311/v2"}],
        "paths": {
            "/discovery.{format}": {
                "get": {
                    "summary": "Service discovery",
                    "parameters": [*get],
                    "responses": _responses("Discovery document", "Discovery", ("400",)),
                }
            },
            "/services.{format}": {
                "get": {
                    "summary": "The service catalog",
                    "parameters": [*get],
                    "responses": _responses("The services", "Services", ("400",)),
                }
            },
            "/services/{service_code}.{format}": {
                "get": {
                    "summary": "A service's definition: its extra questions (attributes)",
                    "parameters": [
                        {
                            "name": "service_code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        *get,
                    ],
                    "responses": _responses("The definition", "ServiceDefinition", ("400", "404")),
                }
            },
            "/requests.{format}": {
                "get": {
                    "summary": "Service requests (default: the last 90 days, newest first)",
                    "parameters": [
                        *get,
                        _query(
                            "service_request_id", "Case codes, comma-separated; overrides every other filter"
                        ),
                        _query("service_code", "Service codes, comma-separated"),
                        _query(
                            "start_date",
                            "ISO 8601; range at most 90 days",
                            {"type": "string", "format": "date-time"},
                        ),
                        _query(
                            "end_date",
                            "ISO 8601; range at most 90 days",
                            {"type": "string", "format": "date-time"},
                        ),
                        _query("status", "open, closed, or both comma-separated"),
                        _query("page", "Page number", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
                        _query(
                            "page_size",
                            "Requests per page",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                        ),
                        READ_KEY,
                    ],
                    "responses": _responses("The requests", "ServiceRequests", ("400", "403")),
                },
                "post": {
                    "summary": "File a service request (needs an api_key)",
                    "parameters": [FORMAT],
                    "requestBody": {
                        "required": True,
                        "content": {"application/x-www-form-urlencoded": {"schema": _form(settings)}},
                    },
                    "responses": _responses(
                        "The new request's id (a case code)", "Filed", ("400", "403", "413")
                    ),
                },
            },
            "/requests/{service_request_id}.{format}": {
                "get": {
                    "summary": "One service request",
                    "parameters": [
                        {
                            "name": "service_request_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        *get,
                        READ_KEY,
                    ],
                    "responses": _responses(
                        "The request, in a list of one", "ServiceRequests", ("400", "403", "404")
                    ),
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
