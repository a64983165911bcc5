"""A citizen asking how a case goes: the code asked about, a code that cannot be ours, and the answer.

Whoever has a code may ask (like a receipt); the answer says only the service, the status and the date.
Inside a report the pending question follows the answer.
"""

from __future__ import annotations

from bot import anytime_words, report_words
from bot.reading import confident, in_report, is_button, service_of
from bot.report_questions import back_to_report
from bot.texts import status_name
from bot.turn import Turn
from connectors.channels import channel
from nlu.entities import find_case_codes, find_code_like
from storage import cases as case_rows
from storage.models import Case

# Shown to a citizen who typed a code wrong: never the code they typed.
CODE_EXAMPLES = ("K7M-4QP", "F4Q-488", "B9T-2XH")


def asks_status(turn: Turn) -> bool:
    if is_button(turn) and turn.parse.intent != "case_status":
        return False
    code = turn.parse.entity("case_code")
    if in_report(turn):
        # A code inside a report is often a plate, a house number or a postcode: only a question about a
        # case counts.
        cue = bool(anytime_words.CODE_CUE.search(turn.said))
        if not confident(turn, "case_status"):
            return cue and code is not None
        if code is None and status_aside(turn):
            return True  # "ah y como va lo del hueco? ya lo taparon?" at the photo question: their open cases
        # A postcode beside a street ("17 Mill Lane, SE5 8QZ") answers the place question.
        return cue or (code is not None and turn.parse.entity("address") is None)
    if code is not None:
        return service_of(turn) is None
    return confident(turn, "case_status") or (service_of(turn) is None and code_asked_about(turn) is not None)


def status_aside(turn: Turn) -> bool:
    """Inside a report, a question about another case put in between: asked as a question ("?") or of
    "lo del…" / "my … report", and neither a place (it answers the place question) nor a photo refused.
    "no sé en que esta pensando la alcaldía" or "la fuga como sigue saliendo" is the report's own text."""
    return (
        anytime_words.STATUS_QUESTION.search(turn.said) is not None
        and ("?" in turn.text or anytime_words.ABOUT_A_CASE.search(turn.said) is not None)
        and turn.parse.entity("address") is None
        and report_words.PHOTO_REFUSAL.search(turn.said) is None
    )


def has_bad_code(turn: Turn) -> bool:
    if is_button(turn) or turn.parse.entity("case_code") is not None or not find_code_like(turn.text):
        return False
    if in_report(turn):  # a plate in a report looks like a code: only a status question counts
        return confident(turn, "case_status")
    short = len(turn.said.split()) <= 3
    return short or confident(turn, "case_status") or bool(anytime_words.CODE_CUE.search(turn.said))


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


def fold_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def example_code(*typed: str) -> str:
    """A code to show as an example, never one the citizen typed."""
    folded = {fold_code(c) for c in typed}
    return next(c for c in CODE_EXAMPLES if fold_code(c) not in folded)


async def case_status(turn: Turn) -> None:
    """The case the citizen named by code, or else the list of their own open cases."""
    turn.understood()
    code = code_asked_about(turn)
    if code is not None:
        case = await case_rows.case_by_code(turn.session, code)
        if case is None:
            turn.say("case_not_found", code=code, example=example_code(code))
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


async def status(turn: Turn) -> None:
    """The rule's answer: the case's status, then the report's pending question if one is open."""
    await case_status(turn)
    await back_to_report(turn)


async def asks_by_its_problem(turn: Turn) -> bool:
    """ "como va lo del hueco": how a case goes, asked by naming its problem, which the classifier hears
    louder than the question. Only when the citizen has an open case of that service: "hola, ¿cómo va?"
    names none and stays a greeting, and a new problem of another service stays a new report. Inside a
    report too ("y como va lo del andén" at the photo question), unless the message also gives a place,
    which answers the place question."""
    if is_button(turn) or not anytime_words.STATUS_QUESTION.search(turn.said):
        return False
    if in_report(turn) and not status_aside(turn):
        return False
    service = service_of(turn)
    if service is None:
        return False
    cases = [
        c for c in await case_rows.open_cases(turn.session, turn.citizen.id) if c.service_code == service
    ]
    turn.notes["asked_cases"] = cases
    return bool(cases)


async def status_by_problem(turn: Turn) -> None:
    turn.understood()
    for case in turn.notes["asked_cases"]:
        turn.say_text(_status_line(turn, case))
    await back_to_report(turn)


async def bad_code(turn: Turn) -> None:
    turn.say("not_a_code", example=example_code(*find_code_like(turn.text)))
    await back_to_report(turn)
