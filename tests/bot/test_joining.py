"""Joining an existing report (bot/joining.py), on SQLite and PostgreSQL: what is offered, what is not,
joining once, "no, es otro", and the news reaching every supporter."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import case_status
from bot.messages import Location
from bot.settings import Settings
from storage import staff as staff_rows
from storage.models import Case, CaseEvent, CaseSupporter, Message, utcnow
from storage.supporters import distance_m
from tests.support.conversation import Citizen

# A corner in the example city; 30 m and 80 m north of it (a degree of latitude is about 111 km).
HERE = (4.60971, -74.08175)
METRE = 1 / 111_195


def north(metres: float) -> Location:
    return Location(HERE[0] + metres * METRE, HERE[1])


async def file_at(person: Citizen, place: Location | None = None, text: str = "hay un bache enorme") -> str:
    """A report filed with a pin (or a place in words), photo skipped, confirmed; its code."""
    await person.says(text, location=place or north(0))
    await person.says("omitir")
    filed = await person.says("si")
    code = re.search(r"[2-9A-Z]{3}-[2-9A-Z]{3}", filed[0].text)
    assert code is not None, [r.text for r in filed]
    return code[0]


async def staff_member(sessions: async_sessionmaker[AsyncSession]) -> case_status.Staff:
    async with sessions() as session, session.begin():
        ana = await staff_rows.add_staff(
            session, username="ana", password_hash="x", role="agent", department=None
        )
        return case_status.Staff(ana.id, ana.username)


def test_the_haversine_distance() -> None:
    assert distance_m(*HERE, HERE[0] + 30 * METRE, HERE[1]) == pytest.approx(30, abs=0.05)
    assert distance_m(0, 0, 0, 1) == pytest.approx(111_195, rel=1e-3)


async def test_a_neighbour_30_m_away_joins_and_is_told_when_it_is_resolved(
    citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await file_at(citizen("web-first-5f3c9d27e1"))
    second = citizen("web-second-5f3c9d27e1")
    await second.says("hay un bache enorme", location=north(30))
    await second.says("omitir", photo="/media/0123456789abcdef0123456789abcdef.jpg")
    assert "a 30 m" in second.text and "¿Es el mismo?" in second.text and "hoy" in second.text
    assert second.buttons == ["Sí, sumarme", "No, es otro"]
    joined = await second.presses("Sí, sumarme")
    assert code in joined[0].text and "Te sumé" in joined[0].text
    async with sessions() as session:
        cases = (await session.scalars(select(Case))).all()
        supporter = await session.scalar(select(CaseSupporter))
        note = await session.scalar(select(CaseEvent).where(CaseEvent.kind == "joined"))
    assert [c.code for c in cases] == [code]  # nothing new filed
    assert (
        supporter is not None
        and supporter.channel == "rest"
        and supporter.distance_m == pytest.approx(30, abs=1)
    )
    assert (
        note is not None and "hay un bache enorme" in (note.note or "") and "/media/0123" in (note.note or "")
    )
    staff = await staff_member(sessions)
    async with sessions() as session, session.begin():
        case = await session.scalar(select(Case).where(Case.code == code))
        assert case is not None
        change = await case_status.change_status(session, settings, case, "resolved", staff=staff)
        assert change.notice is not None
    async with sessions() as session:
        told = (await session.scalars(select(Message).where(Message.author == "system"))).all()
    assert sorted(m.address for m in told) == ["web-first-5f3c9d27e1", "web-second-5f3c9d27e1"]
    assert all(code in m.text and "resuelto" in m.text for m in told)
    # A third neighbour now sees one neighbour joined.
    third = citizen("web-third-5f3c9d27e1")
    await third.says("hay un bache enorme", location=north(10))
    await third.says("omitir")
    assert "¿Es el mismo?" not in third.text


async def test_80_m_away_with_a_50_m_radius_nothing_is_offered(citizen: Callable[..., Citizen]) -> None:
    await file_at(citizen("web-first-5f3c9d27e1"))
    second = citizen("web-second-5f3c9d27e1")
    await second.says("hay un bache enorme", location=north(80))
    await second.says("omitir")
    assert "¿Es el mismo?" not in second.text and "¿Lo confirmo?" in second.text


async def test_a_service_may_have_its_own_radius(citizen: Callable[..., Citizen], settings: Settings) -> None:
    await file_at(citizen("web-first-5f3c9d27e1"))
    second = citizen("web-second-5f3c9d27e1")
    pothole = settings.services["pothole"].model_copy(update={"duplicates_radius_m": 100})
    wider = settings.model_copy(update={"services": {**settings.services, "pothole": pothole}})
    second.pipeline.settings = wider
    await second.says("hay un bache enorme", location=north(80))
    await second.says("omitir")
    assert "a 80 m" in second.text and "¿Es el mismo?" in second.text


async def test_own_cases_are_never_offered(citizen: Callable[..., Citizen]) -> None:
    ana = citizen("web-first-5f3c9d27e1")
    await file_at(ana)
    await ana.says("hay otro bache enorme", location=north(5))
    await ana.says("omitir")
    assert "¿Es el mismo?" not in ana.text and "¿Lo confirmo?" in ana.text


@pytest.mark.parametrize("how", ["closed", "old"])
async def test_closed_or_old_cases_are_not_offered(
    how: str, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    code = await file_at(citizen("web-first-5f3c9d27e1"))
    async with sessions() as session, session.begin():
        case = await session.scalar(select(Case).where(Case.code == code))
        assert case is not None
        if how == "closed":
            case.status = "closed"
        else:
            case.created_at = utcnow() - timedelta(days=91)
    second = citizen("web-second-5f3c9d27e1")
    await second.says("hay un bache enorme", location=north(10))
    await second.says("omitir")
    assert "¿Es el mismo?" not in second.text and "¿Lo confirmo?" in second.text


async def test_joining_twice_counts_once(
    citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    code = await file_at(citizen("web-first-5f3c9d27e1"))
    second = citizen("web-second-5f3c9d27e1")
    for _ in range(2):
        await second.says("hay un bache enorme", location=north(20))
        await second.says("omitir")
        answer = await second.says("si es ese mismo")
    assert "Ya estabas sumado" in answer[0].text and code in answer[0].text
    async with sessions() as session:
        assert len((await session.scalars(select(CaseSupporter))).all()) == 1
    third = citizen("web-third-5f3c9d27e1")
    await third.says("hay un bache enorme", location=north(20))
    await third.says("omitir")
    assert "1 vecino sumado" in third.text


async def test_no_es_otro_files_a_new_case_and_records_the_refusal(
    citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    code = await file_at(citizen("web-first-5f3c9d27e1"))
    second = citizen("web-second-5f3c9d27e1")
    await second.says("hay un bache enorme", location=north(20))
    await second.says("omitir")
    await second.presses("No, es otro")
    assert "es otro" in second.text and "¿Lo confirmo?" in second.text
    filed = await second.says("si")
    new_code = re.search(r"[2-9A-Z]{3}-[2-9A-Z]{3}", filed[0].text)
    assert new_code is not None and new_code[0] != code
    async with sessions() as session:
        new = await session.scalar(select(Case).where(Case.code == new_code[0]))
        assert new is not None
        refused = (
            await session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == new.id, CaseEvent.kind == "duplicate_refused")
            )
        ).all()
        assert (await session.scalars(select(CaseSupporter))).all() == []
    assert [e.note for e in refused] == [code]


@pytest.mark.parametrize(
    ("answer", "joins"),
    [
        ("si es ese mismo", True),
        ("es el mismo hueco", True),
        ("sí, sumame", True),
        ("yeah same one", True),
        ("no es otro", False),
        ("nope different one", False),
        ("no, no es el mismo", False),
        ("no sé si es el mismo", None),
        ("no se", None),
    ],
)
async def test_free_text_answers(
    answer: str,
    joins: bool | None,
    citizen: Callable[..., Citizen],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await file_at(citizen("web-first-5f3c9d27e1"))
    second = citizen("web-second-5f3c9d27e1")
    await second.says("hay un bache enorme", location=north(20))
    await second.says("omitir")
    await second.says(answer)
    async with sessions() as session:
        supporters = (await session.scalars(select(CaseSupporter))).all()
    assert bool(supporters) == bool(joins), second.text
    assert ("¿Lo confirmo?" in second.text or "Shall I confirm?" in second.text) == (joins is False)
    assert ("sumarte" in second.text) == (joins is None)  # neither: asked again


async def test_several_nearby_are_choices_and_a_number_picks_one_on_sms(
    citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    await file_at(citizen("web-first-5f3c9d27e1"), north(0))
    far = await file_at(citizen("web-other-5f3c9d27e1"), north(60))
    sms = citizen("+573001112233", "sms")
    await sms.says("hay un bache enorme", location=north(25))
    await sms.says("omitir")
    assert sms.buttons == ["Sumarme al 1", "Sumarme al 2", "No, es otro"]
    assert "1. a 25 m" in sms.text and "2. a 35 m" in sms.text
    joined = await sms.says("2")
    assert far in joined[0].text


async def test_a_place_in_words_matches_only_the_same_place(
    citizen: Callable[..., Citizen],
) -> None:
    first = citizen("web-first-5f3c9d27e1")
    await first.says("hay un bache enorme en la Calle 45 con Carrera 27")
    await first.says("omitir")
    await first.says("si")
    same = citizen("web-second-5f3c9d27e1")
    await same.says("hay un bache enorme en la cll 45 con kra 27")
    await same.says("omitir")
    assert "en cll 45 con kra 27" in same.text and "¿Es el mismo?" in same.text  # in their own words
    other = citizen("web-third-5f3c9d27e1")
    await other.says("hay un bache enorme en la cll 45 con kra 29")
    await other.says("omitir")
    assert "¿Es el mismo?" not in other.text


async def test_a_sensitive_service_is_never_offered(
    citizen: Callable[..., Citizen], scripted: object
) -> None:
    from tests.support.scripted import ScriptedClassifier

    assert isinstance(scripted, ScriptedClassifier)
    scripted.rules.insert(0, (r"ruido|musica", "report_noise", 0.95))
    first = citizen("web-first-5f3c9d27e1")
    await first.says("hay musica a todo volumen toda la noche", location=north(0))
    await first.says("si")
    second = citizen("web-second-5f3c9d27e1")
    await second.says("hay musica a todo volumen toda la noche", location=north(5))
    assert "¿Es el mismo?" not in second.text and "¿Lo confirmo?" in second.text


async def test_a_supporter_folded_into_another_citizen_keeps_what_they_joined(
    citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    from storage.citizens import merge_citizens
    from storage.models import Citizen as CitizenRow

    code = await file_at(citizen("web-first-5f3c9d27e1"))
    for address in ("web-second-5f3c9d27e1", "web-third-5f3c9d27e1"):
        person = citizen(address)
        await person.says("hay un bache enorme", location=north(20))
        await person.says("omitir")
        await person.presses("Sí, sumarme")
    async with sessions() as session, session.begin():
        rows = (await session.scalars(select(CaseSupporter).order_by(CaseSupporter.id))).all()
        source = await session.get(CitizenRow, rows[0].citizen_id)
        target = await session.get(CitizenRow, rows[1].citizen_id)
        assert source is not None and target is not None
        await merge_citizens(session, source, target)
    async with sessions() as session:
        left = (await session.scalars(select(CaseSupporter))).all()
        case = await session.scalar(select(Case).where(Case.code == code))
    assert case is not None and [(s.case_id, s.citizen_id) for s in left] == [(case.id, rows[1].citizen_id)]


async def test_a_question_in_between_asks_the_same_again_in_the_new_language(
    citizen: Callable[..., Citizen],
) -> None:
    await file_at(citizen("web-first-5f3c9d27e1"))
    second = citizen("web-second-5f3c9d27e1")
    await second.says("hay un bache enorme", location=north(20))
    await second.says("omitir")
    await second.says("can you answer in English")
    assert "Is it the same one?" in second.text and second.buttons == ["Yes, join it", "No, it's another"]
    joined = await second.says("yes")
    assert "You've joined report" in joined[-1].text


def test_only_the_street_of_a_neighbours_place_is_told() -> None:
    from bot.joining import street_of

    assert street_of("frente a mi casa en la calle 45 con carrera 27, apto 301") == "calle 45 con carrera 27"
    assert street_of("Av. Corrientes 1234 piso 3 depto B") == "Av. Corrientes 1234"
    assert street_of("detrás de la casa de doña Rosa") is None
    assert street_of(None) is None
