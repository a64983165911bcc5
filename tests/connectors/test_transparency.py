"""/transparencia on a seeded database (SQLite and PostgreSQL): the figures a visitor reads, small counts
hidden, thin averages withheld, in Spanish and English, for each period; bad parameters are no 500."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from html import unescape
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from connectors.public.transparency_figures import FigureCache, month_starts
from storage import cases as case_rows
from storage import surveys as survey_rows
from storage.models import (
    Author,
    Case,
    Citizen,
    Conversation,
    ConversationRating,
    Direction,
    FollowUp,
    Message,
    utcnow,
)
from tests.connectors.conftest import Client
from tests.support.scripted import ScriptedClassifier
from tests.support.surveys import create, definition

CENTRO, NORTE, SUR = (4.601234, -74.081234), (4.70, -74.05), (4.50, -74.10)


async def seed(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """21 cases in the last 12 months and one 13 months ago; resolutions, follow-ups, ratings, messages.

    pothole: 6 in centro last month, resolved (4 in 2 days, 2 in 6 days: public works' target is 120 h),
      one of them reopened; 2 this month with no point, open, their citizen erased (no citizen);
    streetlight: 5 in norte three months ago, closed (never resolved);
    garbage: 3 in sur last month, rejected;  noise (sensitive): 5 in centro this month, in progress;
    water: 1 thirteen months ago, resolved.
    """
    now = utcnow()
    starts = month_starts(now, 24, settings)
    this_month = starts[-2] + (now - starts[-2]) / 2
    last_month, three_ago, thirteen_ago = starts[-3] + timedelta(hours=2), starts[-5], starts[-15]
    async with sessions() as session, session.begin():
        people = [Citizen(display_name=f"vecina {n}") for n in range(6)]
        session.add_all(people)
        await session.flush()

        async def add(
            service: str, status: str, at: datetime, point: tuple[float, float] | None, **more: Any
        ) -> Case:
            return await case_rows.add_case(
                session,
                service_code=service,
                description="un caso",
                status=status,
                department=settings.services[service].department,
                channel="telegram",
                created_at=at,
                latitude=point[0] if point else None,
                longitude=point[1] if point else None,
                **more,
            )

        ratings = [5, 4, 4, 3, 2, None]
        for n in range(6):
            case = await add("pothole", "resolved", last_month, CENTRO, citizen_id=people[n].id)
            event = await case_rows.add_case_event(
                session,
                case,
                "status",
                actor="staff",
                from_value="open",
                to_value="resolved",
                at=last_month + timedelta(days=2 if n < 4 else 6),
            )
            if n == 0:
                await case_rows.add_case_event(
                    session,
                    case,
                    "status",
                    actor="citizen",
                    from_value="resolved",
                    to_value="reopened",
                    at=last_month + timedelta(days=3),
                )
            session.add(
                FollowUp(
                    case_id=case.id,
                    citizen_id=people[n].id,
                    closing_event_id=event.id,
                    kind="fixed",
                    status="answered",
                    due_at=last_month + timedelta(days=3),
                    sent_at=last_month + timedelta(days=3),
                    answer="yes" if n < 4 else "no",
                    rating=ratings[n],
                    answered_at=last_month + timedelta(days=4),
                )
            )
        for _ in range(2):
            await add("pothole", "open", this_month, None, citizen_id=None)
        for _ in range(5):
            await add("streetlight", "closed", three_ago, NORTE)
        for _ in range(3):
            await add("garbage", "rejected", last_month, SUR)
        for _ in range(5):
            await add("noise", "in_progress", this_month, CENTRO)
        await add("water", "resolved", thirteen_ago, None)
        conversation = Conversation(citizen_id=people[0].id, state={})
        session.add(conversation)
        await session.flush()
        for rating in [5, 5, 5, 5, 5, 5, 1]:
            session.add(
                ConversationRating(
                    conversation_id=conversation.id,
                    citizen_id=people[0].id,
                    department="public_works",
                    rating=rating,
                    asked_at=last_month,
                    answered_at=last_month,
                )
            )
        for n, person in enumerate(people):  # six wrote; a person answered the first
            session.add(
                Message(
                    citizen_id=person.id,
                    direction=Direction.IN,
                    author=Author.CITIZEN,
                    channel="telegram",
                    address=f"{n}",
                    text="hola",
                    created_at=last_month,
                )
            )
        session.add(
            Message(
                citizen_id=people[0].id,
                direction=Direction.OUT,
                author=Author.STAFF,
                channel="telegram",
                address="0",
                text="hola, soy Ana",
                created_at=last_month,
            )
        )


def figures(page: str) -> dict[str, str]:
    found = re.findall(r'data-figure="(\w+)"><dt>[^<]*</dt><dd><span class="big">([^<]*)</span>', page)
    return {key: unescape(value) for key, value in found}


def table(page: str, name: str) -> dict[str, list[str]]:
    found = re.search(rf'data-table="{name}">(.*?)</table>', page, re.S)
    assert found is not None, name
    rows = re.findall(r'<tr data-row="([^"]*)">(.*?)</tr>', found[1], re.S)
    return {
        key: [unescape(n) for n in re.findall(r'<td class="n">([^<]*)</td>', cells)] for key, cells in rows
    }


async def test_the_city_s_figures_with_small_counts_hidden(
    service: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await seed(sessions, settings)
    answer = await service.get("/transparencia")
    assert answer.status == 200 and answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src" not in answer.headers["Content-Security-Policy"]
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
    page = await answer.text()
    assert '<html lang="es">' in page and "<script" not in page and "Últimos 12 meses" in page
    assert figures(page) == {
        "filed": "21",  # the erased citizen's two cases count; the one of 13 months ago does not
        "median_days": "2,0 días",  # 2 2 2 2 6 6
        "within_target": "67 %",  # 4 of 6 within public works' 120 hours
        "confirmed_fixed": "67 %",  # 4 "yes" of 6 answered
        "reopened": "17 %",  # 1 of the 6 resolved
        "mean_rating": "4,1",  # 5 4 4 3 2 and 5 5 5 5 5 5 1: 49 / 12
        "bot_alone": "83 %",  # 5 of the 6 who wrote
        "after_case": "3,6",  # 5 4 4 3 2: 18 / 5
        "after_conversation": "4,4",  # 5 5 5 5 5 5 1: 31 / 7
    }
    services = table(page, "services")  # the whole catalogue: a row left out would say "none"
    assert len(services) == len(settings.services)
    assert {k: v for k, v in services.items() if v != ["<5"]} == {
        "pothole": ["8"], "streetlight": ["5"], "noise": ["5"],
    }  # fmt: skip
    assert services["garbage"] == services["water"] == ["<5"]  # three, and none: both "<5"
    assert table(page, "areas") == {"centro": ["11"], "norte": ["5"], "sur": ["<5"], "": ["<5"]}
    grid = table(page, "service_area")  # centro, norte, sur, no area, total
    assert grid["pothole"] == ["6", "<5", "<5", "<5", "8"]
    assert grid["streetlight"] == ["<5", "5", "<5", "<5", "5"]
    assert grid["noise"] == ["5", "<5", "<5", "<5", "5"]
    assert grid["garbage"] == grid["tree"] == ["<5"] * 5
    assert table(page, "outcomes") == {
        "pending": ["7"], "resolved": ["6"], "closed": ["5"], "rejected": ["<5"], "duplicate": ["<5"],
    }  # fmt: skip
    assert table(page, "service_outcomes")["pothole"] == ["<5", "6", "<5", "<5", "<5"]
    assert table(page, "ratings") == {"5": ["7"], "4": ["<5"], "3": ["<5"], "2": ["<5"], "1": ["<5"]}
    months = table(page, "months")
    assert len(months) == 12 and months["11"] == ["7"] and months["10"] == ["9"] and months["8"] == ["5"]
    assert months["9"] == months["0"] == ["<5"]
    assert "Sin zona" in page and "Ruido" in page  # a sensitive service counts like the others
    assert 'href="/datos/"' in page and 'href="/privacidad?lang=es"' in page


async def test_a_longer_period_counts_older_cases_and_a_shorter_one_fewer(
    service: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await seed(sessions, settings)
    longer = await (await service.get("/transparencia?months=24")).text()
    assert figures(longer)["filed"] == "22" and len(table(longer, "months")) == 24
    assert table(longer, "services")["pothole"] == ["8"]
    shorter = await (await service.get("/transparencia?months=3")).text()
    assert len(table(shorter, "months")) == 3
    assert table(shorter, "services")["streetlight"] == ["<5"]  # filed three months ago: before this period
    assert figures(shorter)["filed"] == "16"
    assert 'aria-current="page">3 meses<' in shorter


async def test_in_english_with_too_few_for_an_average(
    service: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    answer = await service.get("/transparencia?lang=en")
    page = await answer.text()
    assert '<html lang="en">' in page and "<h1>Transparency</h1>" in page and ">Español<" in page
    assert figures(page) == {
        "filed": "<5",  # none, but written as any count below 5
        "median_days": "too few",
        "within_target": "too few",
        "confirmed_fixed": "too few",
        "reopened": "too few",
        "mean_rating": "too few",
        "bot_alone": "too few",
        "after_case": "too few",
        "after_conversation": "too few",
    }
    assert "No survey closed in this period." in page
    browser = await (
        await service.get("/transparencia", headers={"Accept-Language": "en-GB,en;q=0.9"})
    ).text()
    assert '<html lang="en">' in browser


@pytest.mark.parametrize("months", ["abc", "5", "-12", "12.0", "999999999999999999999", "1e3"])
async def test_a_period_that_does_not_exist_is_a_clear_400(service: Client, months: str) -> None:
    answer = await service.get("/transparencia", params={"months": months})
    assert answer.status == 400
    assert "3, 6, 12 o 24" in await answer.text()


@pytest.mark.parametrize("query", ["?lang=xx", "?lang=", "?lang=%00", "?months=", "?lang=en&lang=fr"])
async def test_an_odd_language_or_empty_period_is_the_default_page(service: Client, query: str) -> None:
    answer = await service.get("/transparencia" + query)
    assert answer.status == 200
    page = await answer.text()
    assert "Últimos 12 meses" in page or "Last 12 months" in page


async def test_the_style_sheet_is_served_and_the_page_asks_for_nothing_else(service: Client) -> None:
    page = await (await service.get("/transparencia")).text()
    assert re.findall(r'(?:href|src)="(https?:)?//', page) == []
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) == ["/transparencia/estilo.css"]
    style = await service.get("/transparencia/estilo.css")
    assert style.status == 200 and style.headers["Content-Type"].startswith("text/css")


IDEA = "que arreglen la casa de don Evaristo Pinzón en la calle 9"


async def test_a_closed_survey_s_results_with_small_counts_hidden_and_no_free_text(
    service: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    now = utcnow()
    async with sessions() as session, session.begin():
        closed = await create(
            session,
            settings,
            definition("obras-2026", opens=now - timedelta(days=20), closes=now - timedelta(days=2)),
        )
        await create(session, settings, definition("abierta"))  # still open: not on the page
        for n in range(7):  # 6 want the park, 1 the cycle lane; all rate 5; two wrote an idea
            person = Citizen(display_name=f"Evaristo {n}")
            session.add(person)
            await session.flush()
            given: dict[str, Any] = {"obra": "parque" if n else "ciclovia", "barrio": 5}
            if n < 2:
                given["idea"] = IDEA
            for key, value in given.items():
                kind = next(q["kind"] for q in closed.questions if q["key"] == key)
                await survey_rows.record(
                    session, closed.id, person.id, key, kind=kind, value=value, channel="sms", now=now
                )
    page = await (await service.get("/transparencia")).text()
    assert page.count("data-survey=") == 1 and 'data-survey="obras-2026"' in page
    assert "Presupuesto participativo 2027" in page and "Vinculante" in page and "7 participantes" in page
    assert table(page, "obras-2026:obra") == {
        "parque": ["6"], "alumbrado": ["<5"], "biblioteca": ["<5"], "ciclovia": ["<5"],
    }  # fmt: skip
    assert table(page, "obras-2026:barrio")["5"] == ["7"]
    assert "media 5,0 de 5" in page
    assert "<5 respuestas de texto libre" in unescape(page)
    assert IDEA not in page and "Evaristo" not in page
    english = await (await service.get("/transparencia?lang=en")).text()
    assert "Participatory budget 2027" in english and "Neighbourhood park" in english and "Binding" in english


async def test_the_figures_are_counted_at_most_once_a_minute(
    service: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await seed(sessions, settings)
    assert figures(await (await service.get("/transparencia")).text())["filed"] == "21"
    async with sessions() as session, session.begin():
        for _ in range(5):
            await case_rows.add_case(
                session, service_code="tree", description="otro", department="environment", channel="sms"
            )
    for _ in range(3):  # asked again within the minute: the same figures, not another count
        assert figures(await (await service.get("/transparencia")).text())["filed"] == "21"
    recounted = await FigureCache(keep=0).figures(sessions, settings, 12)  # once the minute is over
    assert recounted.filed == 26 and recounted.by_service["tree"] == 5


async def test_past_their_time_the_kept_figures_are_shown_while_a_recount_runs(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """A count takes seconds on a big city's year: only a period's first visitor waits for one."""
    await seed(sessions, settings)
    cache = FigureCache(keep=0)
    assert (await cache.figures(sessions, settings, 12)).filed == 21
    async with sessions() as session, session.begin():
        await case_rows.add_case(
            session, service_code="tree", description="otro", department="environment", channel="sms"
        )
    assert (await cache.figures(sessions, settings, 12)).filed == 21  # at once, the kept figures
    assert (await cache.figures(sessions, settings, 12)).filed == 21  # one recount, not two
    assert len(cache.recounts) == 1
    await asyncio.gather(*cache.recounts.values())
    assert (await cache.figures(sessions, settings, 12)).filed == 22
    await cache.close()


async def test_a_city_with_no_areas_counts_every_case_with_no_area(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    scripted: ScriptedClassifier,
) -> None:
    await seed(sessions, settings)
    plain = settings.model_copy(update={"areas": {}})
    service = await aiohttp_client(create_app(plain, classifier=scripted))
    page = await (await service.get("/transparencia?lang=en")).text()
    assert table(page, "areas") == {"": ["21"]}
    assert table(page, "service_area")["pothole"] == ["8", "8"]  # no area, total
