"""What a citizen's answer to a follow-up does: the case closed, reopened or sent to a supervisor; the
rating and comment kept; "no sé" asked once more. Recorded on the follow-up, in the case's history (actor
citizen) and the audit trail.

An answer counts within the follow-up's window (`followup.answer_days` from when it was asked); a later one
is thanked and offered a new report. If staff changed the case after the question was sent, the answer is
recorded (`moved_case` false) and the case stays as staff left it.
"""

from __future__ import annotations

from datetime import timedelta

from bot import case_status, handoff
from bot.followup_channels import FIXED
from bot.followup_settings import for_service
from bot.followups import SATISFACTION, rating_buttons
from bot.messages import Button
from bot.texts import status_name
from bot.turn import Turn
from connectors.channels import channel
from storage import audit
from storage import cases as case_rows
from storage import followups as rows
from storage.models import Author, Case, CaseStatus, FollowUp, FollowUpStatus, utcnow

# Why a conversation waits for a person after one reopening too many (the inbox says it in words).
REOPENED_AGAIN = "reopened_again"


async def open_followup(turn: Turn) -> tuple[FollowUp, Case] | None:
    """The follow-up the message answers and its case, both locked for the turn."""
    followup_id = turn.followup.get("id")
    followup = await rows.followup_for_update(turn.session, int(followup_id)) if followup_id else None
    if followup is None:
        return None
    case = await rows.case_for_update(turn.session, followup.case_id)
    return None if case is None else (followup, case)


def _first_answer(turn: Turn, followup: FollowUp, answer: str | None) -> bool:
    """Record the answer to the first question; False when it comes too late to count (then said so)."""
    now = utcnow()
    late = followup.answer_until is not None and now > followup.answer_until
    if followup.status == FollowUpStatus.EXPIRED or late:
        return False
    followup.status, followup.answer, followup.answered_at = FollowUpStatus.ANSWERED, answer, now
    return True


async def _too_late(turn: Turn, case: Case) -> None:
    await _event(turn, case, "answer_late", turn.text)
    service = case.service_code
    buttons: tuple[Button, ...] = (turn.button("button_menu", "/menu"),)
    if service in turn.settings.services:
        buttons = (turn.button("button_report_again", f"/report_{service}"), *buttons)
    turn.say("followup_too_late", code=case.code, buttons=buttons)


def _stale(followup: FollowUp, case: Case) -> bool:
    """Staff changed the case after the question was sent."""
    moved = followup.case_updated_at is not None and case.updated_at > followup.case_updated_at
    return moved or case.status != CaseStatus.RESOLVED


async def fixed(turn: Turn, followup: FollowUp, case: Case) -> None:
    """Sí: the case is closed (unless staff moved it since), then the 1–5 question."""
    if not _first_answer(turn, followup, "yes"):
        await _too_late(turn, case)
        return
    if _stale(followup, case):
        await _kept_stale(turn, followup, case, None)
        return
    await _move(turn, followup, case, CaseStatus.CLOSED, note=None)
    followup.moved_case = True
    _ask_rating(turn, followup, "followup_rate")


def _ask_rating(turn: Turn, followup: FollowUp, key: str) -> None:
    turn.state.followup = {"id": followup.id, "step": "rating"}
    turn.say(key, buttons=rating_buttons() if channel(turn.inbound.channel).buttons else ())


async def not_fixed(turn: Turn, followup: FollowUp, case: Case, reason: str | None) -> None:
    """No: a reason is required (a photo is welcome); with it the case is reopened, or past the limit of
    reopenings it goes to a supervisor."""
    first = followup.status in (FollowUpStatus.SENT, FollowUpStatus.EXPIRED)
    if first and not _first_answer(turn, followup, "no"):
        await _too_late(turn, case)
        return
    photos = [*turn.followup.get("photos", ()), *(turn.message.attachments or ())]
    if reason is None:
        turn.state.followup = {"id": followup.id, "step": "reason", "photos": photos}
        turn.say("followup_ask_words" if photos else "followup_ask_reason")
        return
    followup.reason = reason[:2000]
    if _stale(followup, case):
        await _kept_stale(turn, followup, case, reason)
        return
    if photos:
        case.attachments = [*(case.attachments or ()), *photos]
    limit = for_service(turn.settings, case.service_code).max_reopenings
    if case.reopened_count >= limit:
        await _to_supervisor(turn, followup, case, reason)
        return
    await _move(turn, followup, case, CaseStatus.REOPENED, note=reason)
    case.reopened_count += 1
    case.sla_started_at = case.updated_at  # the department's targets count from the reopening
    followup.moved_case = True
    department = turn.settings.departments.get(case.department)
    name = department.name.get(turn.language) if department else case.department
    turn.say("followup_reopened", code=case.code, department=name)


