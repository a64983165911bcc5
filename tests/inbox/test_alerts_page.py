"""The alerts page: a supervisor writes a notice, sees whom it reaches, confirms, and it is queued and
audited; agents, a department's supervisor, a forged form and a too-long text queue nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import AuditEvent, ChannelIdentity, Delivery, Subscription
from tests.inbox.conftest import Client, Staff, web_chat

NORTE = {"topic": "avisos_agua", "area": "norte", "text_es": "Mañana no hay agua de 8 a 14 h.", "text_en": ""}


async def opted_in(
    client: Client, sessions: async_sessionmaker[AsyncSession], sender: str, area: str | None
) -> int:
    """A web chat citizen opted into water alerts (the topics part's dialogue writes this row)."""
    await web_chat(client, sender, "hola")
    async with sessions() as session, session.begin():
        identity = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.address == sender))
        assert identity is not None
        session.add(
            Subscription(
                citizen_id=identity.citizen_id, topic="avisos_agua", area=area, channel="rest", shown="…"
            )
        )
        return identity.citizen_id


async def deliveries(sessions: async_sessionmaker[AsyncSession]) -> list[int | None]:
    async with sessions() as session:
        return sorted((await session.scalars(select(Delivery.citizen_id))).all(), key=str)


async def test_a_supervisor_previews_confirms_and_the_alert_is_queued_and_audited(
    client: Client, supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    north = await opted_in(client, sessions, "web-norte-4b1c9e2d7a", "norte")
    city = await opted_in(client, sessions, "web-ciudad-8d2e6f1a3b", None)
    await opted_in(client, sessions, "web-sur-2a7c5e9b1d", "sur")
    page = await supervisor.page("/inbox/alerts")
    assert "Avisos de cortes de agua" in page and "Todavía no se ha enviado nada" in page

    preview = await supervisor.post("/inbox/alerts/preview", NORTE)
    shown = await preview.text()
    assert preview.status == 200
    assert "Llegará a 2 personas." in shown
    assert "📢 Aviso de la ciudad — Avisos de cortes de agua, Norte: Mañana no hay agua de 8 a 14 h." in shown
    assert await deliveries(sessions) == []  # a preview queues nothing

    sent = await supervisor.post("/inbox/alerts", NORTE)
    assert sent.status == 303 and "done=alert_queued" in sent.headers["Location"]
    assert await deliveries(sessions) == sorted([north, city], key=str)
    async with sessions() as session:
        event = await session.scalar(select(AuditEvent).where(AuditEvent.action == "alert_sent"))
    assert event is not None and event.actor == "sara" and event.to_value == "avisos_agua/norte"
    assert event.detail is not None and event.detail["queued"] == 2
    listed = await supervisor.page("/inbox/alerts")
    assert "Mañana no hay agua de 8 a 14 h." in listed
    assert 'data-status="queued">2 en cola' in listed or 'data-status="sent">2 enviados' in listed


async def test_agents_and_a_departments_supervisor_get_403_and_queue_nothing(
    client: Client,
    agent: Staff,
    add_staff: Callable[..., Awaitable[int]],
    browser: Callable[[], Staff],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await opted_in(client, sessions, "web-norte-4b1c9e2d7a", "norte")
    await add_staff("teo", "supervisor", departments=["public_works"])
    teo = browser()
    assert (await teo.log_in("teo")).status == 303
    for someone in (agent, teo):
        assert (await someone.get("/inbox/alerts")).status == 403
        assert (await someone.post("/inbox/alerts/preview", NORTE)).status == 403
        assert (await someone.post("/inbox/alerts", NORTE)).status == 403
    assert await deliveries(sessions) == []


async def test_a_form_without_its_csrf_token_queues_nothing(
    client: Client, supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await opted_in(client, sessions, "web-norte-4b1c9e2d7a", "norte")
    forged = await supervisor.post("/inbox/alerts", NORTE, csrf=False)
    assert 400 <= forged.status < 500
    assert await deliveries(sessions) == []


async def test_a_text_too_long_says_so_keeps_the_text_and_queues_nothing(
    client: Client, supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await opted_in(client, sessions, "web-norte-4b1c9e2d7a", "norte")
    long = {**NORTE, "text_es": "Corte de agua programado. " * 13}  # 337 characters, once trimmed
    for path in ("/inbox/alerts/preview", "/inbox/alerts"):  # a confirm forged past the preview too
        refused = await supervisor.post(path, long)
        page = await refused.text()
        assert refused.status == 400
        assert "El texto (es) tiene 337 caracteres; el máximo es 320. No se envió nada." in page
        assert "Corte de agua programado. Corte" in page  # what was typed is still there to shorten
    assert await deliveries(sessions) == []
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "alert_sent")) == 0  # fmt: skip


async def test_what_the_supervisor_typed_is_escaped_in_the_preview_and_the_list(
    client: Client, supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await opted_in(client, sessions, "web-norte-4b1c9e2d7a", "norte")
    typed = {**NORTE, "text_es": '<script>alert("x")</script> agua'}
    preview = await (await supervisor.post("/inbox/alerts/preview", typed)).text()
    assert "<script>alert" not in preview and "&lt;script&gt;" in preview
    assert (await supervisor.post("/inbox/alerts", typed)).status == 303
    listed = await supervisor.page("/inbox/alerts")
    assert "<script>alert" not in listed and "&lt;script&gt;" in listed


async def test_a_forged_topic_is_refused_and_an_area_means_nothing_for_a_city_wide_topic(
    client: Client, supervisor: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await opted_in(client, sessions, "web-norte-4b1c9e2d7a", "norte")
    forged = await supervisor.post("/inbox/alerts", {**NORTE, "topic": "todos_los_vecinos"})
    assert forged.status == 400 and "Ese tema no existe." in await forged.text()
    assert await deliveries(sessions) == []
    sent = await supervisor.post("/inbox/alerts", {**NORTE, "topic": "encuestas", "area": "norte"})
    assert sent.status == 303  # encuestas is not by area: the area is dropped, not an error
    async with sessions() as session:
        event = await session.scalar(select(AuditEvent).where(AuditEvent.action == "alert_sent"))
    assert event is not None and event.to_value == "encuestas/*"
