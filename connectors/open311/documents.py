"""The documents: discovery, services, definitions, and requests as the public or the city reads them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.settings import Settings
from bot.texts import status_name, text
from connectors.open311 import privacy
from connectors.open311.attributes import Attribute, Words, service_info
from storage.models import OPEN_STATUSES, Case

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Attachment kind of the media_url an Open311 client gave; photos sent by chat are never published.
MEDIA_URL_KIND = "open311_media"


def timestamp(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def discovery(settings: Settings, language: str, changeset: datetime) -> dict[str, Any]:
    base = settings.server.public_url.rstrip("/") + "/open311/v2"
    return {
        "changeset": timestamp(changeset),
        "contact": text("open311_contact", language, city=settings.city.name.get(language)),
        "key_service": text("open311_key_service", language),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": timestamp(changeset),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def services(settings: Settings, language: str) -> list[dict[str, Any]]:
    found = []
    for code, service in settings.services.items():
        name = Words(service.name.es, service.name.en)
        info = service_info(code, name)
        found.append(
            {
                "service_code": code,
                "service_name": name.get(language),
                "description": info.description.get(language),
                "metadata": bool(info.attributes),
                "type": "realtime",
                "keywords": info.keywords.get(language),
                "group": settings.departments[service.department].name.get(language),
            }
        )
    return found


def _attribute(attribute: Attribute, order: int, language: str) -> dict[str, Any]:
    described = attribute.datatype_description
    return {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": described.get(language) if described else None,
        "order": order,
        "description": attribute.description.get(language),
        "values": [{"key": v.key, "name": v.name.get(language)} for v in attribute.values],
    }


def definition(settings: Settings, code: str, language: str) -> dict[str, Any]:
    service = settings.services[code]
    info = service_info(code, Words(service.name.es, service.name.en))
    return {
        "service_code": code,
        "attributes": [_attribute(a, i, language) for i, a in enumerate(info.attributes, start=1)],
    }


def service_notice(settings: Settings, department: str, language: str) -> str | None:
    found = settings.departments.get(department)
    if found is None:
        return None
    return text(
        "open311_service_notice", language, department=found.name.get(language), hours=found.resolution_hours
    )


def _request(case: Case, settings: Settings, language: str) -> dict[str, Any]:
    """The fields every reader gets, in the specification's order; where and what the citizen said
    are filled in by `public_request` or `private_request`."""
    department = settings.departments.get(case.department)
    started = case.sla_started_at or case.created_at  # a reopened case's clock starts again
    expected = started + timedelta(hours=department.resolution_hours) if department else None
    media = next((a.get("url") for a in case.attachments or () if a.get("kind") == MEDIA_URL_KIND), None)
    return {
        "service_request_id": case.code,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        # Staff notes may be internal, and no event says which were told to the citizen: publish
        # the detailed status in words instead ("en atención", "duplicate of another case").
        "status_notes": status_name(case.status, language),
        "service_name": settings.service_name(case.service_code, language),
        "service_code": case.service_code,
        "description": None,
        "agency_responsible": department.name.get(language) if department else case.department,
        "service_notice": service_notice(settings, case.department, language),
        "requested_datetime": timestamp(case.created_at),
        "updated_datetime": timestamp(case.updated_at),
        "expected_datetime": timestamp(expected),
        "address": None,
        "lat": None,
        "long": None,
        # Not in GeoReport v2: the named part of the city (config.yml `areas`), all the public sees of
        # where a sensitive service's case is.
        "area": privacy.area_name(case, settings, language),
        "media_url": media,
    }


def public_request(
    case: Case, settings: Settings, language: str, *, terms: Iterable[str] = ()
) -> dict[str, Any]:
    """A case as anyone may read it: the place snapped to ~100 m (or only its area, for a sensitive
    service), no address, and the description only when the citizen or staff agreed, masked."""
    document = _request(case, settings, language)
    if privacy.description_is_public(case, settings):
        document["description"] = privacy.mask(case.description, terms, settings.city.phone_region)
    document["lat"], document["long"] = privacy.public_point(case, settings)
    return document


def private_request(case: Case, settings: Settings, language: str) -> dict[str, Any]:
    """A case as the city's own systems read it (a key with the private scope): the citizen's words, the
    address and the exact place. Still nothing about who the citizen is."""
    document = _request(case, settings, language)
    document["description"] = case.description
    document["address"], document["lat"], document["long"] = case.address, case.latitude, case.longitude
    return document


def filed(case: Case, settings: Settings, language: str) -> list[dict[str, Any]]:
    """The answer to POST requests: the new request's id (the case code) and notice; no account id."""
    return [
        {
            "service_request_id": case.code,
            "service_notice": service_notice(settings, case.department, language),
            "account_id": None,
        }
    ]
