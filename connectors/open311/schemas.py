"""The JSON schemas of what /open311/v2/ answers: errors, discovery, the services, a service's definition,
a filed request and listed requests (`components.schemas` of the OpenAPI document)."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _text(nullable: bool = True) -> Schema:
    return {"type": "string", "nullable": True} if nullable else {"type": "string"}


def _number() -> Schema:
    return {"type": "number", "nullable": True}


def object_schema(required: list[str], /, **properties: Schema) -> Schema:
    return {"type": "object", "required": required, "properties": properties}


SCHEMAS: dict[str, Schema] = {
    "Errors": {
        "type": "array",
        "items": object_schema(["code", "description"], code={"type": "integer"}, description=_text(False)),
    },
    "Discovery": object_schema(
        ["changeset", "endpoints"],
        changeset=_text(False),
        contact=_text(),
        key_service=_text(),
        endpoints={
            "type": "array",
            "items": object_schema(
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
        "items": object_schema(
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
    "ServiceDefinition": object_schema(
        ["service_code", "attributes"],
        service_code=_text(False),
        attributes={
            "type": "array",
            "items": object_schema(
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
                    "items": object_schema(["key", "name"], key=_text(False), name=_text(False)),
                },
            ),
        },
    ),
    "Filed": {
        "type": "array",
        "items": object_schema(
            ["service_request_id"],
            service_request_id=_text(False),
            service_notice=_text(),
            account_id=_text(),
        ),
    },
    "ServiceRequests": {
        "type": "array",
        "items": object_schema(
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
