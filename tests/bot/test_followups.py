""" "Was it fixed?": scheduled on closing, sent when due (a clock passed in), answered in the citizen's words;
on SQLite and PostgreSQL, with the real built-in classifier."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.followups import Sending, schedule, send_due
from bot.pipeline import Pipeline
from bot.settings import Settings
from connectors.open311.documents import public_request
from nlu.base import Classifier
from storage.cases import add_case_event
from storage.models import (
    AuditEvent,
    Case,
    CaseEvent,
    ChannelIdentity,
    Conversation,
    Direction,
    FollowUp,
    FollowUpStatus,
    Holder,
    Message,
    utcnow,
)
from storage.reports import overdue_open_cases
from tests.support.conversation import Citizen
from tests.support.followups import PLACE, case_of, days_later, followups, set_status, the_case


@pytest.fixture
def ana(make_pipeline: Callable[[Classifier], Pipeline], builtin_classifier: Classifier) -> Citizen:
    return Citizen(make_pipeline(builtin_classifier), "web-ana-5f3c9d27e1", "rest")


async def resolved(ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> str:
    await ana.says("hola")
    code = await case_of(ana, sessions, settings)
    await set_status(sessions, settings, code, "resolved")
    return code


async def asked(sessions: async_sessionmaker[AsyncSession]) -> Message:
    """The last thing the city wrote to the citizen on its own (what the web chat's poll would fetch)."""
    async with sessions() as session:
        found = await session.scalar(
            select(Message)
            .where(Message.direction == Direction.OUT, Message.author == "system")
            .order_by(Message.id.desc())
        )
        assert found is not None
        return found


async def history(sessions: async_sessionmaker[AsyncSession], kind: str = "followup") -> list[CaseEvent]:
    async with sessions() as session:
        return list(
            (
                await session.scalars(select(CaseEvent).where(CaseEvent.kind == kind).order_by(CaseEvent.id))
            ).all()
        )


async def test_resolving_schedules_one_followup_after_the_services_days(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    [followup] = await followups(sessions)
    case = await the_case(sessions, code)
    assert (followup.kind, followup.status, followup.citizen_id) == ("fixed", "scheduled", case.citizen_id)
    assert abs(followup.due_at - (case.updated_at + timedelta(days=3))) < timedelta(seconds=5)
    # Undone and done again before it was asked: still one question.
    await set_status(sessions, settings, code, "in_progress")
    await set_status(sessions, settings, code, "resolved")
    assert len(await followups(sessions)) == 1
    # Nothing is due yet; at the due time, it is asked.
    assert (await send_due(sessions, settings, days_later(2))).counts["sent"] == 0
    assert (await send_due(sessions, settings, days_later(3.01))).counts["sent"] == 1
    assert (await send_due(sessions, settings, days_later(3.02))).counts["sent"] == 0  # never twice


async def test_a_service_may_ask_sooner(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await ana.says("hola")
    code = await case_of(ana, sessions, settings)
    async with sessions() as session, session.begin():
        case = await session.scalar(select(Case).where(Case.code == code))
        assert case is not None
        case.service_code = "streetlight"  # config.yml: followup: {after_days: 1}
    await set_status(sessions, settings, code, "resolved")
    [followup] = await followups(sessions)
    assert abs(followup.due_at - days_later(1)) < timedelta(seconds=5)


async def test_the_question_names_the_case_and_yes_closes_it_then_rating_and_comment(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    await send_due(sessions, settings, days_later(3.1))
    question = await asked(sessions)
    assert (
        question.text
        == f"Tu reporte {code} (bache o hueco en la vía, {PLACE}) figura como resuelto. ¿Lo arreglaron?"
    )
    assert [b["title"] for b in question.buttons or ()] == ["Sí", "No", "No sé"]
    assert question.delivery_status == "pending"  # the web chat's poll fetches it
    said = "\n".join(r.text for r in await ana.says("si ya lo arreglaron"))
    assert "1" in said and "5" in said
    case = await the_case(sessions, code)
    assert case.status == "closed" and case.closed_at is not None
    await ana.says("un 4")
    assert "Omitir" in ana.buttons
    await ana.says("muy rápidos, gracias")
    [followup] = await followups(sessions)
    assert (followup.status, followup.answer, followup.moved_case) == ("answered", "yes", True)
    assert (followup.rating, followup.comment) == (4, "muy rápidos, gracias")
    async with sessions() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.to_value == "closed"))
    assert audit is not None and audit.actor == "citizen"


@pytest.mark.parametrize(
    "answer", ["nop sigue igual", "no todavia esta el hueco", "no, sigue igual", "still there, not fixed"]
)
async def test_no_with_a_reason_reopens_in_the_same_department_with_a_new_clock(
    answer: str, ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    before = await the_case(sessions, code)
    await send_due(sessions, settings, days_later(3.1))
    said = ana.text if await ana.says(answer) else ""
    assert f"Reabrí tu reporte {code}" in said or f"I reopened your report {code}" in said
    case = await the_case(sessions, code)
    assert (case.status, case.reopened_count, case.department) == ("reopened", 1, before.department)
    assert case.sla_started_at is not None and case.sla_started_at > before.updated_at
    reopened = [e for e in await history(sessions, "status") if e.to_value == "reopened"]
    assert reopened[0].note == answer and reopened[0].actor == "citizen"


async def test_a_bare_no_asks_why_and_a_photo_is_kept(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    await send_due(sessions, settings, days_later(3.1))
    await ana.says("/deny")  # the "No" button
    assert "qué pasa" in ana.text and (await the_case(sessions, code)).status == "resolved"
    await ana.says("", photo="/media/" + "a" * 32 + ".jpg")
    assert "Escribe" in ana.text
    await ana.says("el hueco está más grande")
    case = await the_case(sessions, code)
    assert (
        case.status == "reopened" and case.attachments and case.attachments[-1]["url"].startswith("/media/")
    )


async def test_dont_know_is_asked_once_more_then_taken_as_the_answer(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    await send_due(sessions, settings, days_later(3.1))
    await ana.says("ni idea, no he pasado por ahí")
    [followup] = await followups(sessions)
    assert followup.status == "scheduled" and followup.due_at > utcnow() + timedelta(days=1.9)
    assert (await send_due(sessions, settings, days_later(1))).counts["sent"] == 0
    assert (await send_due(sessions, settings, days_later(2.1))).counts["sent"] == 1
    await ana.says("3")  # "No sé", by its number
    [followup] = await followups(sessions)
    assert (followup.status, followup.answer, followup.asked) == ("answered", "unknown", 2)
    assert code in ana.text and (await the_case(sessions, code)).status == "resolved"
    assert (await send_due(sessions, settings, days_later(30))).counts["sent"] == 0  # only once more


async def test_an_answer_after_staff_changed_the_case_is_recorded_but_moves_nothing(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    await send_due(sessions, settings, days_later(3.1))
    await set_status(sessions, settings, code, "in_progress")
    await ana.says("no, sigue igual")
    [followup] = await followups(sessions)
    assert (followup.answer, followup.moved_case, followup.reason) == ("no", False, "no, sigue igual")
    assert (await the_case(sessions, code)).status == "in_progress"
    assert [e.to_value for e in await history(sessions)][-1] == "answer_stale_no"


async def test_an_answer_after_the_window_is_too_late_and_offers_a_new_report(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    await send_due(sessions, settings, utcnow() + timedelta(days=3) - timedelta(days=20))  # asked 20 days ago
    [followup] = await followups(sessions)
    assert followup.status == "scheduled"  # not due then: due 3 days after it was resolved
    async with sessions() as session, session.begin():
        row = await session.get(type(followup), followup.id)
        assert row is not None
        row.due_at = utcnow() - timedelta(days=20)
    await send_due(sessions, settings, utcnow() - timedelta(days=20))
    assert (await send_due(sessions, settings)).counts["expired"] == 1
    await ana.says("no, sigue igual")
    assert "plazo" in ana.text and "Reportarlo de nuevo" in ana.buttons
    assert (await the_case(sessions, code)).status == "resolved"
    [followup] = await followups(sessions)
    assert followup.status == "expired" and followup.answer is None


async def test_rejected_gets_only_the_satisfaction_question_with_the_reason(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await ana.says("hola")
    code = await case_of(ana, sessions, settings)
    await set_status(sessions, settings, code, "rejected", note="la vía es nacional, no del municipio")
    [followup] = await followups(sessions)
    assert followup.kind == "satisfaction"
    await send_due(sessions, settings, days_later(3.1))
    question = await asked(sessions)
    assert code in question.text and "no procede" in question.text
    assert "la vía es nacional, no del municipio" in question.text and "¿Lo arreglaron?" not in question.text
    await ana.says("2")
    await ana.presses("Omitir")
    [followup] = await followups(sessions)
    assert (followup.status, followup.rating, followup.answer) == ("answered", 2, None)
    assert (await the_case(sessions, code)).status == "rejected"


async def test_an_opted_out_citizen_gets_nothing_and_the_history_says_why(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await resolved(ana, sessions, settings)
    async with sessions() as session, session.begin():
        identity = await session.scalar(select(ChannelIdentity))
        assert identity is not None
        identity.opted_out = True
    assert (await send_due(sessions, settings, days_later(3.1))).counts["not_sent"] == 1
    [followup] = await followups(sessions)
    assert (followup.status, followup.note) == (FollowUpStatus.NOT_SENT, "opted_out")
    assert [e.to_value for e in await history(sessions)] == ["not_sent_opted_out"]


async def due_now(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        for followup in (await session.scalars(select(FollowUp))).all():
            followup.due_at = utcnow() - timedelta(minutes=1)


async def test_it_waits_while_a_report_is_being_filed_or_a_person_holds_the_conversation(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    await due_now(sessions)
    await ana.says("ahora hay basura tirada en la esquina")  # another report, half filed
    assert (await send_due(sessions, settings)).counts["waiting"] == 1
    await ana.says("cancelar")
    async with sessions() as session, session.begin():
        conversation = await session.scalar(select(Conversation))
        assert conversation is not None
        conversation.holder = Holder.STAFF
    assert (await send_due(sessions, settings)).counts["waiting"] == 1
    async with sessions() as session, session.begin():
        conversation = await session.scalar(select(Conversation))
        assert conversation is not None
        conversation.holder = Holder.BOT
    assert (await send_due(sessions, settings)).counts["sent"] == 1
    assert code in (await asked(sessions)).text


async def test_a_report_left_half_filed_for_days_lapses_when_the_question_is_asked(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    await ana.says("ahora hay basura tirada en la esquina")  # and then nothing for days
    assert (await send_due(sessions, settings, days_later(3.1))).counts["sent"] == 1
    await ana.says("si")  # the follow-up's yes, not the forgotten report's
    assert (await the_case(sessions, code)).status == "closed"


async def test_past_the_reopenings_allowed_it_goes_to_a_supervisor(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    for _ in range(2):
        await send_due(sessions, settings, days_later(3.1))
        await ana.says("no, sigue igual")
        await set_status(sessions, settings, code, "resolved")
    assert (await the_case(sessions, code)).reopened_count == 2
    await send_due(sessions, settings, days_later(3.1))
    await ana.says("nop, otra vez el mismo hueco")
    case = await the_case(sessions, code)
    assert (case.status, case.reopened_count) == ("resolved", 2)
    assert "supervisor" in ana.text
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None and conversation.holder == Holder.WAITING
    assert conversation.handoff_reason == "reopened_again"
    assert [e.to_value for e in await history(sessions)][-1] == "escalated"


async def test_a_reopened_case_reads_as_open_through_open311(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    await send_due(sessions, settings, days_later(3.1))
    await ana.says("no, sigue igual")
    case = await the_case(sessions, code)
    document = public_request(case, settings, "es")
    assert (case.status, document["status"], document["status_notes"]) == ("reopened", "open", "reabierto")
    assert document["expected_datetime"] > document["requested_datetime"]  # from the reopening


async def test_a_repeated_close_event_schedules_one_followup(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    [first] = await followups(sessions)
    async with sessions() as session, session.begin():
        case = await session.scalar(select(Case).where(Case.code == code))
        event = await session.get(CaseEvent, first.closing_event_id)
        assert case is not None and event is not None
        assert await schedule(session, settings, case, event) is None  # the same event again
        again = await add_case_event(
            session, case, "status", actor="staff", from_value="in_progress", to_value="resolved"
        )
        assert await schedule(session, settings, case, again) is None  # a duplicated close event
    assert len(await followups(sessions)) == 1


async def test_workers_sending_at_once_ask_once(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await resolved(ana, sessions, settings)
    passes = await asyncio.gather(*(send_due(sessions, settings, days_later(3.1)) for _ in range(3)))
    assert sum(done.counts["sent"] for done in passes) == 1
    async with sessions() as session:
        asked = await session.scalars(select(Message).where(Message.text.contains("¿Lo arreglaron?")))
        assert len(asked.all()) == 1


async def test_a_reopened_case_is_not_overdue_by_its_first_clock(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    code = await resolved(ana, sessions, settings)
    async with sessions() as session, session.begin():
        case = await session.scalar(select(Case).where(Case.code == code))
        assert case is not None
        case.created_at = utcnow() - timedelta(days=30)  # filed long ago, past public works' 120 hours
    await send_due(sessions, settings, days_later(3.1))
    await ana.says("no, sigue igual")
    deadlines = {"public_works": utcnow() - timedelta(hours=120)}
    async with sessions() as session:
        assert await overdue_open_cases(session, deadlines) == 0  # its clock starts again at the reopening
        assert await overdue_open_cases(session, {"public_works": utcnow() + timedelta(hours=1)}) == 1


async def test_serve_sends_what_is_due_by_itself(
    ana: Citizen, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    await resolved(ana, sessions, settings)
    await due_now(sessions)
    sending = Sending(settings, sessions, every=0.05)
    task = asyncio.create_task(sending.run())
    for _ in range(100):
        if (await followups(sessions))[0].status == "sent":
            break
        await asyncio.sleep(0.05)
    sending.stop()
    await task
    assert (await followups(sessions))[0].status == "sent"
