"""Everything held about one citizen, read for their export ("descargar mis datos", issue 15).

Only what is theirs: their own rows, the cases they reported with the history told to them, and of the
cases they joined only the case's code, service and status — never the reporter's words, place or
person. Staff's internal notes are the city's working notes and are not read here.
Each function takes the session explicitly and never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.citizens import identities_of
from storage.models import (
    Case,
    CaseEvent,
    CaseSupporter,
    ChannelIdentity,
    Citizen,
    ConversationRating,
    DataRequest,
    FollowUp,
    KnowledgeAsk,
    Message,
    PreferentialRecord,
    PrivacyNotice,
    Subscription,
)
from storage.preferential import records as preferential_records
from storage.subscriptions import of_citizen as subscriptions_of

# The events of a case its reporter was told of: filed, and each change of status. Reassignments,
# publishing decisions and follow-up bookkeeping are the city's; "joined" events carry a neighbour.
PUBLIC_EVENTS = ("created", "status")


@dataclass(frozen=True)
class Joined:
    """A case the citizen joined as a neighbour: theirs is the joining, not the case."""

    code: str
    service_code: str
    status: str
    channel: str
    distance_m: float | None
    joined_at: datetime


@dataclass(frozen=True)
class CitizenData:
    citizen: Citizen
    identities: Sequence[ChannelIdentity]
    messages: Sequence[Message]
    cases: Sequence[Case]
    history: Sequence[tuple[CaseEvent, str]]  # (event, case code), of the citizen's own cases
    joined: Sequence[Joined]
    followups: Sequence[tuple[FollowUp, str]]  # (follow-up, case code)
    ratings: Sequence[ConversationRating]
    notices: Sequence[PrivacyNotice]
    requests: Sequence[DataRequest]
    subscriptions: Sequence[Subscription] = ()  # the topics they opted into, with what they were shown
    questions: Sequence[KnowledgeAsk] = ()  # what they asked the knowledge base (masked), and if it served
    # Preferential attention given and withdrawn (issue 19): their words or staff's reason; not who.
    preferential: Sequence[PreferentialRecord] = ()


async def of_citizen(session: AsyncSession, citizen_id: int) -> CitizenData | None:
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None:
        return None
    identities = await identities_of(session, citizen_id)
    messages = await session.scalars(
        select(Message)
        .where(Message.citizen_id == citizen_id, Message.internal.is_(False))
        .order_by(Message.created_at, Message.id)
    )
    cases = (await session.scalars(select(Case).where(Case.citizen_id == citizen_id).order_by(Case.id))).all()
    history = await session.execute(
        select(CaseEvent, Case.code)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(Case.citizen_id == citizen_id, CaseEvent.kind.in_(PUBLIC_EVENTS))
        .order_by(CaseEvent.case_id, CaseEvent.id)
    )
    joined = await session.execute(
        select(
            Case.code,
            Case.service_code,
            Case.status,
            CaseSupporter.channel,
            CaseSupporter.distance_m,
            CaseSupporter.created_at,
        )
        .join(Case, Case.id == CaseSupporter.case_id)
        .where(CaseSupporter.citizen_id == citizen_id)
        .order_by(CaseSupporter.id)
    )
    followups = await session.execute(
        select(FollowUp, Case.code)
        .join(Case, Case.id == FollowUp.case_id)
        .where(FollowUp.citizen_id == citizen_id)
        .order_by(FollowUp.id)
    )
    ratings = await session.scalars(
        select(ConversationRating)
        .where(ConversationRating.citizen_id == citizen_id)
        .order_by(ConversationRating.id)
    )
    notices = await session.scalars(
        select(PrivacyNotice).where(PrivacyNotice.citizen_id == citizen_id).order_by(PrivacyNotice.id)
    )
    requests = await session.scalars(
        select(DataRequest).where(DataRequest.citizen_id == citizen_id).order_by(DataRequest.id)
    )
    return CitizenData(
        citizen=citizen,
        identities=identities,
        messages=messages.all(),
        cases=cases,
        history=[(event, code) for event, code in history.all()],
        joined=[Joined(*row) for row in joined.all()],
        followups=[(followup, code) for followup, code in followups.all()],
        ratings=ratings.all(),
        notices=notices.all(),
        requests=requests.all(),
        subscriptions=await subscriptions_of(session, citizen_id),
        questions=(
            await session.scalars(
                select(KnowledgeAsk).where(KnowledgeAsk.citizen_id == citizen_id).order_by(KnowledgeAsk.id)
            )
        ).all(),
        preferential=list(reversed(await preferential_records(session, citizen_id))),  # oldest first
    )
