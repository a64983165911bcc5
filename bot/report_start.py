"""Opening a report with everything the citizen already said, and two problems in one message.

"hay un hueco y además la luminaria no prende en la calle 8 con 12": the first is filed, the second kept;
once the first is filed it is offered, with the first one's place carried over, and started on a yes.
"""

from __future__ import annotations

from typing import Any

from bot import actions, publishing, report_words
from bot.corrections import affirmed_service
from bot.messages import Button
from bot.reading import service_of, what_was_said
from bot.report_questions import ask_next
from bot.turn import Turn


async def start(turn: Turn, service: str | None, *, carry: dict[str, Any] | None = None) -> None:
    """Open a report with everything already said: this message, what an unclear message before it said
    (`turn.kept`), or `carry` (a second problem's text with the place of the report just filed)."""
    turn.understood()
    turn.state.reset_flow()
    turn.state.flow = "report"
    turn.state.next_problem, turn.state.offered_next = {}, False
    if carry is not None:
        said = dict(carry)
    else:
        turn.state.publish_due = []  # a report of its own: earlier cases are not asked about any more
        # A report's opening words describe it once the service is known ("quiero reportar algo" does not).
        said = what_was_said(turn, description=service is not None)
        if service is not None and report_words.NEGATED_PART.search(turn.said):
            service = await affirmed_service(turn) or service  # "no es un árbol, es un poste caído"
        if service is not None:
            service, first = await _first_of_two(turn, service)
            if first is not None:
                said["description"] = first
    slots = turn.state.slots
    slots.service = service
    for name in ("description", "address", "latitude", "longitude", "attachments"):
        if said.get(name):
            setattr(slots, name, said[name])
    await ask_next(turn, recap=service is not None)


async def _first_of_two(turn: Turn, service: str) -> tuple[str, str | None]:
    """Two problems in one message: the first is filed, the second kept to offer once the first is
    filed; nothing is dropped silently. Returns the service to file first and its own words (None when
    the message holds one problem)."""
    said = turn.text
    if turn.classifier is None or said.startswith("/") or not report_words.may_hold_two(turn.said, said):
        return service, None
    found: list[tuple[str, str]] = []
    for part in report_words.SECOND_PROBLEM.split(said):
        part = part.strip(" ,.;")
        if not part:
            continue
        part_service = service_of(turn, await turn.classifier.parse(part))
        if part_service is not None and all(part_service != s for s, _ in found):
            found.append((part_service, part))
    if len(found) < 2:
        return service, None
    (first, first_text), (second, second_text) = found[0], found[1]
    turn.state.next_problem = {"service": second, "text": second_text}
    turn.say(
        "two_problems",
        first=turn.settings.service_name(first, turn.language),
        second=turn.settings.service_name(second, turn.language),
    )
    return first, first_text


def carry_place(turn: Turn) -> None:
    """The report about to be filed lends its place to the second problem, if one waits."""
    if turn.state.next_problem:
        slots = turn.state.slots
        place = {"address": slots.address, "latitude": slots.latitude, "longitude": slots.longitude}
        turn.state.next_problem["place"] = {k: v for k, v in place.items() if v is not None}


def offer_next(turn: Turn) -> None:
    """After filing the first of two problems, offer the second (its place carried over)."""
    following = turn.state.next_problem
    if not following:
        return
    turn.state.offered_next = True
    name = turn.settings.service_name(following["service"], turn.language)
    turn.say("offer_next", service=name, buttons=_yes_no_next(turn))


def _yes_no_next(turn: Turn) -> tuple[Button, ...]:
    return (turn.button("button_yes_next", "/affirm"), turn.button("button_no_next", "/deny"))


async def answer_next(turn: Turn, yes: bool | None) -> None:
    """The second problem started on a yes; on a no, the publishing question about the first (when due)."""
    state = turn.state
    following = state.next_problem
    state.offered_next, state.next_problem = False, {}
    if yes and following:
        carry = {"description": following.get("text"), **following.get("place", {})}
        await start(turn, following["service"], carry=carry)
    elif state.publish_due:
        turn.understood()
        publishing.ask(turn, lead=turn.t("next_not_filed"))  # about the one filed
    else:
        turn.understood()
        actions.show_menu(turn, "next_declined")
