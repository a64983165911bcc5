"""Calls and visits staff record (issue 18): on a profile or for a caller by number, on the one timeline,
with a case on the citizen's behalf; every mistake answered with the form again, nothing lost."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from inbox.contact_form import FIELDS
from storage.models import (
    AuditEvent,
    Case,
    ChannelIdentity,
    Citizen,
    Conversation,
    Message,
    OutboxItem,
    utcnow,
)
from tests.inbox.conftest import Client, Staff
from tests.inbox.test_cases import file_a_case
from tests.inbox.test_citizens import citizen_id
from tests.support.conversation import Citizen as Person

CALL = {"channel": "phone", "at": "", "summary": "Pregunta por el horario de la oficina de catastro."}


async def count(sessions: async_sessionmaker[AsyncSession], table: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


def local(settings: Settings, ago: timedelta) -> str:
    """A datetime-local field's value, `ago` before now on the city's clock."""
    return (utcnow() - ago).astimezone(settings.city.zone).strftime("%Y-%m-%dT%H:%M")


async def test_a_visit_on_the_profile_goes_on_the_timeline_with_its_time_and_who_recorded_it(
    client: Client,
    agent: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    await citizen("+573001112233", "sms").says("hola, buenas")
    person = await citizen_id(sessions, "sms", "+573001112233")
    page = await agent.page(f"/inbox/citizens/{person}")
    assert f'action="/inbox/citizens/{person}/contacts"' in page and "Presencial" in page
    two_hours_ago, queued = local(settings, timedelta(hours=2)), await count(sessions, OutboxItem)
    response = await agent.post(f"/inbox/citizens/{person}/contacts", {
        "channel": "in_person", "at": two_hours_ago,
        "summary": "Vino a la ventanilla a preguntar por su reclamo del agua; se le explicó el trámite.",
    })  # fmt: skip
    assert response.status == 303 and "done=contact_recorded" in response.headers["Location"]
    page = await agent.page(f"/inbox/citizens/{person}")
    timeline = page[page.index('id="timeline"') :]
    assert "Registrado por ana" in timeline and "Presencial" in timeline and "se le explicó" in timeline
    async with sessions() as session:
        visit = await session.scalar(select(Message).where(Message.channel == "in_person"))
        audited = await session.scalar(select(AuditEvent).where(AuditEvent.action == "contact.in_person"))
        conversation = await session.scalar(select(Conversation).where(Conversation.citizen_id == person))
    assert visit is not None and (visit.direction, visit.author, visit.citizen_id) == ("in", "staff", person)
    assert abs(visit.created_at - (utcnow() - timedelta(hours=2))) < timedelta(minutes=2)  # the city's clock
    assert audited is not None and audited.actor == "ana" and audited.target_id == str(person)
    # Replies still go where the citizen chats: a visit is not a channel to answer on.
    assert conversation is not None and conversation.last_channel == "sms"
    assert await count(sessions, OutboxItem) == queued  # a visit without a case sends nothing


@pytest.mark.parametrize("typed", ["+57 300 111 2233", "300 111 2233", "(300) 111-2233"])
async def test_a_caller_is_found_by_the_number_they_write_from_however_it_is_typed(
    typed: str,
    client: Client,
    agent: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await citizen("+573001112233", "whatsapp").says("hola")
    response = await agent.post("/inbox/contacts/new", {"phone": typed, **CALL})
    assert response.status == 303
    person = await citizen_id(sessions, "whatsapp", "+573001112233")
    assert response.headers["Location"].startswith(f"/inbox/citizens/{person}?")
    assert await count(sessions, Citizen) == 1
    async with sessions() as session:
        call = await session.scalar(select(Message).where(Message.channel == "phone"))
    assert call is not None and call.citizen_id == person and call.address == "+573001112233"


async def test_a_new_caller_gets_an_sms_identity_and_later_sms_joins_their_history(
    client: Client, agent: Staff, citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    response = await agent.post("/inbox/contacts/new", {"phone": "3009998877", "name": "Don Aurelio", **CALL})
    assert response.status == 303
    await citizen("+573009998877", "sms").says("buenas, soy yo el de la llamada")
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Citizen)) == 1
        found = await session.scalar(select(Citizen))
        identities = (await session.scalars(select(ChannelIdentity.channel))).all()
    assert found is not None and (found.display_name, found.phone_e164) == ("Don Aurelio", "+573009998877")
    assert identities == ["sms"]


async def test_a_visitor_without_a_phone_is_known_by_name_and_their_case_is_filed_in_person(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    response = await agent.post("/inbox/contacts/new", {
        "name": "Rosa Elvira", "channel": "in_person", "at": "", "summary": "Trae fotos de un árbol caído",
        "service": "tree", "description": "Árbol caído sobre el andén", "place": "Parque Santander",
    })  # fmt: skip
    assert response.status == 303 and "done=contact_recorded_case" in response.headers["Location"]
    async with sessions() as session:
        case = await session.scalar(select(Case))
        found = await session.scalar(select(Citizen))
        identities = await session.scalar(select(func.count()).select_from(ChannelIdentity))
    assert case is not None and (case.channel, case.service_code, case.citizen_id) == (
        "in_person", "tree", found.id if found else None,
    )  # fmt: skip
    assert found is not None and found.display_name == "Rosa Elvira" and found.phone_e164 is None
    assert identities == 0 and await count(sessions, OutboxItem) == 0  # nobody to write to: nothing sent
    page = await agent.page(f"/inbox/citizens/{found.id}")
    assert case.code in page and "Presencial" in page and "Trae fotos" in page


BAD: list[tuple[dict[str, str], str]] = [
    ({"phone": "12", **CALL}, "Ese teléfono no es válido."),
    ({**CALL}, "Escribe un teléfono o un nombre."),
    ({"name": "Rosa", **CALL, "summary": "   "}, "Escribe un resumen."),
    ({"name": "Rosa", **CALL, "channel": "telegram"}, "Elige llamada o presencial."),
    ({"name": "Rosa", **CALL, "at": "2099-01-01T10:00"}, "no pueden ser futuras"),
    ({"name": "Rosa", **CALL, "at": "2026-13-45T99:00"}, "no son válidas"),
    ({"name": "Rosa", **CALL, "at": "1999-01-01T10:00"}, "hace más de un año"),
    ({"name": "Rosa", **CALL, "summary": "x" * 4001}, "demasiado largo"),
    ({"name": "Rosa", **CALL, "service": "potholes'--"}, "Ese servicio no existe."),
    ({"name": "Rosa", **CALL, "service": "pothole", "description": ""}, "Describe el problema"),
]


@pytest.mark.parametrize(("form", "error"), BAD)
async def test_a_mistake_gets_the_form_again_with_what_was_typed_and_nothing_is_stored(
    form: dict[str, str],
    error: str,
    client: Client,
    agent: Staff,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    response = await agent.post("/inbox/contacts/new", {**form, "place": "frente a la iglesia"})
    assert response.status == 400
    page = await response.text()
    assert error in page and "frente a la iglesia" in page
    if form.get("name"):
        assert 'value="Rosa"' in page
    assert await count(sessions, Citizen) == 0 and await count(sessions, Message) == 0


async def test_a_mistake_on_the_profile_shows_the_profile_again_with_the_summary_kept(
    client: Client, agent: Staff, citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    await citizen("+573001112233", "sms").says("hola")
    person = await citizen_id(sessions, "sms", "+573001112233")
    form = {**CALL, "summary": "Llamó muy molesta por la basura", "at": "2099-01-01T00:00"}
    response = await agent.post(f"/inbox/citizens/{person}/contacts", form)
    assert response.status == 400
    page = await response.text()
    assert "no pueden ser futuras" in page and "Llamó muy molesta por la basura</textarea>" in page
    assert 'id="timeline"' in page  # the whole profile, not a bare error
    async with sessions() as session:
        assert await session.scalar(select(func.count()).where(Message.channel == "phone")) == 0


async def test_without_the_csrf_token_or_logged_out_nothing_is_recorded(
    client: Client, agent: Staff, browser: Callable[[], Staff], sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert (await agent.post("/inbox/contacts/new", {"name": "Rosa", **CALL}, csrf=False)).status == 403
    stranger = browser()
    response = await stranger.post("/inbox/contacts/new", {"name": "Rosa", **CALL}, csrf=False)
    assert response.status in (303, 403) and await count(sessions, Citizen) == 0
    assert (await stranger.get("/inbox/contacts/new")).status == 303  # to the login page


async def test_what_staff_type_is_shown_as_text_never_run(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    attack = {"name": "<img src=x onerror=alert(1)>", **CALL, "summary": "<script>alert('x')</script>"}
    response = await agent.post("/inbox/contacts/new", attack)
    page = await agent.page(response.headers["Location"].split("?")[0])
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page


async def test_an_agent_of_another_department_records_on_the_one_history_but_sees_nothing_of_it(
    client: Client,
    agent: Staff,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await file_a_case(citizen("+573001112233", "sms"))  # a pothole: public works
    person = await citizen_id(sessions, "sms", "+573001112233")
    await add_staff("wilson", "agent", "water", departments=["water"])
    wilson = browser()
    assert (await wilson.log_in("wilson")).status == 303
    response = await wilson.post("/inbox/contacts/new", {"phone": "3001112233", **CALL})
    assert response.headers["Location"] == "/inbox/contacts/new?done=contact_recorded_elsewhere"
    assert (await wilson.get(f"/inbox/citizens/{person}")).status == 404
    assert (await wilson.post(f"/inbox/citizens/{person}/contacts", CALL)).status == 404
    assert await count(sessions, Citizen) == 1
    async with sessions() as session:
        calls = (await session.scalars(select(Message.citizen_id).where(Message.channel == "phone"))).all()
    assert calls == [person]  # one, from the first post: the refused one stored nothing


async def test_an_unknown_citizen_is_not_found(client: Client, agent: Staff) -> None:
    assert (await agent.post("/inbox/citizens/424242/contacts", CALL)).status == 404


async def test_a_call_recorded_at_the_forms_default_time_comes_after_what_was_said_that_minute(
    client: Client,
    agent: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    await citizen("+573001112233", "sms").says("buenas, una pregunta")
    person = await citizen_id(sessions, "sms", "+573001112233")
    before = local(settings, timedelta(0))
    page = await agent.page(f"/inbox/citizens/{person}")
    after = local(settings, timedelta(0))  # the same minute, unless the clock turned one meanwhile
    [shown] = {t for t in (before, after) if f'value="{t}" max="{t}"' in page}  # now, and never later
    await agent.post(f"/inbox/citizens/{person}/contacts", {**CALL, "at": shown})
    page = await agent.page(f"/inbox/citizens/{person}")
    assert page.index("buenas, una pregunta") < page.index("Registrado por ana")


async def test_any_form_gets_a_recorded_contact_or_the_form_again_never_a_server_error(
    client: Client, agent: Staff, citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    await citizen("+573001112233", "sms").says("hola")
    person = await citizen_id(sessions, "sms", "+573001112233")
    pick = random.Random(18)
    values = ["", " ", "phone", "in_person", "pothole", "x" * 5000, "\x00", "ñandú 🦆", "<b>", "' OR 1=1 --",
              "2026-12-06T10:00", "9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30T10:00", "+573001112233",
              "300 111 2233", "+0", "1e9", "{{ 7*7 }}", "../../etc/passwd"]  # fmt: skip
    for n in range(60):
        form = {field: pick.choice(values) for field in FIELDS if pick.random() < 0.7}
        path = "/inbox/contacts/new" if n % 2 else f"/inbox/citizens/{person}/contacts"
        response = await agent.post(path, form)
        assert response.status in (303, 400), (form, response.status)
