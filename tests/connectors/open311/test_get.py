"""GET requests: chat and Open311 cases in one list, statuses mapped, filters, paging, no personal data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cases import NewCase, file_case
from bot.settings import Settings
from connectors.open311.privacy import snap
from storage import cases as case_rows
from storage.models import Case, CaseStatus, Citizen, utcnow
from tests.connectors.open311.conftest import Client, get, post
from tests.support.conversation import Citizen as ChatCitizen

Sessions = async_sessionmaker[AsyncSession]
PUBLIC_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "lat",
    "long",
    "area",
    "media_url",
]
STORY = "hay un hueco enorme en la calle 45, avisen a Ana María Gómez al 300 555 1234 o a ana.g@correo.co"


async def new_case(
    sessions: Sessions, settings: Settings, service: str = "pothole", **changes: object
) -> Case:
    """A case filed through bot.cases (as chat does), then moved as the test needs."""
    async with sessions() as session, session.begin():
        new = NewCase(service=service, description=f"{service} en la esquina", address="Calle 1 # 2-3")
        case = await file_case(session, settings, citizen=None, new=new, channel="rest", language="es")
        for name, value in changes.items():
            setattr(case, name, value)
        return case


async def test_a_case_filed_by_chat_is_listed_without_personal_data(
    client: Client, sessions: Sessions, citizen: Callable[..., ChatCitizen]
) -> None:
    ana = citizen("web-ana-5f3c9d27e1")
    await ana.says(STORY)
    await ana.says("", photo="/media/" + "b" * 32 + ".jpg")
    await ana.presses("Sí, registrar")
    async with sessions() as session, session.begin():
        await session.execute(
            update(Citizen).values(
                display_name="Ana María Gómez", email="ana@privado.co", phone_e164="+573005551234"
            )
        )
    status, found = await get(client, "requests")
    assert status == 200
    [request] = found
    assert list(request) == PUBLIC_FIELDS
    assert request["service_request_id"] in ana.text
    assert (request["status"], request["service_code"], request["agency_responsible"]) == (
        "open",
        "pothole",
        "Obras Públicas",
    )
    assert request["description"] is None  # published only with the citizen's yes (test_public.py)
    assert request["media_url"] is None  # a photo sent by chat may show people or homes: never published
    published = str(found)
    for private in (
        "Ana María",
        "300 555 1234",
        "correo.co",
        "privado",
        "+57",
        "web-ana-5f3c9d27e1",
        "citizen",
    ):
        assert private not in published
    async with sessions() as session:
        case = await case_rows.case_by_code(session, request["service_request_id"])
    assert case is not None
    assert request["requested_datetime"] == case.created_at.isoformat(timespec="seconds")
    expected = case.created_at + timedelta(hours=120)  # public_works resolves in 120 hours
    assert request["expected_datetime"] == expected.isoformat(timespec="seconds")


async def test_an_open311_request_reads_back_with_its_media_url(client: Client, api_key: str) -> None:
    fields = {"service_code": "streetlight", "attribute[light_state]": "off", "lat": "4.61", "long": "-74.08"}
    media = "https://fotos.example.org/poste.jpg"
    _, filed = await post(client, {**fields, "api_key": api_key, "media_url": media, "phone": "3001112233"})
    code = filed[0]["service_request_id"]
    status, [request] = await get(client, f"requests/{code.lower()}", locale="en")
    assert status == 200
    assert (request["service_request_id"], request["media_url"]) == (code, media)
    assert (request["lat"], request["long"]) == snap(4.61, -74.08)  # ~100 m, as every public point
    assert (request["service_name"], request["agency_responsible"]) == (
        "Broken streetlight",
        "Street Lighting",
    )
    status, root = await get(client, f"requests/{code}", fmt="xml")
    assert status == 200 and root.tag == "service_requests"
    element = root.find("request")
    assert element is not None and [child.tag for child in element] == PUBLIC_FIELDS
    assert element.findtext("status_notes") == "abierto, en espera de revisión" and element.findtext(
        "lat"
    ) == str(snap(4.61, -74.08)[0])


async def test_statuses_map_to_open_and_closed_with_the_latest_status_note(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    codes = {}
    for status in CaseStatus:
        codes[status.value] = (await new_case(sessions, settings, status=status.value)).code
    async with sessions() as session, session.begin():
        resolved = await case_rows.case_by_code(session, codes["resolved"])
        assert resolved is not None
        await case_rows.add_case_event(
            session, resolved, "status", actor="staff", to_value="in_progress", note="Cuadrilla asignada"
        )
        await case_rows.add_case_event(
            session, resolved, "status", actor="staff", to_value="resolved", note="Tapado el 3/12"
        )
        await case_rows.add_case_event(session, resolved, "note", actor="staff", note="nota interna")
        await case_rows.add_case_event(
            session, resolved, "reassigned", actor="staff", to_value="mobility", note="x"
        )
    _, everything = await get(client, "requests")
    mapped = {r["service_request_id"]: r["status"] for r in everything}
    assert mapped == {
        code: "open" if s in {"open", "acknowledged", "in_progress", "reopened"} else "closed"
        for s, code in codes.items()
    }
    notes = {r["service_request_id"]: r["status_notes"] for r in everything}
    # The detailed status in words, never a staff note (which may be internal).
    assert notes[codes["resolved"]] == "resuelto" and "Tapado" not in str(everything)
    assert notes[codes["open"]] == "abierto, en espera de revisión"
    _, open_only = await get(client, "requests", status="open")
    assert {r["service_request_id"] for r in open_only} == {
        codes[s]
        for s in ("open", "acknowledged", "in_progress", "reopened")  # reopened: not fixed after all
    }
    _, closed_only = await get(client, "requests", status="closed")
    assert len(closed_only) == 4 and all(r["status"] == "closed" for r in closed_only)
    _, both = await get(client, "requests", status="open,closed")
    assert len(both) == 8


async def test_filters_dates_and_paging(client: Client, sessions: Sessions, settings: Settings) -> None:
    now = utcnow()
    old = await new_case(sessions, settings, "water", created_at=now - timedelta(days=200))
    water = await new_case(sessions, settings, "water", created_at=now - timedelta(days=3))
    trees = [
        await new_case(sessions, settings, "tree", created_at=now - timedelta(hours=h)) for h in (1, 2, 3)
    ]
    _, default = await get(client, "requests")
    assert [r["service_request_id"] for r in default] == [t.code for t in trees] + [water.code]
    _, waters = await get(client, "requests", service_code="water")
    assert [r["service_request_id"] for r in waters] == [water.code]
    start = (now - timedelta(days=210)).isoformat()
    _, then = await get(
        client, "requests", start_date=start, end_date=(now - timedelta(days=190)).isoformat()
    )
    assert [r["service_request_id"] for r in then] == [old.code]
    _, from_start = await get(client, "requests", start_date=start)  # start_date alone: 90 days from it
    assert [r["service_request_id"] for r in from_start] == [old.code]
    _, by_id = await get(
        client, "requests", service_request_id=f"{old.code}, {water.code.lower()}", status="closed"
    )
    assert {r["service_request_id"] for r in by_id} == {old.code, water.code}  # ids override other filters
    pages = [await get(client, "requests", page=str(p), page_size="2") for p in (1, 2, 3)]
    assert [[r["service_request_id"] for r in page] for _, page in pages] == [
        [trees[0].code, trees[1].code],
        [trees[2].code, water.code],
        [],
    ]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start_date": "ayer"}, "start_date no es una fecha ISO 8601"),
        ({"end_date": "2026-13-01"}, "end_date"),
        ({"start_date": "0001-01-01T00:00:00+05:00"}, "start_date"),
        ({"end_date": "0001-01-02"}, "end_date"),
        ({"start_date": "9999-12-30"}, "start_date"),
        ({"start_date": "2026-02-01", "end_date": "2026-01-01"}, "anterior a end_date"),
        ({"start_date": "2026-01-01", "end_date": "2026-06-01"}, "90 días"),
        ({"status": "pending"}, "open o closed"),
        ({"page": "0"}, "page debe ser"),
        ({"page": "-1"}, "page debe ser"),
        ({"page_size": "501"}, "entre 1 y 500"),
        ({"page_size": "１０"}, "page_size"),
        ({"service_code": "water,volcano"}, "volcano"),
        ({"service_request_id": "K7M-4QP,DROP TABLE"}, "service_request_id"),
        ({"service_request_id": ",".join(["K7M-4QP"] * 101)}, "service_request_id"),
        ({"locale": "x" * 21}, "locale supera 20"),
    ],
)
async def test_bad_queries_are_400_in_the_spec_format(
    client: Client, params: dict[str, str], words: str
) -> None:
    status, errors = await get(client, "requests", **params)
    assert status == 400
    assert len(errors) == 1 and errors[0]["code"] == 400 and words in errors[0]["description"]
    status, root = await get(client, "requests", fmt="xml", **params)
    assert status == 400 and root.tag == "errors" and root.findtext("error/code") == "400"


async def test_unknown_things_are_404_and_unknown_formats_400(client: Client) -> None:
    assert (await get(client, "requests/K7M-4QP"))[0] == 404
    assert (await get(client, "requests/not a code"))[0] == 404
    assert (await get(client, "services/volcano"))[0] == 404
    assert (await get(client, "nowhere", fmt="xml"))[1].findtext("error/code") == "404"
    status, errors = await get(client, "services", fmt="yaml")
    assert status == 400 and "yaml" in errors[0]["description"]
    response = await client.delete("/open311/v2/requests.json")
    assert response.status == 405 and (await response.json())[0]["code"] == 405
