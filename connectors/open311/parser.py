"""Pure validation of a POST requests form (GeoReport v2) into a `NewRequest`; `BadInput` names the fault."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.settings import Settings
from bot.words import clean_text
from connectors.errors import BadInput
from connectors.open311.attributes import SERVICES, Attribute
from connectors.phones import NotAPhoneNumber, normalise_phone

Form = dict[str, list[str]]

MAX_FIELDS = 200
# Characters a field may hold; the description's limit is the chat's (dialogue.max_text_chars).
LIMITS = {
    "api_key": 200,
    "service_code": 40,
    "jurisdiction_id": 100,
    "locale": 20,
    "lat": 40,
    "long": 40,
    "address_string": 500,
    "address_id": 200,
    "email": 254,
    "first_name": 100,
    "last_name": 100,
    "phone": 40,
    "device_id": 200,
    "account_id": 200,
    "media_url": 2000,
}
DATE_LIMIT = 40
ATTRIBUTE_LIMITS = {"string": 200, "text": 2000, "number": 40, "datetime": DATE_LIMIT}
ATTRIBUTE_KEY = re.compile(r"attribute\[([^\[\]]{1,60})\](\[\])?")
EMAIL = re.compile(r"[^@\s<>\"(),;:\[\]\\]{1,64}@[^@\s<>\"'(),;:\[\]\\]+\.[^@\s<>\"'(),;:\[\]\\.]{2,}")


@dataclass(frozen=True)
class Contact:
    """Who reported it, as the client app tells us; never published."""

    email: str | None = None
    phone: str | None = None  # E.164
    first_name: str | None = None
    last_name: str | None = None
    device_id: str | None = None
    account_id: str | None = None

    @property
    def name(self) -> str | None:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or None


@dataclass(frozen=True)
class NewRequest:
    service_code: str
    language: str
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    description: str = ""
    media_url: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    contact: Contact = field(default_factory=Contact)


def decode_form(*sources: str | bytes) -> Form:
    """Query string and body, URL-encoded UTF-8, merged field by field."""
    form: Form = {}
    for source in sources:
        try:
            text = source.decode("utf-8") if isinstance(source, bytes) else source
            pairs = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
        except ValueError as exc:  # bad UTF-8 or percent-escapes, or too many fields
            raise BadInput("bad_form", "open311_bad_form") from exc
        for name, value in pairs:
            form.setdefault(name, []).append(value)
    return form


def one(form: Form, name: str, limit: int | None = None) -> str | None:
    """The field's value, cleaned; None when absent or blank. Given twice with two values is an error."""
    values = {clean_text(v) for v in form.get(name, ())}
    values.discard("")
    if len(values) > 1:
        raise BadInput("duplicate_field", "open311_duplicate_field", field=name)
    value = values.pop() if values else None
    limit = limit or LIMITS.get(name)
    if value is not None and limit is not None and len(value) > limit:
        raise BadInput("too_long", "open311_too_long", field=name, limit=limit)
    return value


def language_of(locale: str | None, accept_language: str | None, default: str) -> str:
    """`locale` (es, en, es_CO, en-US…), else the Accept-Language header, else the city's language."""
    for candidate in [locale or "", *(accept_language or "").split(",")]:
        tag = candidate.split(";")[0].strip().lower()
        if tag[:2] in {"es", "en"}:
            return tag[:2]
    return default


def parse_datetime(text: str) -> datetime:
    """An ISO 8601 instant in UTC; one without a zone is read as UTC. ValueError otherwise."""
    if len(text) > DATE_LIMIT:
        raise ValueError(text)
    try:
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
    except OverflowError as exc:  # a zone pushes year 1 or 9999 out of range
        raise ValueError(text) from exc


