"""Citizens: the profile, preferential attention, and merging two records of one person."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import AuditEvent, Case, ChannelIdentity, Citizen, Conversation, Message
from storage.preferential import PREFERENTIAL_PRIORITY
from tests.inbox.conftest import Client, Staff
from tests.inbox.test_cases import file_a_case
from tests.support.conversation import Citizen as Person


async def citizen_id(sessions: async_sessionmaker[AsyncSession], channel: str, address: str) -> int:
    async with sessions() as session:
        found = await session.scalar(
            select(ChannelIdentity.citizen_id).where(
                ChannelIdentity.channel == channel, ChannelIdentity.address == address
            )
        )
    assert found is not None
    return found


async def test_profile_shows_identities_cases_and_history(
    client: Client, agent: Staff, citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    code = await file_a_case(citizen("+573001112233", "sms"))
    page = await agent.page(f"/inbox/citizens/{await citizen_id(sessions, 'sms', '+573001112233')}")
    assert "+573001112233" in page and "SMS" in page and code in page
    assert "hay un bache enorme frente al colegio" in page
    assert "Unir ciudadanos" not in page  # merging is for supervisors
    assert (await agent.get("/inbox/citizens/424242")).status == 404


async def test_preferential_attention_raises_the_open_cases_and_is_audited(
    client: Client, agent: Staff, citizen: Callable[..., Person], sessions: async_sessionmaker[AsyncSession]
) -> None:
    await file_a_case(citizen("web-1-5f3c9d27e1"))
    person = await citizen_id(sessions, "rest", "web-1-5f3c9d27e1")
    here = f"/inbox/citizens/{person}"
    missing = await agent.post(f"{here}/preferential", {"kind": "elderly", "reason": ""})
    assert missing.headers["Location"].endswith("done=reason_needed")
    assert (
        (await agent.post(f"{here}/preferential", {"kind": "vip", "reason": "x"}))
        .headers["Location"]
        .endswith("done=bad_kind")
    )
    done = await agent.post(f"{here}/preferential", {"kind": "elderly", "reason": "82 años, vive sola"})
    assert done.headers["Location"].endswith("done=preferential_set")
    async with sessions() as session:
        found = await session.get(Citizen, person)
        priority = await session.scalar(select(Case.priority))
    assert found is not None and (found.preferential, found.preferential_reason) == (
        "elderly",
        "82 años, vive sola",
    )
    assert priority == PREFERENTIAL_PRIORITY
    assert "82 años, vive sola" in await agent.page(here)
    await agent.post(f"{here}/preferential", {"kind": "", "reason": ""})
    async with sessions() as session:
        found = await session.get(Citizen, person)
        priority = await session.scalar(select(Case.priority))
        audit = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "citizen.preferential"))
        ).all()
    assert found is not None and found.preferential is None and priority == 0
    assert [(a.from_value, a.to_value) for a in audit] == [(None, "elderly"), ("elderly", None)]


async def test_merge_moves_everything_in_one_transaction_and_is_audited(
    client: Client,
    supervisor: Staff,
    citizen: Callable[..., Person],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    code = await file_a_case(citizen("+573001112233", "sms"))
    on_web = citizen("web-77-5f3c9d27e1")
    await on_web.says("hola")
    await on_web.says("humano")  # the second record is waiting for a person
    keep = await citizen_id(sessions, "sms", "+573001112233")
    fold = await citizen_id(sessions, "rest", "web-77-5f3c9d27e1")
    here = f"/inbox/citizens/{keep}"
    assert "Unir ciudadanos" in await supervisor.page(here)
    unconfirmed = await supervisor.post(f"{here}/merge", {"source_id": str(fold)})
    assert unconfirmed.headers["Location"].endswith("done=confirm_merge")
    assert (
        (await supervisor.post(f"{here}/merge", {"source_id": str(keep), "confirm": "1"}))
        .headers["Location"]
        .endswith("done=same_citizen")
    )
    assert (
        (await supervisor.post(f"{here}/merge", {"source_id": "999999", "confirm": "1"}))
        .headers["Location"]
        .endswith("done=no_such_citizen")
    )
    done = await supervisor.post(f"{here}/merge", {"source_id": f"#{fold}", "confirm": "1"})
    assert done.headers["Location"].endswith("done=merged")
    async with sessions() as session:
        assert await session.get(Citizen, fold) is None
        identities = (
            await session.scalars(select(ChannelIdentity.channel).order_by(ChannelIdentity.id))
        ).all()
        owners = set((await session.scalars(select(Message.citizen_id))).all())
        conversation = await session.scalar(select(Conversation))
        conversations = await session.scalar(select(func.count()).select_from(Conversation))
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "citizen.merge"))
    assert identities == ["sms", "rest"] and owners == {keep} and conversations == 1
    assert conversation is not None and conversation.holder == "waiting"  # kept its place in the queue
    assert conversation.last_channel == "rest"  # the channel written on last
    assert audit is not None and audit.actor == "sara"
    assert (audit.from_value, audit.to_value) == (f"citizen:{fold}", f"citizen:{keep}")
    assert audit.detail == {"identities": ["rest:web-77-5f3c9d27e1"], "cases": []}
    page = await supervisor.page(here)
    assert code in page and "web-77-5f3c9d27e1" in page
