"""Case codes, phone numbers and addresses as a citizen would type them."""

from __future__ import annotations

import pytest

from nlu.entities import extract_entities, find_case_codes, find_code_like, find_phone_numbers


def values(text: str, kind: str, region: str = "CO") -> list[str]:
    return [e.value for e in extract_entities(text, phone_region=region) if e.entity == kind]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("mi caso es K7M-4QP", "K7M-4QP"),
        ("k7m4qp", "K7M-4QP"),
        ("como va el caso k7m-4qp?", "K7M-4QP"),
        ("código: 2AB-CDE.", "2AB-CDE"),
        ("case ABC234 please", "ABC-234"),
        ("(Z9Z–9ZZ)", "Z9Z-9ZZ"),
    ],
)
def test_case_codes_in_any_case_are_normalised(text: str, code: str) -> None:
    assert values(text, "case_code") == [code]


@pytest.mark.parametrize(
    "text",
    [
        "hay un bache enorme en la calle",  # ordinary words
        "ABCDEF GHJKMN",  # letters only
        "234567",  # digits only
        "mi número es 300 123 4567",  # a phone number
        "llámame al 3001234567",
        "K7M-4QP0",  # too long
        "KOM-4QP",  # O is not in the alphabet
        "K1M-4QP",  # nor is 1
        "abiertos de 9am-5pm",  # a time range
        "http://x.co/K7M4QP",  # part of a link
    ],
)
def test_no_case_code_in_ordinary_text_or_phone_numbers(text: str) -> None:
    assert values(text, "case_code") == []


def test_case_code_offsets_point_at_what_the_citizen_typed() -> None:
    [code] = find_case_codes("caso k7m4qp ya")
    assert "caso k7m4qp ya"[code.start : code.end] == "k7m4qp"
    [spaced] = find_case_codes("como va el k7m 4qp?")
    assert "como va el k7m 4qp?"[spaced.start : spaced.end] == "k7m 4qp"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("K7M 4QP", "K7M-4QP"),
        ("k7m 4qp", "K7M-4QP"),
        ("como va el K7M 4QP?", "K7M-4QP"),
        ("hola k7m 4qp gracias", "K7M-4QP"),
        ("mas K7M 4QP", "K7M-4QP"),  # "mas K7M" is not a code, "K7M 4QP" after it is
        # halves without both digits and letters need a code word just before them
        ("caso san 222", "SAN-222"),
        ("codigo: san 222", "SAN-222"),
        ("mi caso es mas 456", "MAS-456"),
        ("case #2ab cde", "2AB-CDE"),
        ("ticket abc 234", "ABC-234"),
        ("mi número es abc 234", "ABC-234"),
        ("radicado No. 45B 23A", "45B-23A"),
    ],
)
def test_case_codes_with_a_space_between_the_halves(text: str, code: str) -> None:
    assert values(text, "case_code") == [code]


def test_spaced_and_dashed_codes_in_one_message() -> None:
    assert values("K7M 4QP y el ABC-234", "case_code") == ["K7M-4QP", "ABC-234"]
    assert values("K7M 4QP 9XX", "case_code") == ["K7M-4QP"]


@pytest.mark.parametrize(
    "text",
    [
        "mas 456",
        "gas 123",
        "san 222",
        "con 250",
        "la 45B",
        "no mas 456 pesos",  # "no" without a dot is not "número"
        "la 45B 23A",  # a house number's halves
        "abiertos de 9am 5pm",
        "K1M 4QP",  # 1 is not in the alphabet
        "caso K7M 4QP0",  # too long
        "llámame al 300 123 4567",
    ],
)
def test_two_ordinary_words_are_not_a_spaced_code(text: str) -> None:
    assert values(text, "case_code") == []


@pytest.mark.parametrize(
    ("text", "like"),
    [
        ("ABC-123", ["ABC-123"]),  # 1 is never in a code
        ("mi caso es abc-123", ["ABC-123"]),
        ("caso abc123", ["ABC123"]),
        ("codigo XY1-Z00", ["XY1-Z00"]),
        ("mi codigo es xy1 z00", ["XY1 Z00"]),
        ("XY1 Z00", ["XY1 Z00"]),  # each half mixes digits and letters
        ("KOM-4QP", ["KOM-4QP"]),  # O for 0
        ("k7m-4qo", ["K7M-4QO"]),
        ("el reclamo K1M 4QP y el K7M-4QP", ["K1M 4QP"]),  # the valid one is a code, not a look-alike
        ("ticket #LU5-ZI2", ["LU5-ZI2"]),
    ],
)
def test_code_look_alikes_are_found_as_typed(text: str, like: list[str]) -> None:
    assert find_code_like(text) == like


