"""The supervisors' surveys pages: the list with each survey's reach, one survey's public figures with bars
drawn by the server, the free text escaped and for city-wide supervisors only, and the public CSV."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from storage import surveys as rows
from storage.models import Citizen, utcnow
from tests.bot.test_survey_results import SECRET, seed
from tests.inbox.conftest import Staff

ATTACK = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def seeded(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> int:
    survey = await seed(sessions, settings)
    async with sessions() as session, session.begin():
        citizen = Citizen(language="es")
        session.add(citizen)
        await session.flush()
        await rows.record(
            session, survey.id, citizen.id, "idea", kind="text", value=ATTACK, channel="rest", now=utcnow()
        )
    return survey.id


def figures(page: str, attribute: str) -> dict[str, str]:
    return dict(re.findall(rf'data-{attribute}="(\w+)">([^<]*)<', page))


async def test_the_list_and_one_survey_as_the_public_will_see_it(
    supervisor: Staff, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    survey_id = await seeded(sessions, settings)
    listing = await supervisor.page("/inbox/surveys")
    assert "Presupuesto participativo 2027" in listing and "Vinculante" in listing and "Abierta" in listing
    assert figures(listing, "reach") == {
        "queued": "0", "sent": "2", "delivered": "0", "answered": "17", "skipped": "1", "respondents": "18"
    }  # fmt: skip
    page = await supervisor.page(f"/inbox/surveys/{survey_id}")
    assert figures(page, "figure")["respondents"] == "18"
    assert figures(page, "figure")["sent"] == "&lt;5"  # the public figure, even here
    cells = figures(page, "cell")
    assert cells["parque"] == "6" and cells["alumbrado"] == "&lt;5" and cells["ciclovia"] == "&lt;5"
    assert page.count('<svg class="chart"') == 3  # single, multiple, scale: text has no chart
    assert SECRET in page  # a supervisor reads the free text…
    assert ATTACK not in page and "&lt;script&gt;alert(" in page  # …escaped
    response = await supervisor.get(f"/inbox/surveys/{survey_id}.csv")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
    body = await response.text()
    assert "resultados,obra,alumbrado,<5" in body and SECRET not in body and "script" not in body


async def test_only_city_wide_supervisors(
    agent: Staff,
    browser: Callable[[], Staff],
    add_staff: Callable[..., Awaitable[int]],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    survey_id = await seeded(sessions, settings)
    await add_staff("dora", "supervisor", departments=["sanitation"])
    dora = browser()
    assert (await dora.log_in("dora")).status == 303
    nobody = browser()
    for who in (agent, dora):
        for path in ("/inbox/surveys", f"/inbox/surveys/{survey_id}", f"/inbox/surveys/{survey_id}.csv"):
            assert (await who.get(path)).status == 403, (who.username, path)
    for path in ("/inbox/surveys", f"/inbox/surveys/{survey_id}.csv"):
        assert (await nobody.get(path)).status in (302, 303, 401)


async def test_a_survey_that_does_not_exist(supervisor: Staff) -> None:
    assert (await supervisor.get("/inbox/surveys/999")).status == 404
    assert (await supervisor.get("/inbox/surveys/99999999999999999999999")).status == 404
    assert (await supervisor.get("/inbox/surveys/abc")).status == 404
    assert "Todavía no hay encuestas" in await supervisor.page("/inbox/surveys")
