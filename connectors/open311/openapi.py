"""The OpenAPI 3 description of /open311/v2/: its paths, parameters and answers, served at
/open311/v2/openapi.json and used by the tests."""

from __future__ import annotations

from bot.settings import Settings
from connectors.open311.form_schema import form_schema
from connectors.open311.query import MAX_PAGE, MAX_PAGE_SIZE
from connectors.open311.schemas import SCHEMAS, Schema, ref

ERRORS = {
    "400": "Bad input: unknown service, missing location, bad date, field too long, unknown format…",
    "403": "api_key missing (to file), unknown or revoked",
    "404": "No such service, service request or path",
    "405": "Method not allowed on this path",
    "413": "Request body too large",
}


def _responses(ok: str, schema: str, errors: tuple[str, ...]) -> Schema:
    def content(name: str) -> Schema:
        return {"application/json": {"schema": ref(name)}, "text/xml": {"schema": {"type": "string"}}}

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
                        "content": {"application/x-www-form-urlencoded": {"schema": form_schema(settings)}},
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
