"""The privacy notice (bot/privacy_notice.py) is shown once per version: when the city changes
`privacy.notice_version`, every citizen sees the new one once more, and both showings are recorded."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.pipeline import Pipeline
from bot.settings import Settings
from storage.models import PrivacyNotice
from tests.support.conversation import Citizen
from tests.support.scripted import ScriptedClassifier

NOTICE = "Aviso de privacidad"


def notices(person: Citizen) -> int:
    return sum(NOTICE in text for text in person.texts)


async def test_a_new_version_is_shown_once_more_and_both_are_recorded(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], scripted: ScriptedClassifier
) -> None:
    before = Citizen(Pipeline(settings, sessions, scripted), "+573001112233", "whatsapp")
    await before.says("hola")
    assert notices(before) == 1 and NOTICE not in before.texts[-1]  # the answer stays last
    await before.says("mis datos")
    assert notices(before) == 0

    changed = settings.model_copy(
        update={"privacy": settings.privacy.model_copy(update={"notice_version": "2027-03"})}
    )
    after = Citizen(Pipeline(changed, sessions, scripted), before.address, "whatsapp")
    await after.says("hola")
    assert notices(after) == 1
    await after.says("hola")
    assert notices(after) == 0

    async with sessions() as session:
        shown = (await session.scalars(select(PrivacyNotice).order_by(PrivacyNotice.id))).all()
    assert [(n.version, n.channel) for n in shown] == [
        (settings.privacy.notice_version, "whatsapp"),
        ("2027-03", "whatsapp"),
    ]
    assert len({n.citizen_id for n in shown}) == 1