def parse_new_request(form: Form, settings: Settings, accept_language: str | None = None) -> NewRequest:
    """Validate everything but the key (checked first, by the route) into the request to file."""
    language = language_of(one(form, "locale"), accept_language, settings.city.default_language)
    code = one(form, "service_code")
    if code is None:
        raise BadInput("missing_field", "open311_missing_field", field="service_code")
    if code not in settings.services:
        raise BadInput("unknown_service", "open311_unknown_service", service=code)
    one(form, "jurisdiction_id")
    one(form, "address_id")  # accepted, but the city has no address register to resolve it against
    latitude, longitude = _coordinates(form)
    address = one(form, "address_string")
    if latitude is None and address is None:
        raise BadInput("missing_location", "open311_missing_location")
    description = one(form, "description", settings.dialogue.max_text_chars) or ""
    return NewRequest(
        service_code=code,
        language=language,
        latitude=latitude,
        longitude=longitude,
        address=address,
        description=description,
        media_url=_media_url(one(form, "media_url")),
        attributes=parse_attributes(code, form),
        contact=_contact(form, settings.city.phone_region),
    )


def _coordinates(form: Form) -> tuple[float | None, float | None]:
    lat, lon = one(form, "lat"), one(form, "long")
    if lat is None and lon is None:
        return None, None
    try:
        latitude, longitude = float(lat or "nan"), float(lon or "nan")
    except ValueError as exc:
        raise BadInput("bad_coordinates", "open311_bad_coordinates") from exc
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise BadInput("bad_coordinates", "open311_bad_coordinates")
    if abs(latitude) > 90 or abs(longitude) > 180:
        raise BadInput("bad_coordinates", "open311_bad_coordinates")
    return latitude, longitude


def _media_url(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise BadInput("bad_value", "open311_bad_value", field="media_url") from exc
    if parts.scheme not in {"http", "https"} or not parts.netloc or re.search(r"\s", value):
        raise BadInput("bad_value", "open311_bad_value", field="media_url")
    return value


def _contact(form: Form, region: str) -> Contact:
    email = one(form, "email")
    if email is not None and not EMAIL.fullmatch(email):
        raise BadInput("bad_value", "open311_bad_value", field="email")
    phone = one(form, "phone")
    if phone is not None:
        try:
            phone = normalise_phone(phone, region)
        except NotAPhoneNumber as exc:
            raise BadInput("bad_value", "open311_bad_value", field="phone") from exc
    return Contact(
        email=email.lower() if email else None,
        phone=phone,
        first_name=one(form, "first_name"),
        last_name=one(form, "last_name"),
        device_id=one(form, "device_id"),
        account_id=one(form, "account_id"),
    )


def parse_attributes(service_code: str, form: Form) -> dict[str, Any]:
    """`attribute[code]` (and `attribute[code][]` for lists) checked against the service definition."""
    answers: dict[str, list[str]] = {}
    for name, values in form.items():
        if not name.startswith("attribute"):
            continue
        match = ATTRIBUTE_KEY.fullmatch(name)
        if match is None:
            raise BadInput("unknown_attribute", "open311_unknown_attribute", attribute=name[:80])
        answers.setdefault(match.group(1), []).extend(v for v in map(clean_text, values) if v)
    info = SERVICES.get(service_code)
    definitions = {a.code: a for a in info.attributes} if info else {}
    for code in answers:
        if code not in definitions:
            raise BadInput("unknown_attribute", "open311_unknown_attribute", attribute=code)
    found: dict[str, Any] = {}
    for code, attribute in definitions.items():
        values = list(dict.fromkeys(answers.get(code, ())))
        if not values:
            if attribute.required:
                raise BadInput("missing_attribute", "open311_missing_attribute", attribute=code)
            continue
        found[code] = _answer(attribute, values)
    return found


def _answer(attribute: Attribute, values: list[str]) -> Any:
    bad = BadInput("bad_attribute", "open311_bad_attribute", attribute=attribute.code)
    keys = {v.key for v in attribute.values}
    if attribute.datatype == "multivaluelist":
        if not set(values) <= keys:
            raise bad
        return values
    if len(values) > 1 or len(values[0]) > ATTRIBUTE_LIMITS.get(attribute.datatype, len(values[0])):
        raise bad
    value = values[0]
    if attribute.datatype == "singlevaluelist" and value not in keys:
        raise bad
    if attribute.datatype == "number":
        try:
            number = float(value)
        except ValueError as exc:
            raise bad from exc
        if not math.isfinite(number):
            raise bad
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if attribute.datatype == "datetime":
        try:
            return parse_datetime(value).isoformat()
        except ValueError as exc:
            raise bad from exc
    return value