async def _to_supervisor(turn: Turn, followup: FollowUp, case: Case, reason: str) -> None:
    """Not fixed once more after `max_reopenings`: the case stays as it is and the conversation waits for a
    person (reason "reopened_again"), for a supervisor to decide rather than the queue going round again."""
    followup.moved_case = False
    await _event(turn, case, "escalated", reason)
    await audit.audit(
        turn.session, actor="citizen", action="case.escalated", target_type="case", target_id=case.code,
        from_value=case.status, to_value=REOPENED_AGAIN, detail={"followup": followup.id},
    )  # fmt: skip
    turn.say("followup_escalated", times=case.reopened_count + 1)
    await handoff.hand_off(turn, REOPENED_AGAIN)


async def _kept_stale(turn: Turn, followup: FollowUp, case: Case, reason: str | None) -> None:
    followup.moved_case = False
    await _event(turn, case, f"answer_stale_{followup.answer}", reason)
    turn.say("followup_stale", code=case.code, status=status_name(case.status, turn.language))


async def dont_know(turn: Turn, followup: FollowUp, case: Case) -> None:
    """No sé: asked once more after `ask_again_days`; the second "no sé" is the answer."""
    if not _first_answer(turn, followup, "unknown"):
        await _too_late(turn, case)
        return
    if followup.asked < 2:
        days = for_service(turn.settings, case.service_code).ask_again_days
        followup.status, followup.due_at = FollowUpStatus.SCHEDULED, utcnow() + timedelta(days=days)
        turn.say("followup_ask_later")
        return
    await _event(turn, case, "answer_unknown", None)
    turn.say("followup_unknown_done", code=case.code)


async def rated(turn: Turn, followup: FollowUp, case: Case, rating: int | None) -> None:
    """A 1–5 rating (None: skipped), then the optional comment."""
    first = followup.kind == SATISFACTION and followup.answered_at is None
    if first and not _first_answer(turn, followup, None):
        turn.say("followup_rating_kept")  # too late to count; nothing to reopen either
        return
    if rating is None:
        turn.say("followup_done" if followup.kind == FIXED else "thanks", code=case.code)
        return
    followup.rating = rating
    await _event(turn, case, "rated", f"{rating}/5")
    turn.state.followup = {"id": followup.id, "step": "comment"}
    turn.say("followup_comment", buttons=(turn.button("button_skip", "/skip"),))


async def commented(turn: Turn, followup: FollowUp, case: Case, comment: str | None) -> None:
    if comment:
        followup.comment = comment[:2000]
        await _event(turn, case, "comment", followup.comment)
        turn.say("followup_comment_kept")
    else:
        turn.say("followup_done" if followup.kind == FIXED else "thanks", code=case.code)


async def _move(turn: Turn, followup: FollowUp, case: Case, to: str, *, note: str | None) -> None:
    """The citizen's answer moves the case: its history (actor citizen) and the audit trail."""
    before = case_status.move(case, to)
    await case_rows.add_case_event(
        turn.session, case, "status", actor=Author.CITIZEN, from_value=before, to_value=to, note=note
    )
    await audit.audit(
        turn.session, actor="citizen", action="case.status", target_type="case", target_id=case.code,
        from_value=before, to_value=to, detail={"followup": followup.id},
    )  # fmt: skip
    # The neighbours who joined the report hear it as they hear staff's changes.
    await case_status.notify(turn.session, turn.settings, case, note=None, skip=turn.citizen.id)


async def _event(turn: Turn, case: Case, what: str, note: str | None) -> None:
    """A line in the case's history about the follow-up (the inbox says `what` in words)."""
    await case_rows.add_case_event(
        turn.session, case, "followup", actor=Author.CITIZEN, to_value=what, note=note
    )
