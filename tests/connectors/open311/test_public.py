"""Issue 12, finding 2: GET requests without a private key must not publish what citizens told the bot.

Each test performs the attack on a chat-filed case: read it without a key (or with a filing key), in the
list and alone, in JSON and XML, again and again, and across every 90-day window.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cases import NewCase, file_case
from bot.messages import Location
from bot.settings import Settings
from connectors.open311.keys import PRIVATE
from connectors.open311.privacy import CELL_METRES, mask, snap
from storage import api_keys as key_rows
from storage import cases as case_rows
from storage.models import Case, utcnow
from tests.connectors.open311.conftest import BASE, Client, get, make_key
from tests.support.conversation import Citizen as ChatCitizen

Sessions = async_sessionmaker[AsyncSession]
PIN = (4.609712, -74.081693)  # Ana's flat, in the example config's "Centro"
WORDS = (
    "Soy Ana, vivo sola en el apto 501 de la Calle 45 # 12-30 y hay un hueco enorme al frente, "
    "llámenme al 300 555 1234 o escríbanme a ana.g@correo.co"
)
PERSONAL = ("Ana", "vivo sola", "501", "12-30", "555", "correo.co", "Calle 45")


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, long) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


async def chat_case(
    citizen: Callable[..., ChatCitizen], sessions: Sessions, address: str = "web-ana"
) -> tuple[ChatCitizen, Case]:
    """Ana reports by web chat with her own words and her exact pin, and files it."""
    ana = citizen(address)
    await ana.says(WORDS)
    await ana.says("", location=Location(*PIN))
    await ana.says("omitir")  # no photo
    await ana.presses("Sí, registrar")
    code = re.search(r"[2-9A-Z]{3}-[2-9A-Z]{3}", ana.text)
    assert code is not None, ana.text
    async with sessions() as session:
        case = await case_rows.case_by_code(session, code[0])
    assert case is not None and (case.latitude, case.longitude, case.description) == (*PIN, WORDS)
    assert "¿Podemos publicar tu descripción, sin tus datos?" in ana.text  # asked with the code
    return ana, case


async def new_case(sessions: Sessions, settings: Settings, service: str = "pothole", **changes: Any) -> Case:
    async with sessions() as session, session.begin():
        new = NewCase(
            service=service,
            description=WORDS,
            address="Calle 45 # 12-30 apto 501",
            latitude=PIN[0],
            longitude=PIN[1],
        )
        case = await file_case(session, settings, citizen=None, new=new, channel="rest", language="es")
        for name, value in changes.items():
            setattr(case, name, value)
        return case


async def read(client: Client, code: str, fmt: str = "json", **params: str) -> tuple[Any, Any]:
    """The case as the list shows it and as its own page shows it."""
    status, listed = await get(client, "requests", fmt, **params)
    assert status == 200
    status, alone = await get(client, f"requests/{code}", fmt, **params)
    assert status == 200
    return listed, alone


async def test_without_a_key_a_chat_case_shows_no_words_no_address_and_a_stable_snapped_point(
    client: Client, sessions: Sessions, citizen: Callable[..., ChatCitizen]
) -> None:
    _, case = await chat_case(citizen, sessions)  # and does not answer the question
    seen = set()
    for _ in range(5):
        [listed], [alone] = await read(client, case.code)
        assert listed == alone
        seen.add((alone["lat"], alone["long"]))
    assert len(seen) == 1  # asking again (and so averaging answers) learns nothing more
    [point] = seen
    assert point != PIN and 1 < metres(point, PIN) <= 150
    assert (alone["description"], alone["address"], alone["area"]) == (None, None, "Centro")
    response = await client.get(f"{BASE}/requests.json")
    body = await response.text()
    for private in (*PERSONAL, str(PIN[0]), str(PIN[1]), "web-ana"):
        assert private not in body
    assert "Cache-Control" not in response.headers  # the public answer may be cached


async def test_the_citizens_yes_in_the_chat_publishes_the_description_masked_and_a_no_withdraws_it(
    client: Client, sessions: Sessions, citizen: Callable[..., ChatCitizen]
) -> None:
    ana, case = await chat_case(citizen, sessions)
    await ana.presses("Sí, publicar")
    [request], _ = await read(client, case.code)
    assert request["description"] is not None and request["description"].startswith("Soy […], vivo sola")
    assert not [p for p in PERSONAL if p != "vivo sola" and p in request["description"]]
    await ana.says("mejor no publiquen nada mío")
    assert "no publicaremos" in ana.text
    [request], _ = await read(client, case.code)
    assert request["description"] is None


async def test_xml_carries_the_same_public_document(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    case = await new_case(sessions, settings)
    [json_doc], _ = await read(client, case.code)
    listed, alone = await read(client, case.code, fmt="xml")
    for root in (listed, alone):
        element = root.find("request")
        assert element is not None
        assert element.findtext("description") == "" and element.findtext("address") == ""
        assert (element.findtext("lat"), element.findtext("long")) == (
            str(json_doc["lat"]),
            str(json_doc["long"]),
        )
        assert element.findtext("area") == "Centro"
    response = await client.get(f"{BASE}/requests/{case.code}.xml")
    body = await response.text()
    assert not [p for p in (*PERSONAL, str(PIN[0])) if p in body]


async def test_a_sensitive_service_shows_only_its_area(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    # The citizen said yes, but noise is sensitive (config.yml): its words wait for staff.
    case = await new_case(sessions, settings, "noise", publish_consent=True)
    for fmt in ("json", "xml"):
        listed, alone = await read(client, case.code, fmt)
        if fmt == "json":
            [listed], [alone] = listed, alone
            assert listed == alone
            assert (alone["lat"], alone["long"], alone["address"], alone["description"]) == (None,) * 4
            assert alone["area"] == "Centro"
        else:
            element = alone.find("request")
            assert element.findtext("lat") == "" and element.findtext("area") == "Centro"
    _, [english] = await read(client, case.code, locale="en")
    assert english["area"] == "Downtown"
    async with sessions() as session, session.begin():
        found = await case_rows.case_by_code(session, case.code)
        assert found is not None
        found.description_public = True  # staff published it
    _, [published] = await read(client, case.code)
    assert published["description"] is not None and published["lat"] is None


async def test_a_yes_publishes_the_description_masked(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    case = await new_case(sessions, settings, publish_consent=True)
    [listed], [alone] = await read(client, case.code)
    assert listed == alone
    assert alone["description"] == (
        "Soy […], vivo sola en el […] de la […] y hay un hueco enorme al frente, "
        "llámenme al […] o escríbanme a […]"
    )
    assert alone["address"] is None and alone["lat"] is not None


async def test_no_answer_and_no_publish_nothing(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    unanswered = await new_case(sessions, settings)
    refused = await new_case(sessions, settings, publish_consent=False)
    for case in (unanswered, refused):
        _, [alone] = await read(client, case.code)
        assert alone["description"] is None


async def test_staff_decide_over_the_citizens_answer(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    published = await new_case(sessions, settings, publish_consent=None, description_public=True)
    withheld = await new_case(sessions, settings, publish_consent=True, description_public=False)
    _, [shown] = await read(client, published.code)
    _, [hidden] = await read(client, withheld.code)
    assert shown["description"] is not None and "555" not in shown["description"]
    assert hidden["description"] is None


async def test_a_private_key_reads_everything_and_a_filing_key_what_the_public_reads(
    client: Client, sessions: Sessions, settings: Settings, api_key: str
) -> None:
    case = await new_case(sessions, settings)
    city = await make_key(sessions, "city-backoffice", PRIVATE)
    for key in (api_key, "", None):
        params = {"api_key": key} if key is not None else {}
        [listed], [alone] = await read(client, case.code, **params)
        assert listed == alone and alone["description"] is None and alone["lat"] != PIN[0]
    [listed], [alone] = await read(client, case.code, api_key=city)
    assert listed == alone
    assert (alone["description"], alone["address"]) == (WORDS, "Calle 45 # 12-30 apto 501")
    assert (alone["lat"], alone["long"]) == PIN
    response = await client.get(f"{BASE}/requests/{case.code}.xml", params={"api_key": city})
    assert response.headers["Cache-Control"] == "no-store" and "apto 501" in await response.text()
    noise = await new_case(sessions, settings, "noise")
    _, [exact] = await read(client, noise.code, api_key=city)
    assert (exact["lat"], exact["long"], exact["description"]) == (*PIN, WORDS)


async def test_a_wrong_or_revoked_key_is_refused_rather_than_answered(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    case = await new_case(sessions, settings)
    assert (await get(client, "requests", api_key="v311_guess"))[0] == 403
    assert (await get(client, f"requests/{case.code}", api_key="v311_guess"))[0] == 403
    city = await make_key(sessions, "old-backoffice", PRIVATE)
    async with sessions() as session, session.begin():
        await key_rows.revoke_api_keys(session, "old-backoffice")
    status, errors = await get(client, "requests", "xml", api_key=city)
    assert status == 403 and errors.findtext("error/code") == "403"


async def test_paging_every_90_day_window_finds_nothing_personal(
    client: Client, sessions: Sessions, settings: Settings
) -> None:
    now = utcnow()
    codes = set()
    for days in range(0, 720, 45):
        case = await new_case(
            sessions, settings, random.choice(["pothole", "noise"]), created_at=now - timedelta(days=days)
        )
        codes.add(case.code)
    seen: set[str] = set()
    end = now
    while end > now - timedelta(days=800):
        start = end - timedelta(days=90)
        for page in ("1", "2"):
            response = await client.get(
                f"{BASE}/requests.json",
                params={
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat(),
                    "page_size": "3",
                    "page": page,
                },
            )
            body = await response.text()
            assert response.status == 200 and not [p for p in (*PERSONAL, str(PIN[0])) if p in body]
            seen |= {r["service_request_id"] for r in await response.json()}
        end = start
    assert seen == codes  # the whole history, and nothing personal in any of it


def test_snapping_is_bounded_stable_and_a_function_of_the_cell_alone() -> None:
    rng = random.Random(12)
    half_diagonal = CELL_METRES / math.sqrt(2)
    for _ in range(5000):
        point = (rng.uniform(-60, 60), rng.uniform(-180, 180))
        snapped = snap(*point)
        assert metres(point, snapped) <= half_diagonal + 1
        assert snap(*snapped) == snapped  # the centre lies in its own cell: every point there maps to it
    # Many cases filed from one home (pins a few metres apart) give one point: their average is that point.
    cell = snap(*PIN)
    nearby = [(PIN[0] + rng.uniform(-5, 5) * 1e-6, PIN[1] + rng.uniform(-5, 5) * 1e-6) for _ in range(200)]
    assert {snap(*p) for p in nearby} == {cell}


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("me llamo ana y el poste de mi casa no prende", "me llamo […] y el poste de mi casa no prende"),
        ("soy vecina del sector, el hueco lleva un mes", "soy vecina del sector, el hueco lleva un mes"),
        ("the light at 1200 Elm Street apt 4 is out, I'm Tom Baker", "the light at […] is out, I'm […]"),
        ("tiraron basura en Corrientes y Callao hace 3 días", "tiraron basura en […] hace 3 días"),
        ("poste AP-10432 apagado desde el 2026-11-02", "poste AP-10432 apagado desde el 2026-11-02"),
        ("frente a mi casa, piso 3, depto 4B", "frente a mi casa, […], […]"),
        ("escriban a vecina.22@mail.example.co o al +57 (1) 555-1234", "escriban a […] o al […]"),
    ],
)
def test_a_published_description_is_masked(text: str, masked: str) -> None:
    assert mask(text, ["Ana María Gómez"], "CO") == masked
