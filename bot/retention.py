"""Retention (issue 15): the city keeps each kind of data only as long as `retention:` says.

Three rules, each planned first (who, how many messages) and then applied to exactly the planned
citizens, checked again in each batch so that what changed meanwhile (a new case, a new message) is left
alone:

- message text and media: messages older than `message_months_after_close` months, of a citizen none of
  whose cases (filed or joined) is open or closed within that time, are blanked (text, files, place, raw
  payload); the rows stay, so every count stays; the cases' own descriptions and photos stay;
- web chat visitors who never filed anything, silent for `webchat_unfiled_days`, are removed entirely;
- citizens silent for `inactive_months` with no open case are anonymised as an erasure does;
- questions put to the knowledge base older than `knowledge.keep_questions_days` lose their words and their
  tie to the citizen; the rows stay, so the supervisors' counts of what was asked stay true.

A supervisor's erasure hold (an open legal matter) stops every rule for that citizen: held, listed, kept.
Files are deleted from the media store after their rows' transaction commits. Every run (not a dry run)
writes one audit event with counts and settings, and nothing personal."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.erasure import Gone, Held, erase_citizen
from bot.settings import Settings
from bot.turn import DialogueState
from storage import knowledge_privacy, webchat
from storage import retention as rows
from storage.audit import audit
from storage.engine import AsyncSession, async_sessionmaker
from storage.media import MediaStore

log = logging.getLogger(__name__)
BATCH = 500  # citizens, or messages, per transaction


@dataclass(frozen=True)
class Listed:
    """One citizen a rule found, with the messages it concerns (a count: nothing personal)."""

    citizen_id: int
    messages: int


@dataclass(frozen=True)
class Plan:
    """What a run would do at `now`; a dry run prints it, a run does exactly this."""

    now: datetime
    messages_before: datetime
    webchat_before: datetime
    inactive_before: datetime
    questions_before: datetime
    messages: tuple[Listed, ...]
    webchats: tuple[Listed, ...]
    inactive: tuple[Listed, ...]
    held: tuple[Listed, ...]
    questions: int = 0  # questions to the knowledge base to blank (a count: their words are not listed)


@dataclass
class Done:
    """What a run did, in counts (the audit's detail)."""

    messages_blanked: int = 0
    message_citizens: int = 0
    webchats_removed: int = 0
    webchat_messages_removed: int = 0
    inactive_anonymised: int = 0
    held: int = 0
    changed_meanwhile: int = 0  # planned, but a new case or message since the plan: left alone
    files_deleted: int = 0
    files_not_deleted: int = 0
    questions_blanked: int = 0
    citizens: set[int] = field(default_factory=set, repr=False)  # who was changed, for the caller only

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "citizens"}


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last))


def _listed(found: Iterable[rows.Found], held: bool) -> tuple[Listed, ...]:
    return tuple(Listed(i, n) for i, n, h in found if h is held)


async def plan(session: AsyncSession, settings: Settings, now: datetime) -> Plan:
    """Who each rule concerns at `now`. A citizen is in one rule at most: a web chat visitor removed or a
    citizen anonymised is not also blanked, and a held one is in none."""
    keep = settings.retention
    messages_before = months_before(now, keep.message_months_after_close)
    webchat_before = now - timedelta(days=keep.webchat_unfiled_days)
    inactive_before = months_before(now, keep.inactive_months)
    questions_before = now - timedelta(days=settings.knowledge.keep_questions_days)
    webchats = await rows.unfiled_webchats(session, webchat_before)
    taken = {i for i, _, _ in webchats}
    inactive = [f for f in await rows.inactive_citizens(session, inactive_before) if f[0] not in taken]
    taken |= {i for i, _, _ in inactive}
    old = [f for f in await rows.old_messages(session, messages_before) if f[0] not in taken]
    return Plan(
        now=now,
        messages_before=messages_before,
        webchat_before=webchat_before,
        inactive_before=inactive_before,
        questions_before=questions_before,
        questions=await knowledge_privacy.count_old(session, questions_before),
        messages=_listed(old, False),
        webchats=_listed(webchats, False),
        inactive=_listed(inactive, False),
        held=tuple(sorted({*_listed(webchats, True), *_listed(inactive, True), *_listed(old, True)},
                          key=lambda x: x.citizen_id)),
    )  # fmt: skip


def quiet(state: dict[str, Any] | None) -> dict[str, Any]:
    """A dialogue state without anything the citizen said (a report left half-way, a draft, a second
    problem, what the agent was shown): only which privacy notice they were shown is kept."""
    return DialogueState(notice=DialogueState.load(state).notice).dump()


