"""Joining an existing report: before the confirmation, open reports of the same problem nearby are offered.

Once the service and the place are known, the open cases of that service within the radius (or, with no
point, at the same place spelt alike) filed in the last `duplicates.days` by someone else are offered,
nearest first, at most three. "Sí, sumarme" makes the citizen a supporter (told of its news), keeps their
words and photo as a note on it and ends the report with its code; "No, es otro" goes on to the
confirmation, and the case then filed records which suggestions were refused.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot import report_words
from bot.messages import Button
from bot.texts import status_name
from bot.turn import Turn
from nlu.entities import extract_entities
from nlu.place_key import same_place
from storage import cases as case_rows
from storage import supporters
from storage.models import OPEN_STATUSES, Case, CaseStatus, utcnow

STEP = "same"
MAX_OFFERED = 3

# "si es ese mismo", "es el mismo hueco", "sumame", "yeah same one"; "no es otro", "nope different one".
SAME = re.compile(
    r"\b(?:mism[oa]s?|same|es es[oea]|es aquel|that one|that s it|the one|thats it|sumame|sumarme|me sumo|"
    r"sumenme|sumeme|agregame|join|me too|yo tambien|ese mero|ese ese|eso es)\b"
)
OTHER = re.compile(
    r"\b(?:otr[oa]|distint[oa]|diferente|different|another|not the same|no es el mismo|no es la misma|"
    r"no es es[eoa]|nada que ver|new one|not that one|no es ahi|not there)\b"
)
# Where a home is inside a building: never told to a neighbour.
UNIT = re.compile(
    r"\s*\b(?:apto|apartamento|apt|piso|interior|int|torre|bloque|depto|departamento|dpto|unit|flat|suite)\b.*$",
    re.IGNORECASE,
)
# "no sé", "no sé si es el mismo", "not sure": neither; asked again.
UNSURE = re.compile(
    r"\b(?:no se|no sabria|no estoy segur[oa]|ni idea|not sure|no idea|don t know|dont know|quien sabe)\b"
)
ORDINALS = (
    re.compile(r"\b(?:1|uno|primer[oa]?|first)\b"),
    re.compile(r"\b(?:2|dos|segund[oa]|second)\b"),
    re.compile(r"\b(?:3|tres|tercer[oa]?|third)\b"),
)


def _place_key(turn: Turn) -> list[Any]:
    slots = turn.state.slots
    return [slots.service, slots.latitude, slots.longitude, slots.address]


async def _similar(turn: Turn) -> list[tuple[Case, float | None]]:
    """Open cases of the report's service near its point, or at its place spelt alike."""
    settings, slots = turn.settings, turn.state.slots
    service = settings.services.get(slots.service or "")
    if service is None or service.sensitive:
        return []  # a sensitive report (a neighbour's noise) must not tell anyone who else complained
    since = utcnow() - timedelta(days=settings.duplicates.days)
    if slots.latitude is not None and slots.longitude is not None:
        found = await supporters.open_cases_near(
            turn.session,
            service=slots.service or "",
            latitude=slots.latitude,
            longitude=slots.longitude,
            radius_m=service.duplicates_radius_m or settings.duplicates.radius_m,
            since=since,
            exclude_citizen_id=turn.citizen.id,
            limit=MAX_OFFERED,
        )
        return [(case, metres) for case, metres in found]
    if not slots.address:
        return []
    candidates = await supporters.open_cases_with_place(
        turn.session, service=slots.service or "", since=since, exclude_citizen_id=turn.citizen.id
    )
    same: list[tuple[Case, float | None]] = [
        (case, None) for case in candidates if same_place(case.address, slots.address)
    ]
    return same[:MAX_OFFERED]


async def offer(turn: Turn, lead: str) -> bool:
    """Offer the open reports of the same problem nearby, once per service and place (again while it
    waits for the answer: after a language switch or a question in between); True when asked."""
    state = turn.state
    key = _place_key(turn)
    if state.joining.get("checked") == key and state.step != STEP:
        return False
    refused = list(state.joining.get("refused", []))
    state.joining = {"checked": key, "refused": refused}
    found = [(case, metres) for case, metres in await _similar(turn) if case.code not in refused]
    if not found:
        return False
    counts = await supporters.supporter_counts(turn.session, [case.id for case, _ in found])
    state.joining["offered"] = [
        {"id": case.id, "code": case.code, "m": None if metres is None else round(metres)}
        for case, metres in found
    ]
    state.step = STEP
    service = turn.settings.service_name(state.slots.service or "", turn.language)
    if len(found) == 1:
        case, metres = found[0]
        body = turn.t("same_one", service=service, **_facts(turn, case, metres, counts))
    else:
        lines = [
            turn.t("same_line", n=n, **_facts(turn, case, metres, counts))
            for n, (case, metres) in enumerate(found, 1)
        ]
        body = turn.t("same_many", service=service, lines="\n".join(lines))
    turn.say_text(f"{lead}\n{body}" if lead else body, buttons=_buttons(turn))
    return True


