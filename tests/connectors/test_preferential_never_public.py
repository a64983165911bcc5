"""Who has preferential attention is never public (issue 19): a preferential citizen's case and an ordinary
one, filed alike, are read through every public door — Open311 JSON and XML, /transparencia in both
languages and every period, every /datos/ file — and nothing names the flag, the priority or the kind,
and nothing tells the two cases apart but their codes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from connectors.public.transparency import render
from connectors.public.transparency_figures import PERIODS, count
from connectors.public.transparency_view import View
from storage import cases as case_rows
from storage import preferential
from storage.models import Citizen, utcnow
from tests import test_opendata
from tests.connectors.open311.conftest import Client, get
from tests.support.opendata_town import export
from tests.test_opendata import everything

# The open data tests' app (an open data folder of its own): every public door is read from it.
settings, client = test_opendata.settings, test_opendata.client
TELLS = ("preferen", "priorit", "priorid", "elderly", "adulto mayor", "silla de ruedas", "wheelchair")


async def seed_two(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, str]:
    """(the preferential citizen's case code, the ordinary one's), filed alike three days ago."""
    filed = utcnow() - timedelta(days=3)
    codes = []
    async with sessions() as session, session.begin():
        for name in ("Doña Inés", "Don Julio"):
            citizen = Citizen(display_name=name)
            session.add(citizen)
            await session.flush()
            case = await case_rows.add_case(
                session, citizen_id=citizen.id, service_code="pothole", description="hueco",
                department="public_works", channel="whatsapp", created_at=filed, latitude=4.6097,
                longitude=-74.0817, status="open",
            )  # fmt: skip
            codes.append(case.code)
            if name == "Doña Inés":
                moved = await preferential.grant(
                    session,
                    citizen,
                    kind="elderly",
                    words="tengo 82 años y uso silla de ruedas",
                    channel="whatsapp",
                )
                assert moved == 1
    return codes[0], codes[1]


def without_code(document: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in document.items() if k != "service_request_id"}


async def test_open311_documents_of_the_two_cases_differ_only_in_their_codes(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    favoured, ordinary = await seed_two(sessions)
    status, listed = await get(client, "requests")
    assert status == 200
    found = {d["service_request_id"]: d for d in listed}
    assert without_code(found[favoured]) == without_code(found[ordinary])
    assert "priority" not in found[favoured] and found[favoured].keys() == found[ordinary].keys()
    for code in (favoured, ordinary):
        status, [one] = await get(client, f"requests/{code}")
        assert status == 200 and without_code(one) == without_code(found[ordinary])
    xml = await (await client.get("/open311/v2/requests.xml")).text()
    assert not [tell for tell in TELLS if tell in xml.lower()]


async def test_transparency_and_open_data_never_tell_and_do_not_change_with_the_flag(
    client: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    favoured, _ = await seed_two(sessions)
    now = utcnow()

    async def pages() -> dict[tuple[int, str], str]:
        async with sessions() as session:
            found = {}
            for months in PERIODS:
                figures = await count(session, settings, months, now)
                for language in ("es", "en"):
                    found[(months, language)] = render(View(figures, settings, language), months)
            return found

    with_flag = await pages()
    for page in with_flag.values():
        assert not [tell for tell in TELLS if tell in page.lower()]
    live = await (await client.get("/transparencia")).text()
    assert "Qué tan rápido se atiende" in live and not [tell for tell in TELLS if tell in live.lower()]
    await export(sessions, settings, now)
    for path, text in (await everything(client)).items():
        assert not [tell for tell in TELLS if tell in text.lower()], path
    async with sessions() as session, session.begin():
        case = await case_rows.case_by_code(session, favoured)
        citizen = await session.get(Citizen, case.citizen_id) if case is not None else None
        assert citizen is not None and await preferential.withdraw(session, citizen, channel="inbox") == 1
    assert await pages() == with_flag  # the published figures do not move when the flag goes