def _chunks(items: Sequence[Listed], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield [x.citizen_id for x in items[start : start + size]]


async def apply(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, store: MediaStore, planned: Plan
) -> Done:
    """Do what `planned` lists, in bounded transactions, then write the one audit event of the run (also
    when a step failed: what was done is recorded, and the error goes on to the caller)."""
    done = Done(held=len(planned.held))
    failed: BaseException | None = None
    try:
        await _webchats(sessions, store, planned, done)
        await _old_messages(sessions, store, planned, done)
        await _inactive(sessions, settings, store, planned, done)
        async with sessions() as session, session.begin():
            done.questions_blanked = await knowledge_privacy.blank_old(session, planned.questions_before)
    except Exception as exc:
        failed = exc
        raise
    finally:
        async with sessions() as session, session.begin():
            await audit(
                session,
                actor="system",
                action="retention.run",
                target_type="retention",
                target_id=planned.now.date().isoformat(),
                detail=audit_detail(settings, planned, done, failed),
            )
    return done


def audit_detail(
    settings: Settings, planned: Plan, done: Done, failed: BaseException | None
) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "as_of": planned.now.isoformat(),
        "settings": settings.retention.model_dump(),
        "counts": done.counts(),
    }
    if failed is not None:
        detail["failed"] = type(failed).__name__  # the class only: a message may quote data
    return detail


async def _delete_files(store: MediaStore, names: Iterable[str], done: Done) -> None:
    for name in sorted(names):
        try:
            await store.delete(name)
            done.files_deleted += 1
        except Exception as exc:  # the row is gone: an orphan file is unreachable, and it is counted
            log.warning("retention: file %s not deleted: %s", name, type(exc).__name__)
            done.files_not_deleted += 1


async def _webchats(
    sessions: async_sessionmaker[AsyncSession], store: MediaStore, planned: Plan, done: Done
) -> None:
    for chunk in _chunks(planned.webchats):
        async with sessions() as session, session.begin():
            still = [
                f for f in await rows.unfiled_webchats(session, planned.webchat_before, chunk) if not f[2]
            ]
            ids = [i for i, _, _ in still]
            names = await webchat.forget_chats(session, ids)
            names -= await rows.kept_by_cases(session, names)
        done.webchats_removed += len(ids)
        done.webchat_messages_removed += sum(n for _, n, _ in still)
        done.changed_meanwhile += len(chunk) - len(ids)
        done.citizens.update(ids)
        await _delete_files(store, names, done)


async def _old_messages(
    sessions: async_sessionmaker[AsyncSession], store: MediaStore, planned: Plan, done: Done
) -> None:
    for chunk in _chunks(planned.messages):
        touched: set[int] = set()
        after = 0  # in id order: each pass starts past the last, so the loop ends whatever happens
        while True:
            async with sessions() as session, session.begin():
                batch = await rows.old_message_batch(session, chunk, planned.messages_before, after, BATCH)
                if not batch:
                    break
                after = batch[-1].id
                await rows.blank_messages(session, [m.id for m in batch])
                names = rows.media_names([m.attachments for m in batch])
                names -= await rows.kept_by_cases(session, names)
                await rows.forget_uploads_named(session, names)
            touched.update(m.citizen_id for m in batch)
            done.messages_blanked += len(batch)
            await _delete_files(store, names, done)
        if touched:
            async with sessions() as session, session.begin():
                for conversation in await rows.idle_conversations(session, touched, planned.messages_before):
                    conversation.state = quiet(conversation.state)
        done.message_citizens += len(touched)
        done.changed_meanwhile += len(chunk) - len(touched)
        done.citizens.update(touched)


async def _inactive(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    store: MediaStore,
    planned: Plan,
    done: Done,
) -> None:
    """One transaction per citizen: an erasure is the biggest change a run makes, and one that fails
    must not undo the others."""
    for listed in planned.inactive:
        try:
            async with sessions() as session, session.begin():
                still = await rows.inactive_citizens(session, planned.inactive_before, [listed.citizen_id])
                if not still:
                    done.changed_meanwhile += 1
                    continue
                if still[0][2]:
                    raise Held("")  # held since the plan
                erased = await erase_citizen(session, settings, listed.citizen_id, by="retention")
        except Held:  # held since the plan: by a supervisor, or found by the erasure itself
            done.held += 1
            continue
        except Gone:  # erased meanwhile (the citizen asked, or staff did)
            done.changed_meanwhile += 1
            continue
        done.inactive_anonymised += 1
        done.citizens.add(listed.citizen_id)
        await _delete_files(store, erased.media, done)


async def run(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    store: MediaStore,
    now: datetime,
    *,
    dry_run: bool = False,
) -> tuple[Plan, Done | None]:
    """Plan at `now`, and unless `dry_run`, apply the plan. A dry run writes nothing at all."""
    async with sessions() as session:
        planned = await plan(session, settings, now)
    if dry_run:
        return planned, None
    return planned, await apply(sessions, settings, store, planned)