@pytest.mark.parametrize(
    "text",
    [
        "K7M-4QP",  # a valid code
        "como va el k7m 4qp",
        "abc123",  # six together need a code word before them
        "con 250",  # spaced halves that do not both mix digits and letters need one too
        "gas 123",
        "cra 45B-23A",  # addresses
        "cra 10B-21A",
        "calle 10b-21a barrio centro",
        "cra 8 # 20-30",
        "abiertos de 9am-5pm",  # times and quantities
        "de 8am-12m",
        "carrera de 10k-20k",
        "promo 2x1 3x1",
        "llámame al 300 123 4567",  # phone numbers and dates
        "+57 310 555 1234",
        "el 12-ene-2024",
        "15/01/2024",
        "covid-19",
        "hay un hueco enorme",
    ],
)
def test_no_code_look_alike_in_addresses_times_phones_or_dates(text: str) -> None:
    assert find_code_like(text) == []


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("llámame al 300 123 4567", "CO", "+573001234567"),
        ("mi fijo es (601) 234 5678", "CO", "+576012345678"),
        ("mi cel +57 310 555 1234", "AR", "+573105551234"),
        ("whatsapp 11 15-2345-6789", "AR", "+5491123456789"),
        ("+54 9 11 2345-6789", "CO", "+5491123456789"),
        ("llamar al 55 1234 5678", "MX", "+525512345678"),
        ("+52 55 1234 5678", "CO", "+525512345678"),
        ("call me at (212) 555-0123", "US", "+12125550123"),
    ],
)
def test_phone_numbers_become_e164_in_the_citys_region(text: str, region: str, e164: str) -> None:
    assert values(text, "phone_number", region) == [e164]


def test_numbers_that_are_not_phones_are_left_alone() -> None:
    assert find_phone_numbers("el hueco mide 45 cm y lleva 3 semanas", "CO") == []
    assert values("cra 7 # 12-34", "phone_number") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("hay un hueco en la calle 45 con carrera 27 desde ayer", "calle 45 con carrera 27"),
        ("cra 7 # 12-34, al frente hay basura", "cra 7 # 12-34"),
        ("vivo en Av. Corrientes 1234, CABA", "Av. Corrientes 1234"),
        ("en la esquina de Juárez y Madero no hay luz", "esquina de Juárez y Madero"),
        ("frente al colegio San José hay un perro", "frente al colegio San José"),
        ("al lado de la panadería llevan 3 días", "al lado de la panadería"),
        ("Calle 10 Sur # 5-20", "Calle 10 Sur # 5-20"),
        ("Jr. de la Unión 456 en Lima", "Jr. de la Unión 456"),
        ("barrio San José, cerca", "barrio San José"),
        ("there is a pothole at 1234 Main St since monday", "1234 Main St"),
        ("light out at the corner of 5th and Elm", "at the corner of 5th and Elm"),
        ("dog hit on the corner of Washington and 2nd", "on the corner of Washington and 2nd"),
        ("trash in front of the library again", "in front of the library"),
        ("Oak Ave near the school has no lights", "Oak Ave near the school"),
        ("Calle 22 between carrera 7 and 8", "Calle 22 between carrera 7 and 8"),
        ("hole outside the fire station on Birch St", "outside the fire station on Birch St"),
    ],
)
def test_address_span_is_the_place_not_the_sentence(text: str, address: str) -> None:
    assert values(text, "address") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "the street light is broken",
        "hay un bache en mi calle",
        "by the way, thanks",
        "behind schedule again",
        "cerca de 3 días sin agua",
        "hola buenas tardes",
    ],
)
def test_no_address_where_no_place_is_named(text: str) -> None:
    assert values(text, "address") == []


def test_a_house_number_that_looks_like_a_code_stays_an_address() -> None:
    entities = extract_entities("Calle 45B # 23A-45, barrio Centro")
    assert [(e.entity, e.value) for e in entities] == [("address", "Calle 45B # 23A-45, barrio Centro")]
    assert [e.entity for e in extract_entities("cra 45B-23A")] == ["address"]


def test_everything_at_once_in_reading_order() -> None:
    text = "caso K7M-4QP: sigue el hueco en la calle 45, llámenme al 300 123 4567"
    assert [(e.entity, e.value) for e in extract_entities(text)] == [
        ("case_code", "K7M-4QP"),
        ("address", "calle 45"),
        ("phone_number", "+573001234567"),
    ]
