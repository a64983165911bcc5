"""'Mis datos': what the city holds about the citizen who asks, and what they can do with it.

Two short messages at most: what is held (channels and phone masked, name, case codes, opt-outs, consent
to publish, topics), then how long each kind of data is kept, the policy's link and the other rights as
buttons.
Only the citizen who writes is described; of a report they joined, only its code. The request is
recorded (answered at once) with the others of the law (bot/data_requests.py)."""

from __future__ import annotations

from bot import data_requests, masks, topics
from bot.privacy_notice import policy_url
from bot.reading import in_report
from bot.report_questions import back_to_report
from bot.texts import channel_name
from bot.turn import Turn
from storage import my_data
from storage.models import OPEN_STATUSES, DataRequestKind, DataRequestStatus
from storage.my_data import Held, HeldCase

# Codes listed per group (open, closed, joined); beyond it "y 7 más", so a phone's screen holds the list.
MAX_CODES = 10


async def describe(turn: Turn) -> None:
    """Record the request, then tell the citizen what is held and what they can do about it."""
    citizen = turn.citizen
    await data_requests.record(
        turn.session,
        turn.settings,
        citizen.id,
        DataRequestKind.SEE,
        turn.inbound.channel,
        status=DataRequestStatus.DONE,
    )
    held = await my_data.held(turn.session, citizen.id)
    turn.say_text("\n".join([turn.t("my_data_title"), *what_is_held(turn, held)]))
    kept = turn.t(
        "my_data_kept",
        months=turn.settings.retention.message_months_after_close,
        days=turn.settings.retention.webchat_unfiled_days,
        inactive=turn.settings.retention.inactive_months,
        url=policy_url(turn),
    )
    if in_report(turn):
        # The report's question comes next and its choices are the ones a number answers: no buttons
        # here, the requests in words instead, and the draft stays as it was.
        turn.say_text(f"{kept}\n{turn.t('my_data_in_report')}")
        await back_to_report(turn)
        return
    buttons = (
        turn.button("button_data_export", "/data_export"),
        turn.button("button_data_erase", "/data_erase"),
        turn.button("button_data_correct", "/data_correct"),
        turn.button("button_data_menu", "/menu"),
    )
    turn.say_text(kept, buttons=buttons)


def what_is_held(turn: Turn, held: Held) -> list[str]:
    """One line per kind of data held, in the citizen's language."""
    citizen, language = turn.citizen, turn.language
    shown = [masks.masked(c.channel, c.address, language) for c in held.channels]
    lines = [turn.t("my_data_channels", channels=", ".join(dict.fromkeys(shown)))] if shown else []
    name = citizen.display_name or next((c.display_name for c in held.channels if c.display_name), None)
    lines.append(turn.t("my_data_name", name=name) if name else turn.t("my_data_no_name"))
    # A number already shown as its SMS or WhatsApp channel is not repeated.
    if citizen.phone_e164 and citizen.phone_e164 not in {c.address for c in held.channels}:
        lines.append(turn.t("my_data_phone", phone=masks.tail(citizen.phone_e164)))
    if citizen.email:
        lines.append(turn.t("my_data_email", email=masked_email(citizen.email)))
    if citizen.preferential:
        kind = turn.t(f"preferential_kind_{citizen.preferential}")
        lines.append(turn.t("my_data_preferential_kind", kind=kind))
    lines.extend(_cases(turn, held.cases))
    stopped = [channel_name(c.channel, language) for c in held.channels if c.opted_out]
    if stopped:
        lines.append(turn.t("my_data_opted_out", channels=", ".join(dict.fromkeys(stopped))))
    published = [c.code for c in held.cases if c.own and c.publish_consent]
    if published:
        lines.append(turn.t("my_data_publish", codes=codes(turn, published)))
    if held.topics:
        listed = ", ".join(topics.described(turn, t.topic, t.area, t.status) for t in held.topics)
        lines.append(turn.t("my_data_topics", topics=listed))
    return lines


def _cases(turn: Turn, cases: list[HeldCase]) -> list[str]:
    if not cases:
        return [turn.t("my_data_no_cases")]
    groups = (
        ("my_data_open", [c.code for c in cases if c.own and c.status in OPEN_STATUSES]),
        ("my_data_closed", [c.code for c in cases if c.own and c.status not in OPEN_STATUSES]),
        ("my_data_joined", [c.code for c in cases if not c.own]),
    )
    return [turn.t(key, codes=codes(turn, found)) for key, found in groups if found]


def codes(turn: Turn, found: list[str]) -> str:
    """ "K7M-4QP, 9XR-2TB" up to MAX_CODES; the rest counted."""
    listed = ", ".join(found[:MAX_CODES])
    extra = len(found) - MAX_CODES
    return turn.t("my_data_more", codes=listed, n=extra) if extra > 0 else listed


def masked_email(email: str) -> str:
    """ "a••@example.org": its first letter and its domain, enough for its owner to recognise it."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}••@{domain}" if at else masks.tail(email)
