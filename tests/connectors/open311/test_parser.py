"""The pure validators under random input: a valid request or a named 4xx, never another exception."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.settings import Settings
from bot.settings_loading import load_settings
from connectors.errors import BadInput
from connectors.open311.parser import decode_form, language_of, parse_datetime, parse_new_request
from connectors.open311.privacy import redact
from connectors.open311.query import parse_query
from connectors.open311.render import to_json, to_xml

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
FIELDS = [
    "api_key",
    "service_code",
    "lat",
    "long",
    "address_string",
    "description",
    "media_url",
    "email",
    "phone",
    "first_name",
    "last_name",
    "attribute[water_running]",
    "attribute[waste_kind][]",
    "attribute[days_parked]",
    "attribute[first_seen]",
    "attribute[",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "service_request_id",
    "locale",
]
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["water", "yes", "4.6", "-74.1", "nan", "1e999", "2026-01-01", "open", "3001234567", "a@b.co"]
    ),
    st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{1,8})?", fullmatch=True),
)
FORMS = st.lists(st.tuples(st.sampled_from(FIELDS) | st.text(max_size=20), VALUES), max_size=12)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder: Path = tmp_path_factory.mktemp("open311-parser")
    return load_settings(None, None, **{"database.url": f"sqlite+aiosqlite:///{folder}/x.db"})


@hypothesis_settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=FORMS)
def test_any_form_is_filed_or_refused_by_name(city: Settings, pairs: list[tuple[str, str]]) -> None:
    try:
        form = decode_form(urlencode(pairs))
        request = parse_new_request(form, city)
    except BadInput as exc:
        assert exc.status == 400 and exc.code
        return
    assert request.service_code in city.services
    assert request.address is not None or request.latitude is not None


@hypothesis_settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=FORMS)
def test_any_query_is_read_or_refused_by_name(city: Settings, pairs: list[tuple[str, str]]) -> None:
    try:
        query = parse_query(decode_form(urlencode(pairs)), city, NOW)
    except BadInput as exc:
        assert exc.status == 400 and exc.code
        return
    assert query.start <= query.end and (query.end - query.start).days <= 90
    assert 1 <= query.page_size <= 500


@given(raw=st.binary(max_size=200))
def test_any_bytes_decode_as_a_form_or_a_bad_form(raw: bytes) -> None:
    try:
        decode_form(raw)
    except BadInput as exc:
        assert exc.code == "bad_form"


@given(
    document=st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["a", "values", "formats"]), inner, max_size=3)
        ),
        max_leaves=20,
    )
)
def test_any_document_renders_as_json_and_well_formed_xml(document: object) -> None:
    from xml.etree import ElementTree

    to_json(document).decode("utf-8")
    ElementTree.fromstring(to_xml("service_requests", document))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-31T08:00:00-05:00", datetime(2026, 1, 31, 13, 0, tzinfo=UTC)),
        ("2026-01-31T13:00:00Z", datetime(2026, 1, 31, 13, 0, tzinfo=UTC)),
        ("2026-01-31", datetime(2026, 1, 31, tzinfo=UTC)),
    ],
)
def test_dates_are_iso_8601_instants_in_utc(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text", ["31/01/2026", "mañana", "0001-01-01T00:00:00+01:00", "2026-01-31T25:00", "9" * 41]
)
def test_bad_dates_are_value_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text)


def test_languages() -> None:
    assert language_of("en_GB", None, "es") == "en"
    assert language_of(None, "fr-FR,en;q=0.5", "es") == "en"
    assert language_of("pt", "de", "es") == "es"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("llamar al 300 123 4567 o +57 (1) 555-1234", "llamar al […] o […]"),
        ("escribir a vecina.22@mail.example.co ya", "escribir a […] ya"),
        ("Calle 10 # 4-20, desde el 2026-11-02", "Calle 10 # 4-20, desde el 2026-11-02"),
        ("caso K7M-4QP, poste AP-10432", "caso K7M-4QP, poste AP-10432"),
        ("soy ana maría gómez, no hay luz", "soy […], no hay luz"),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact(text, ["Ana María Gómez", "Luz", "+573001234567"]) == expected
