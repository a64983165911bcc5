"""POST requests: a case filed through the chat's code path, in the citizen's history, or a spec error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import api_keys as key_rows
from storage import cases as case_rows
from storage import citizens, conversations, messages
from storage.models import Case, CaseEvent, Citizen, Message
from tests.connectors.open311.conftest import Client, post
from tests.support.conversation import Citizen as ChatCitizen

WATER = {"service_code": "water", "attribute[water_running]": "yes"}


async def count(sessions: async_sessionmaker[AsyncSession], model: type[Any]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_request_becomes_a_case_in_the_citizens_history(
    client: Client, api_key: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    status, answer = await post(
        client,
        {
            **WATER,
            "api_key": api_key,
            "lat": "4.6097",
            "long": "-74.0817",
            "address_string": "Calle 10 # 4-20",
            "description": "Sale agua a chorros del andén",
            "media_url": "https://fotos.example.org/fuga.jpg",
            "email": "Ana.Perez@Example.org",
            "phone": "300 123 4567",
            "first_name": "Ana",
            "last_name": "Pérez",
            "attribute[no_supply]": "unknown",
        },
    )
    assert status == 200
    [filed] = answer
    assert set(filed) == {"service_request_id", "service_notice", "account_id"}
    assert filed["account_id"] is None and "24 horas" in filed["service_notice"]
    async with sessions() as session:
        case = await case_rows.case_by_code(session, filed["service_request_id"])
        assert case is not None and case.citizen_id is not None
        assert (case.channel, case.department, case.status) == ("open311", "water_utility", "open")
        assert case.attributes == {"water_running": "yes", "no_supply": "unknown"}
        assert (case.latitude, case.longitude, case.address) == (4.6097, -74.0817, "Calle 10 # 4-20")
        citizen = await citizens.get_citizen(session, case.citizen_id)
        assert (citizen.phone_e164, citizen.email, citizen.display_name) == (
            "+573001234567",
            "ana.perez@example.org",
            "Ana Pérez",
        )
        [message] = (await messages.timeline(session, citizen.id)).messages
        assert (message.direction, message.author, message.channel) == ("in", "citizen", "open311")
        assert message.text == "Sale agua a chorros del andén" and message.address == "open311:fixmystreet"
        assert message.raw is not None and "api_key" not in message.raw and api_key not in str(message.raw)
        [event] = await case_rows.case_events(session, case.id)
        assert (event.kind, event.note) == ("created", "via open311")


async def test_a_phone_joins_the_request_to_the_citizen_who_chats(
    client: Client,
    api_key: str,
    sessions: async_sessionmaker[AsyncSession],
    citizen: Callable[..., ChatCitizen],
) -> None:
    # A citizen who wrote by SMS from +57 300 765 4321, then an app files for the same number.
    sms = citizen("+573007654321", channel="sms")
    await sms.says("hola")
    fields = {**WATER, "api_key": api_key, "address_string": "Cra 7 # 12-30", "phone": "+57 300 765 4321"}
    status, answer = await post(client, {**fields, "description": "No llega agua"})
    assert status == 200
    async with sessions() as session:
        case = await case_rows.case_by_code(session, answer[0]["service_request_id"])
        chat_citizen = await citizens.citizen_by_phone(session, "+573007654321")
        assert case is not None and chat_citizen is not None and case.citizen_id == chat_citizen.id
        history = (await messages.timeline(session, chat_citizen.id)).messages
        assert history[0].channel == "sms" and history[-1].channel == "open311"
        assert (history[-1].text, history[-1].direction) == ("No llega agua", "in")
        # The conversation still answers on SMS: staff replies must not go to "open311".
        conversation = await conversations.conversation_for_update(session, chat_citizen.id)
        assert conversation.last_channel == "sms"
        # The citizen's own "how is my case?" sees it, on their usual channel.
        assert [c.code for c in await case_rows.open_cases(session, chat_citizen.id)] == [case.code]
    assert await count(sessions, Citizen) == 1


async def test_an_email_finds_the_citizen_and_no_contact_files_without_one(
    client: Client, api_key: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    base = {**WATER, "api_key": api_key, "lat": "4.6", "long": "-74.1"}
    first = await post(client, {**base, "email": "vecina@example.org"})
    second = await post(client, {**base, "email": "VECINA@example.org", "first_name": "Otra"})
    anonymous = await post(client, base)
    assert first[0] == second[0] == anonymous[0] == 200
    async with sessions() as session:
        cases = {c.code: c for c in (await session.scalars(select(Case))).all()}
        [vecina] = (await session.scalars(select(Citizen))).all()
        assert cases[first[1][0]["service_request_id"]].citizen_id == vecina.id
        assert cases[second[1][0]["service_request_id"]].citizen_id == vecina.id
        assert cases[anonymous[1][0]["service_request_id"]].citizen_id is None
        assert vecina.display_name is None  # a known citizen is not rewritten by an app's claim
    assert await count(sessions, Message) == 2


async def test_the_answer_in_xml(client: Client, api_key: str) -> None:
    status, root = await post(client, {**WATER, "api_key": api_key, "address_string": "Parque"}, fmt="xml")
    assert status == 200 and root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert [child.tag for child in request] == ["service_request_id", "service_notice", "account_id"]
    assert request.findtext("account_id") == ""


async def test_lists_take_several_answers(
    client: Client, api_key: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    fields = [
        ("api_key", api_key),
        ("service_code", "illegal_dumping"),
        ("address_string", "Lote baldío, Calle 5"),
        ("attribute[waste_kind][]", "rubble"),
        ("attribute[waste_kind][]", "tyres"),
        ("attribute[waste_kind][]", "rubble"),
    ]
    status, answer = await post(client, fields)
    assert status == 200
    async with sessions() as session:
        case = await case_rows.case_by_code(session, answer[0]["service_request_id"])
        assert case is not None and case.attributes == {"waste_kind": ["rubble", "tyres"]}


LOCATED = {"lat": "4.6", "long": "-74.1"}
GOOD = {**WATER, **LOCATED}


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({**GOOD, "service_code": "volcano"}, 400, "volcano"),
        ({"lat": "4.6", "long": "-74.1"}, 400, "service_code"),
        ({**WATER}, 400, "lat y long, o address_string"),
        ({**GOOD, "long": ""}, 400, "lat y long van juntos"),
        ({**GOOD, "lat": "91"}, 400, "lat entre -90 y 90"),
        ({**GOOD, "long": "nan"}, 400, "long entre"),
        ({**GOOD, "lat": "1e400"}, 400, "lat"),
        ({**GOOD, "lat": "cuatro"}, 400, "lat"),
        ({**GOOD, "description": "x" * 4001}, 400, "description supera 4000"),
        ({**WATER, "address_string": "y" * 501}, 400, "address_string supera 500"),
        ({**GOOD, "first_name": "z" * 101}, 400, "first_name"),
        ({**GOOD, "email": "no-es-correo"}, 400, "email"),
        ({**GOOD, "phone": "12"}, 400, "phone"),
        ({**GOOD, "media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({**GOOD, "media_url": "http://[::1"}, 400, "media_url"),
        ({**GOOD, "attribute[water_running]": ""}, 400, "attribute[water_running]"),
        ({**GOOD, "attribute[water_running]": "maybe"}, 400, "attribute[water_running]"),
        ({**GOOD, "attribute[lava]": "yes"}, 400, "lava"),
        ({**GOOD, "attribute[": "yes"}, 400, "attribute["),
        (
            {**LOCATED, "service_code": "abandoned_vehicle", "attribute[days_parked]": "muchos"},
            400,
            "days_parked",
        ),
        (
            {**LOCATED, "service_code": "abandoned_vehicle", "attribute[first_seen]": "ayer"},
            400,
            "first_seen",
        ),
    ],
)
async def test_bad_input_is_a_spec_error_and_files_nothing(
    client: Client,
    api_key: str,
    sessions: async_sessionmaker[AsyncSession],
    fields: dict[str, str],
    status: int,
    words: str,
) -> None:
    got, errors = await post(client, {**fields, "api_key": api_key})
    assert got == status
    [error] = errors
    assert error["code"] == status and words in error["description"]
    assert await count(sessions, Case) == 0


async def test_keys_missing_unknown_or_revoked_get_403(
    client: Client, api_key: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert (await post(client, GOOD))[1] == [
        {"code": 403, "description": "Falta api_key: pide una a la oficina de sistemas de la ciudad."}
    ]
    assert (await post(client, {**GOOD, "api_key": api_key + "x"}))[1][0]["code"] == 403
    async with sessions() as session, session.begin():
        assert await key_rows.revoke_api_keys(session, "fixmystreet") == 1
    status, errors = await post(client, {**GOOD, "api_key": api_key})
    assert status == 403 and "revocada" in errors[0]["description"]
    # The key is checked before anything else is looked at.
    assert (await post(client, {"service_code": "volcano"}))[0] == 403
    assert await count(sessions, Case) == 0


async def test_bodies_that_are_not_a_form(client: Client, api_key: str) -> None:
    too_big = await client.post(
        "/open311/v2/requests.json", data={**GOOD, "api_key": api_key, "description": "x" * 70_000}
    )
    assert too_big.status == 413 and (await too_big.json())[0]["code"] == 413
    as_json = await client.post("/open311/v2/requests.json", json={**GOOD, "api_key": api_key})
    assert as_json.status == 400
    bad_utf8 = await client.post(
        "/open311/v2/requests.xml",
        data=b"api_key=%FF%FE&service_code=water",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert bad_utf8.status == 400 and "<errors><error><code>400</code>" in await bad_utf8.text()
    twice = await post(client, [("api_key", api_key), ("service_code", "water"), ("service_code", "sewer")])
    assert twice[0] == 400 and "más de una vez" in twice[1][0]["description"]


async def test_the_key_may_come_in_the_query_string_and_errors_speak_english(
    client: Client, api_key: str
) -> None:
    response = await client.post(
        f"/open311/v2/requests.json?api_key={api_key}",
        data={**GOOD, "service_code": "volcano"},
        headers={"Accept-Language": "en-US,en;q=0.8"},
    )
    assert response.status == 400
    assert (await response.json())[0]["description"] == "Service 'volcano' does not exist; see services.json."


async def test_case_events_and_codes_follow_the_chat_rules(
    client: Client, api_key: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    codes = [(await post(client, {**GOOD, "api_key": api_key}))[1][0]["service_request_id"] for _ in range(3)]
    assert len(set(codes)) == 3 and all(len(c) == 7 and c[3] == "-" for c in codes)
    assert await count(sessions, CaseEvent) == 3