def _facts(turn: Turn, case: Case, metres: float | None, counts: dict[int, int]) -> dict[str, str]:
    if metres is None:  # the same place spelt alike: said in the citizen's own words
        where = turn.t("same_place", place=turn.state.slots.address)
    else:
        place = street_of(case.address)
        key = "same_at_place" if place else "same_at"
        where = turn.t(key, metres=max(1, round(metres)), place=place)
    days = max(0, (utcnow() - case.created_at).days)
    ago = turn.t("same_today") if days == 0 else turn.t("same_day" if days == 1 else "same_days", days=days)
    people = counts.get(case.id, 0)
    joined = "" if not people else turn.t("same_person" if people == 1 else "same_people", n=people)
    # "abierto hace 3 días" already says it is open; a status further along is worth saying.
    status = "" if case.status == CaseStatus.OPEN else f", {status_name(case.status, turn.language)}"
    return {"where": where, "ago": ago, "status": status, "people": joined}


def street_of(address: str | None) -> str | None:
    """Only the numbered street a neighbour's place names ("calle 45 con carrera 27"), never the rest of
    what they typed ("frente a mi casa, apto 301"): the address of a case is not public (docs/open311.md)."""
    if not address:
        return None
    street = next((e.value for e in extract_entities(address) if e.entity == "address"), None)
    street = UNIT.sub("", street.split(",")[0]).strip(" ,.#-") if street else ""
    # A street with its number; a landmark ("la casa de doña Rosa") may name a person.
    return street if any(c.isdigit() for c in street) else None


def _buttons(turn: Turn) -> tuple[Button, ...]:
    offered = turn.state.joining.get("offered", [])
    other = turn.button("button_other", "/deny")
    if len(offered) == 1:
        return (turn.button("button_join", "/affirm"), other)
    joins = (Button(turn.t("button_join_n", n=n), f"/join_{n}") for n in range(1, len(offered) + 1))
    return (*joins, other)


def answer_of(turn: Turn) -> int | bool | None:
    """Which offered report the citizen says it is (its index), False for "another one", True for a yes
    that does not say which of several, None when the message does not answer."""
    offered = turn.state.joining.get("offered", [])
    said, text = turn.said, turn.text.strip()
    if text.startswith("/join_") and text.removeprefix("/join_").isdigit():
        index = int(text.removeprefix("/join_")) - 1
        return index if 0 <= index < len(offered) else None
    if text == "/deny" or OTHER.search(said):
        return False
    if UNSURE.search(said):
        return None
    chosen = [i for i, pattern in enumerate(ORDINALS[: len(offered)]) if pattern.search(said)]
    yes = text == "/affirm" or SAME.search(said) is not None or report_words.short_answer(said) is True
    if len(chosen) == 1 and (yes or len(offered) > 1):
        return chosen[0]
    if report_words.short_answer(said) is False:
        return False
    if yes:
        return 0 if len(offered) == 1 else True
    return None


async def answer(turn: Turn, *, then: Callable[..., Awaitable[None]]) -> None:
    """The answer to "is it the same?": joined (the report ends here), asked again, or `then` (the
    report flow's next question) led by a line, for a report of its own."""
    lead = await _answer(turn)
    if lead is not None:
        await then(turn, prefix=lead)


async def _answer(turn: Turn) -> str | None:
    offered = turn.state.joining.get("offered", [])
    said = answer_of(turn)
    if said is None or said is True:
        key = "same_which" if said is True else "same_again"
        turn.say(key, buttons=_buttons(turn))
        return None
    turn.understood()
    if said is False:
        turn.state.joining["refused"] = [
            *turn.state.joining.get("refused", []),
            *(o["code"] for o in offered),
        ]
        return turn.t("same_refused")
    chosen = offered[said]
    case = await supporters.case_by_id(turn.session, chosen["id"], lock=True)
    if case is None or case.status not in OPEN_STATUSES:
        return turn.t("same_gone")
    await join(turn, case, chosen.get("m"))
    return None


async def join(turn: Turn, case: Case, metres: float | None) -> None:
    """Make the citizen a supporter of the case, keep their words and photo on it, end the report."""
    slots = turn.state.slots
    new = await supporters.add_supporter(
        turn.session, case, turn.citizen.id, channel=turn.inbound.channel, distance_m=metres
    )
    note = "\n".join(
        [slots.description or "", *(a["url"] for a in slots.attachments if a.get("url"))]
    ).strip()
    if new or note:
        kind = "joined" if new else "supporter_note"
        await case_rows.add_case_event(
            turn.session, case, kind, actor="citizen", to_value=str(turn.citizen.id), note=note or None
        )
    turn.state.reset_flow()
    turn.say("joined" if new else "already_joined", code=case.code)
    if turn.state.next_problem:  # the second of two problems in one message is still to be filed
        place = {"address": slots.address, "latitude": slots.latitude, "longitude": slots.longitude}
        turn.state.next_problem["place"] = {k: v for k, v in place.items() if v is not None}
        turn.state.offered_next = True
        name = turn.settings.service_name(turn.state.next_problem["service"], turn.language)
        buttons = (turn.button("button_yes_next", "/affirm"), turn.button("button_no_next", "/deny"))
        turn.say("offer_next", service=name, buttons=buttons)


async def record_refusals(turn: Turn, case: Case) -> None:
    """On the case just filed: which open reports the citizen was offered and said were another problem."""
    refused = turn.state.joining.get("refused", [])
    if refused:
        await case_rows.add_case_event(
            turn.session, case, "duplicate_refused", actor="citizen", note=", ".join(refused)
        )
