"""What several answers share: the menu, and filing the case the citizen confirmed."""

from __future__ import annotations

from bot import joining, publishing
from bot.cases import file_case
from bot.messages import Button
from bot.turn import Turn


def main_menu(turn: Turn) -> tuple[Button, ...]:
    return (
        turn.button("button_report", "/report_problem"),
        turn.button("button_status", "/case_status"),
        turn.button("button_person", "/human_handoff"),
    )


def show_menu(turn: Turn, key: str = "menu") -> None:
    turn.say(key, buttons=main_menu(turn))


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
