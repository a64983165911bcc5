"""A follow-up to a WhatsApp citizen: free text inside the 24-hour window, outside it the approved template,
else SMS to the same number, else not sent (the case's history says why); the real twilio library against
the fake REST API."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.followup_settings import FollowUp
from bot.followups import send_due
from bot.outbox import OutboxWorker
from bot.pipeline import Pipeline
from bot.settings import Settings
from connectors.twilio.sender import TwilioSender
from nlu.base import Classifier
from storage.models import CaseEvent
from storage.models import FollowUp as FollowUpRow
from tests.support.channels import with_secrets
from tests.support.conversation import Citizen
from tests.support.fake_twilio import FakeTwilio
from tests.support.followups import PLACE, case_of, days_later, set_status
from tests.support.scripted import ScriptedClassifier

PHONE = "+573001234567"
TEMPLATE = "HX" + "f" * 32


async def asked_on_whatsapp(
    settings: Settings,
    make_pipeline: Callable[[Classifier], Pipeline],
    scripted: ScriptedClassifier,
    sessions: async_sessionmaker[AsyncSession],
    *,
    days: float = 3.1,
) -> str:
    """A WhatsApp citizen whose case was resolved, the follow-up sent `days` later; the case code."""
    ana = Citizen(make_pipeline(scripted), PHONE, "whatsapp")
    await ana.says("hola")
    code = await case_of(ana, sessions, settings)
    await set_status(sessions, settings, code, "resolved")
    await send_due(sessions, settings, days_later(days))
    return code


async def deliver(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
    sender = TwilioSender.from_settings(settings)
    try:
        await OutboxWorker(sessions, {"sms": sender, "whatsapp": sender}).run_once()
    finally:
        await sender.close()


async def test_outside_the_window_the_approved_template_names_the_case(
    twilio_settings: Settings,
    fake_twilio: FakeTwilio,
    make_pipeline: Callable[[Classifier], Pipeline],
    scripted: ScriptedClassifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    settings = twilio_settings.model_copy(
        update={"twilio": twilio_settings.twilio.model_copy(update={"followup_template_sid": TEMPLATE})}
    )
    code = await asked_on_whatsapp(settings, make_pipeline, scripted, sessions)
    await deliver(settings, sessions)
    [request] = [r for r in fake_twilio.requests if r.form.get("ContentSid")]
    assert request.to == f"whatsapp:{PHONE}" and request.form["ContentSid"] == TEMPLATE
    variables = json.loads(request.form["ContentVariables"])
    assert variables == {"1": code, "2": "Bache o hueco en la vía", "3": PLACE}


async def test_outside_the_window_without_template_it_goes_by_sms(
    twilio_settings: Settings,
    fake_twilio: FakeTwilio,
    make_pipeline: Callable[[Classifier], Pipeline],
    scripted: ScriptedClassifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    code = await asked_on_whatsapp(twilio_settings, make_pipeline, scripted, sessions)
    await deliver(twilio_settings, sessions)
    [sms] = [m for m in fake_twilio.sent_to(PHONE) if code in m["body"] and "arreglaron" in m["body"]]
    assert "¿Lo arreglaron?" in sms["body"] and "1. Sí\n2. No\n3. No sé" in sms["body"]
    async with sessions() as session:
        [followup] = (await session.scalars(select(FollowUpRow))).all()
    assert (followup.status, followup.channel) == ("sent", "sms")


async def test_outside_the_window_without_template_or_sms_it_is_not_sent(
    twilio_settings: Settings,
    fake_twilio: FakeTwilio,
    make_pipeline: Callable[[Classifier], Pipeline],
    scripted: ScriptedClassifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    settings = with_secrets(twilio_settings, twilio_sms_from=None)  # type: ignore[arg-type]
    await asked_on_whatsapp(settings, make_pipeline, scripted, sessions)
    async with sessions() as session:
        followup = await session.scalar(select(FollowUpRow))
        events = (await session.scalars(select(CaseEvent).where(CaseEvent.kind == "followup"))).all()
    assert followup is not None and (followup.status, followup.note) == ("not_sent", "outside_window")
    assert [e.to_value for e in events] == ["not_sent_outside_window"]


async def test_inside_the_window_it_is_free_text_with_numbered_answers(
    twilio_settings: Settings,
    fake_twilio: FakeTwilio,
    make_pipeline: Callable[[Classifier], Pipeline],
    scripted: ScriptedClassifier,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    settings = twilio_settings.model_copy(update={"followup": FollowUp(after_days=0)})
    code = await asked_on_whatsapp(settings, make_pipeline, scripted, sessions, days=0.001)
    await deliver(settings, sessions)
    on_whatsapp = fake_twilio.sent_to(f"whatsapp:{PHONE}")
    [asked] = [m for m in on_whatsapp if code in m["body"] and "arreglaron" in m["body"]]
    assert "1. Sí" in asked["body"]
    ana = Citizen(make_pipeline(scripted), PHONE, "whatsapp")
    await ana.says("2")  # "No", by its number
    assert "qué pasa" in ana.text
