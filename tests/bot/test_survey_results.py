"""A survey's results from known answers, on SQLite and PostgreSQL: exact for supervisors; in public, counts
under min_cell hidden (a lone hidden count takes the next smallest with it), small totals and means hidden,
and never a word of free text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.survey_results import csv_rows, hide, results
from storage import surveys as rows
from storage.models import Broadcast, Citizen, Delivery, DeliveryStatus, Survey, utcnow
from tests.support.surveys import create, definition

SECRET = "Mi vecino Jaime Pérez vende droga en la esquina"


def test_a_lone_hidden_count_takes_the_next_smallest_with_it() -> None:
    assert hide([6, 5, 1, 8], 5) == [6, None, None, 8]
    assert hide([6, 4, 1, 8], 5) == [6, None, None, 8]
    assert hide([6, 5, 5, 8], 5) == [6, 5, 5, 8]
    assert hide([0, 7], 5) == [None, None]
    assert hide([3], 5) == [None]


async def seed(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> Survey:
    """17 citizens answered: obra 6 parque, 5 alumbrado, 5 biblioteca, 1 ciclovía; barrio 8×5, 5×4, 4×3;
    3 chose priorities; 2 wrote an idea; 2 more received it and did not answer; 1 was skipped."""
    obra = ["parque"] * 6 + ["alumbrado"] * 5 + ["biblioteca"] * 5 + ["ciclovia"]
    barrio = [5] * 8 + [4] * 5 + [3] * 4
    now = utcnow()
    async with sessions() as session, session.begin():
        survey = await create(session, settings, definition("resultados"))
        broadcast = Broadcast(kind="survey", survey_id=survey.id, topic="encuestas")
        session.add(broadcast)
        await session.flush()
        for i in range(20):
            citizen = Citizen(language="es")
            session.add(citizen)
            await session.flush()
            status = DeliveryStatus.ANSWERED if i < 17 else DeliveryStatus.SENT
            status = DeliveryStatus.SKIPPED if i == 19 else status
            session.add(Delivery(broadcast_id=broadcast.id, citizen_id=citizen.id, status=status))
            if i >= 17:
                continue
            given: dict[str, Any] = {"obra": obra[i], "barrio": barrio[i]}
            if i < 3:
                given["prioridades"] = ["seguridad", "cultura"] if i else ["limpieza"]
            if i < 2:
                given["idea"] = SECRET if i == 0 else "Más bancas en la plaza"
            for key, value in given.items():
                kind = next(q["kind"] for q in survey.questions if q["key"] == key)
                await rows.record(
                    session, survey.id, citizen.id, key, kind=kind, value=value, channel="sms", now=now
                )
        return survey


async def test_public_and_private_results(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    survey = await seed(sessions, settings)
    async with sessions() as session:
        private = await results(session, settings, survey, public=False)
        public = await results(session, settings, survey, public=True)
    obra, prioridades, barrio, idea = private.questions
    assert [(c.key, c.count) for c in obra.cells] == [
        ("parque", 6), ("alumbrado", 5), ("biblioteca", 5), ("ciclovia", 1)
    ]  # fmt: skip
    assert [c.count for c in barrio.cells] == [0, 0, 4, 5, 8] and barrio.mean == round(72 / 17, 2)
    assert prioridades.answered == 3 and [c.count for c in prioridades.cells] == [2, 1, 0, 2]
    assert idea.answered == 2 and set(idea.texts) == {SECRET, "Más bancas en la plaza"}
    assert private.respondents == 17
    assert private.recipients == {"queued": 0, "sent": 2, "delivered": 0, "answered": 17, "skipped": 1}

    obra, prioridades, barrio, idea = public.questions
    assert [c.shown(5) for c in obra.cells] == ["6", "<5", "5", "<5"]  # ciclovía, and the next smallest
    assert [c.shown(5) for c in barrio.cells] == ["<5", "<5", "<5", "5", "8"]
    assert barrio.mean == round(72 / 17, 2) and barrio.answered == 17
    assert prioridades.answered is None and all(c.count is None for c in prioridades.cells)
    assert idea.answered is None and idea.texts == ()
    assert public.respondents == 17
    hidden = {"queued": None, "sent": None, "delivered": None, "skipped": None}
    assert public.recipients == hidden | {"answered": 17}
    assert SECRET not in repr(public) and "bancas" not in repr(public)
    table = csv_rows(public)
    assert ["resultados", "obra", "alumbrado", "<5"] in table
    assert ["resultados", "barrio", "mean", "4.24"] in table
    assert not any(SECRET in cell for row in table for cell in row)


async def test_few_respondents_hide_the_mean_and_the_totals(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    async with sessions() as session, session.begin():
        survey = await create(session, settings, definition("pocos"))
        for score in (1, 5, 5):
            citizen = Citizen(language="es")
            session.add(citizen)
            await session.flush()
            await rows.record(
                session, survey.id, citizen.id, "barrio", kind="scale", value=score, channel="rest",
                now=utcnow(),
            )  # fmt: skip
    async with sessions() as session:
        public = await results(session, settings, survey, public=True)
        private = await results(session, settings, survey, public=False)
    barrio = public.questions[2]
    assert barrio.mean is None and barrio.answered is None and public.respondents is None
    assert public.respondents_shown() == "<5"
    assert private.questions[2].mean == round(11 / 3, 2) and private.respondents == 3


async def test_closed_surveys_are_listed_latest_first(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    async with sessions() as session, session.begin():
        await create(session, settings, definition("abierta"))
        long_ago = utcnow() - timedelta(days=30)
        await create(session, settings, definition("vieja", days=-5, opens=long_ago))
        await create(session, settings, definition("reciente", days=-0.5, opens=long_ago))
    async with sessions() as session:
        assert [s.slug for s in await rows.closed(session, utcnow())] == ["reciente", "vieja"]
