"""Actions with effects beyond the reply: file a case, look cases up, hand the conversation to a person."""

from __future__ import annotations

from bot import joining, publishing
from bot.cases import file_case
from bot.messages import Button
from bot.texts import status_name
from bot.turn import Turn
from connectors.channels import channel
from nlu.entities import find_case_codes
from storage import cases as case_rows
from storage.models import Case, Holder, utcnow

# Shown to a citizen who typed a code wrong: never the code they typed.
CODE_EXAMPLES = ("K7M-4QP", "F4Q-488", "B9T-2XH")


def main_menu(turn: Turn) -> tuple[Button, ...]:
    return (
        turn.button("button_report", "/report_problem"),
        turn.button("button_status", "/case_status"),
        turn.button("button_person", "/human_handoff"),
    )


def show_menu(turn: Turn, key: str = "menu") -> None:
    turn.say(key, buttons=main_menu(turn))


def _status_line(turn: Turn, case: Case) -> str:
    local = case.updated_at.astimezone(turn.settings.city.zone)
    updated = local.strftime("%d/%m/%Y" if turn.language == "es" else "%Y-%m-%d")
    return turn.t(
        "case_status",
        code=case.code,
        service=turn.settings.service_name(case.service_code, turn.language),
        status=status_name(case.status, turn.language),
        updated=updated,
    )


def code_asked_about(turn: Turn) -> str | None:
    """The case code in the message; also one typed with a space whose halves do not both mix letters and
    digits ("Y9P WNZ"), which elsewhere would be two ordinary words, in a question about a case or at the
    very start of the message ("Y9P WNZ - what's happening with it?")."""
    entity = turn.parse.entity("case_code")
    if entity is not None:
        return entity.value
    loose = find_case_codes(turn.text, loose=True)
    if loose and (turn.parse.intent == "case_status" or loose[0].start == 0):
        return loose[0].value  # asked about a case, or the message starts with the code
    return None


async def case_status(turn: Turn) -> None:
    """The case the citizen named by code, or else the list of their own open cases."""
    turn.understood()
    code = code_asked_about(turn)
    if code is not None:
        case = await case_rows.case_by_code(turn.session, code)
        if case is None:
            example = next(c for c in CODE_EXAMPLES if c != code)
            turn.say("case_not_found", code=code, example=example)
        else:
            turn.say_text(_status_line(turn, case))
        return
    cases = await case_rows.open_cases(turn.session, turn.citizen.id)
    if not cases:
        turn.say("no_open_cases", buttons=(turn.button("button_report", "/report_problem"),))
        if channel(turn.inbound.channel).asks_contact and turn.citizen.phone_e164 is None:
            # Cases filed by SMS or WhatsApp are found once Telegram knows the citizen's number.
            turn.say("share_contact_offer", buttons=(turn.button("button_share_contact", "/share_contact"),))
        return
    lines = [turn.t("open_cases")]
    for case in cases:
        lines.append(
            turn.t(
                "open_case_line",
                code=case.code,
                service=turn.settings.service_name(case.service_code, turn.language),
                status=status_name(case.status, turn.language),
            )
        )
    turn.say_text("\n".join(lines))


async def hand_off(turn: Turn, reason: str = "requested") -> None:
    """Put the conversation in the queue for a person; from now on the bot only listens."""
    turn.understood()
    turn.state.reset_flow()
    conversation = turn.conversation
    conversation.holder = Holder.WAITING
    conversation.waiting_since = utcnow()
    conversation.handoff_reason = reason
    turn.say("handoff")


async def confirm_case(turn: Turn) -> None:
    """File the drafted case and give the citizen its code, with the question whether its description
    may be published (in the same message: one more line, not one more step)."""
    case = await file_case(
        turn.session,
        turn.settings,
        citizen=turn.citizen,
        new=turn.state.slots.as_new_case(),
        channel=turn.inbound.channel,
        language=turn.language,
    )
    await joining.record_refusals(turn, case)
    turn.state.reset_flow()
    turn.understood()
    publishing.due(turn, case.code, case.service_code)
    filed = turn.t("filed", code=case.code)
    if turn.state.next_problem:
        turn.say_text(filed)  # the second problem is offered next; the question waits for it
    else:
        publishing.ask(turn, lead=filed)
