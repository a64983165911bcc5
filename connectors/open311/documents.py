"""The public documents: discovery, services, definitions, and service requests without personal data."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.settings import Settings
from bot.texts import status_name, text
from connectors.open311.attributes import Attribute, Words, service_info
from storage.models import OPEN_STATUSES, Case

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Attachment kind of the media_url an Open311 client gave; photos sent by chat are never published.
MEDIA_URL_KIND = "open311_media"
HIDDEN = "[…]"

_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")
# Seven or more digits with at most two spaces, dots, dashes or brackets between: a phone number.
_PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\s.()-]{0,2}\d){6,}(?!\w)")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


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


def _identifies(term: str) -> bool:
    # A full name, an e-mail or a phone; a lone first name ("Luz", "Rosa") is too often a plain word.
    return len(term) >= 5 and (" " in term.strip() or "@" in term or any(c.isdigit() for c in term))


def redact(value: str | None, terms: Iterable[str] = ()) -> str | None:
    """The text without e-mail addresses, phone numbers and the citizen's own name, e-mail or phone."""
    if not value:
        return value
    for term in sorted(filter(_identifies, terms), key=len, reverse=True):
        value = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", HIDDEN, value, flags=re.IGNORECASE)
    value = _EMAIL.sub(HIDDEN, value)
    return _PHONE.sub(lambda m: m.group() if _ISO_DATE.fullmatch(m.group()) else HIDDEN, value)


def public_request(
    case: Case, settings: Settings, language: str, *, terms: Iterable[str] = ()
) -> dict[str, Any]:
    """A case as GeoReport v2 publishes it. Built field by field: nothing about the citizen gets in."""
    terms = tuple(terms)
    department = settings.departments.get(case.department)
    expected = case.created_at + timedelta(hours=department.resolution_hours) if department else None
    media = next((a.get("url") for a in case.attachments or () if a.get("kind") == MEDIA_URL_KIND), None)
    return {
        "service_request_id": case.code,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        # Staff notes may be internal, and no event says which were told to the citizen: publish
        # the detailed status in words instead ("en atención", "duplicate of another case").
        "status_notes": status_name(case.status, language),
        "service_name": settings.service_name(case.service_code, language),
        "service_code": case.service_code,
        "description": redact(case.description, terms),
        "agency_responsible": department.name.get(language) if department else case.department,
        "service_notice": service_notice(settings, case.department, language),
        "requested_datetime": timestamp(case.created_at),
        "updated_datetime": timestamp(case.updated_at),
        "expected_datetime": timestamp(expected),
        "address": redact(case.address, terms),
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": media,
    }


def filed(case: Case, settings: Settings, language: str) -> list[dict[str, Any]]:
    """The answer to POST requests: the new request's id (the case code) and notice; no account id."""
    return [
        {
            "service_request_id": case.code,
            "service_notice": service_notice(settings, case.department, language),
            "account_id": None,
        }
    ]
