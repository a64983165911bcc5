"""Conversation stories: YAML files under tests/stories/, a citizen's turns and what must hold after each.

A file holds one category of behaviour:

    category: corrections
    stories:
    - name: Bogotá, the carrera corrected at the confirmation
      channel: rest                 # rest (default), sms, whatsapp, telegram
      turns:
      - say: hay un hueco grande en la cll 13 con kra 7
        expect: {asks: photo}
      - press: Omitir               # a button's title among the last replies
      - say: uy no me equivoque es la cra 15
        expect:
          asks: confirm
          summary: {service: pothole, place: cra 15}

A story the bot cannot pass yet carries `pending: <why>`: it runs, and must fail (a strict xfail), so the
day it passes the suite says so and the mark comes off.

A turn is `say` (text; may be empty with a photo or a location), `press` (a button title), `voice` (a voice
note a scripted transcriber hears as this text; `voice_confidence: low` or `too_long` for one it cannot act
on; the replies are the note's and its transcript's), plus optional
`photo: true` and `location: [lat, lon]`; or what happens meanwhile: `staff: hand_back` (an agent answers
the citizen, then hands the conversation back to the bot as the inbox does), `staff: {status: resolved,
note: …}` (a staff member changes the last case filed, as in the inbox), `staff: {call: phone, service:
pothole, description: …, place: …}` (an agent records a call from the story's number, with a case on the
citizen's behalf, as the inbox does; sms and whatsapp stories), `followups: DAYS` (the due "was
it fixed?" follow-ups are sent as if DAYS had passed) or `retention: DAYS` (`ventanilla retention run` as
if DAYS had passed), `survey: SLUG` (the city sends that survey to the citizen, as the sender does: the
example docs/examples/encuesta_presupuesto.yml under that slug, open for ten days) or `survey_closes:
SLUG` (it closes now), `reminders: 2027-04-27T10:00` (the due-date reminders are queued and a sending pass
runs as if it were then, in the city's time); the replies of these are what the citizen was sent. In
`say`, {code} is the code of the last case filed in the story ({code_nodash}, {code_spaced}, {code_lower}:
the same typed otherwise). `expect` keys, all optional (see CHECKS for what each one verifies): asks,
not_asks, summary, draft, filed, cases, handed_off, emergency, offers_person, service_buttons, language,
silent, says, not_says, safety_note, consent, rating, case_status, followup, joined, data_request, erased,
erase_request, words, subscriptions, survey_answers, knowledge_asks, preferential, preferential_records,
plain. Text comparisons ignore case and
accents. Quote `say: "yes"` and `say: "no"`: YAML reads them unquoted as true and false.

A story whose turns never check `subscriptions` must end with the citizen in no topic (opting in is
default off: no ordinary conversation may sign anyone up).

`given` (on the story) lists cases other citizens filed before it starts, for joining an existing report:
`{service, at: [lat, lon], place, days_ago, status, supporters}` (all but service optional); `asks: same`
then checks that the bot asks whether it is the same problem, and `joined` whether the citizen joined one.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import contacts, retention
from bot.broadcasts import send_pass
from bot.case_status import Staff, change_status
from bot.cases import NewCase
from bot.followups import send_due
from bot.messages import Attachment, InboundMessage, Location, OutboundMessage
from bot.outbound import as_outbound
from bot.pipeline import Pipeline
from bot.reminder_job import queue_reminders
from bot.settings import Settings
from bot.texts import TEXTS
from inbox import handoff
from inbox.auth import StaffMember
from storage import preferential
from storage import staff as staff_rows
from storage.cases import add_case
from storage.models import (
    Case,
    CaseSupporter,
    ChannelIdentity,
    Citizen,
    Conversation,
    ConversationRating,
    DataRequest,
    FollowUp,
    Holder,
    KnowledgeAsk,
    Message,
    StaffUser,
    Subscription,
    SurveyAnswer,
    utcnow,
)
from storage.stores import open_store
from storage.supporters import add_supporter
from tests.support import story_voice
from tests.support import surveys as story_surveys

STORIES_DIR = Path(__file__).resolve().parent.parent / "stories"
STEPS = ("service", "description", "location", "photo", "confirm", "same", "nothing")
CHANNELS = {
    "rest": "web-{n}",
    "sms": "+5730012{n:05d}",
    "whatsapp": "+5731512{n:05d}",
    "telegram": "9100{n:05d}",
    "email": "vecino{n}@correo.test",  # issue 18: the text as the mail connector hands it on
}
TURN_KEYS = {
    "say", "press", "photo", "location", "expect", "staff", "followups", "retention", "survey",
    "survey_closes", "reminders", "voice", "voice_confidence",
}  # fmt: skip
# A turn does exactly one of these.
ACTS = ("say", "press", "staff", "followups", "retention", "survey", "survey_closes", "reminders", "voice")
HAND_BACK = "hand_back"  # `staff: hand_back`; otherwise `staff` is a change of the last case
_addresses = itertools.count(1)
_ids = itertools.count(1)


class StoryError(Exception):
    """A story file that does not follow the format: the message names the file, story and key."""


def fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class StoryTurn:
    say: str | None
    press: str | None
    photo: bool
    location: tuple[float, float] | None
    expect: dict[str, Any]
    # "hand_back" (an agent answers, then hands the conversation back), a case change {status, note}, or
    # a call an agent records {call: phone|in_person, summary, service, description, place} (issue 18)
    staff: str | dict[str, str] | None = None
    followups: float | None = None
    retention: float | None = None  # days later, `ventanilla retention run`
    survey: str | None = None  # the city sends the survey with this slug to the citizen
    survey_closes: str | None = None  # the survey with this slug closes now
    reminders: str | None = None  # ISO time (city time if bare): reminders queued and sent as if then
    voice: str | None = None  # a voice note the (scripted) transcriber hears as this text
    voice_confidence: str = "high"  # or "low" (heard, not sure enough) or "too_long"

    def describe(self) -> str:
        if self.voice is not None:
            return f"sends a voice note saying {self.voice!r} ({self.voice_confidence})"
        if self.staff == HAND_BACK:
            return "(an agent answers, then hands the conversation back)"
        if self.staff is not None:
            return f"staff set the case {self.staff}"
        if self.followups is not None:
            return f"{self.followups} days later, the follow-ups are sent"
        if self.retention is not None:
            return f"{self.retention} days later, retention runs"
        if self.survey is not None:
            return f"the city sends survey {self.survey}"
        if self.survey_closes is not None:
            return f"survey {self.survey_closes} closes"
        if self.reminders is not None:
            return f"at {self.reminders}, the due-date reminders are sent"
        said = f"presses {self.press!r}" if self.press is not None else f"says {self.say!r}"
        extras = [x for x, on in (("+photo", self.photo), ("+location", self.location)) if on]
        return " ".join([said, *extras])


@dataclass(frozen=True)
class Story:
    file: str
    category: str
    name: str
    channel: str
    turns: tuple[StoryTurn, ...]
    pending: str | None = None  # why the bot does not do this yet: the story must fail until it does
    given: tuple[dict[str, Any], ...] = ()  # cases other citizens filed before the story starts

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


def load_stories(folder: Path = STORIES_DIR) -> list[Story]:
    stories: list[Story] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        where = path.name
        if set(data) - {"category", "stories"} or not isinstance(data.get("stories"), list):
            raise StoryError(f"{where}: a story file has `category` and a list of `stories`")
        category = str(data.get("category") or path.stem)
        for number, raw in enumerate(data["stories"], 1):
            stories.append(_story(raw, where, category, number))
    names = [s.id for s in stories]
    if len(names) != len(set(names)):
        raise StoryError(f"story names repeat: {sorted({n for n in names if names.count(n) > 1})}")
    return stories


def _story(raw: Any, where: str, category: str, number: int) -> Story:
    if not isinstance(raw, dict) or not raw.get("name") or not raw.get("turns"):
        raise StoryError(f"{where}: story {number} needs a `name` and `turns`")
    where = f"{where}: {raw['name']!r}"
    unknown = set(raw) - {"name", "channel", "turns", "language", "region", "notes", "pending", "given"}
    if unknown:
        raise StoryError(f"{where}: unknown keys {sorted(unknown)}")
    channel = raw.get("channel", "rest")
    if channel not in CHANNELS:
        raise StoryError(f"{where}: channel must be one of {sorted(CHANNELS)}")
    turns = []
    for index, turn in enumerate(raw["turns"], 1):
        if isinstance(turn, str):
            turn = {"say": turn}
        if not isinstance(turn, dict) or set(turn) - TURN_KEYS or sum(act in turn for act in ACTS) != 1:
            raise StoryError(f"{where}, turn {index}: one of {ACTS}, and {sorted(TURN_KEYS)}")
        if isinstance(turn.get("staff"), str) and turn["staff"] != HAND_BACK:
            raise StoryError(f"{where}, turn {index}: `staff` is {HAND_BACK} or {{status, note}}")
        if "say" in turn and turn["say"] is not None and not isinstance(turn["say"], str | int | float):
            # YAML reads an unquoted yes/no/on/off as true/false: the citizen typed words, so quote them.
            raise StoryError(f"{where}, turn {index}: quote what is said ({turn['say']!r} is not text)")
        expect = turn.get("expect") or {}
        unknown = set(expect) - set(CHECKS)
        if unknown:
            raise StoryError(f"{where}, turn {index}: unknown expectations {sorted(unknown)}")
        location = turn.get("location")
        turns.append(
            StoryTurn(
                say=None if turn.get("say") is None else str(turn["say"]),
                press=turn.get("press"),
                photo=bool(turn.get("photo")),
                location=(float(location[0]), float(location[1])) if location else None,
                expect=expect,
                staff=turn.get("staff"),
                followups=float(turn["followups"]) if "followups" in turn else None,
                retention=float(turn["retention"]) if "retention" in turn else None,
                survey=turn.get("survey"),
                survey_closes=turn.get("survey_closes"),
                reminders=str(turn["reminders"]) if "reminders" in turn else None,
                voice=None if turn.get("voice") is None else str(turn["voice"]),
                voice_confidence=str(turn.get("voice_confidence", "high")),
            )
        )
    pending = raw.get("pending")
    given = raw.get("given") or []
    if not isinstance(given, list) or any(not isinstance(g, dict) or "service" not in g for g in given):
        raise StoryError(f"{where}: `given` is a list of cases, each with a `service`")
    return Story(
        where.split(":")[0], category, str(raw["name"]), channel, tuple(turns), pending, tuple(given)
    )


@dataclass
class After:
    """What a check may look at after a turn."""

    settings: Settings
    replies: list[OutboundMessage]
    conversation: Conversation
    cases: list[Case]
    new_cases: list[Case]
    rating: ConversationRating | None = None
    followups: list[FollowUp] = field(default_factory=list)  # of the citizen's cases, oldest first
    supported: list[int] = field(default_factory=list)  # the cases the citizen joined
    erasure: dict[str, Any] = field(default_factory=dict)  # {"request": status of the last, "erased": bool}
    data_requests: list[DataRequest] = field(default_factory=list)  # the citizen's, oldest first
    said: list[str] = field(default_factory=list)  # the text of each of the citizen's messages, oldest first
    subscriptions: dict[str, str] = field(default_factory=dict)  # topic: "status" or "status/area"
    survey_answers: dict[str, Any] = field(default_factory=dict)  # the citizen's, question key → value
    knowledge_asks: list[dict[str, Any]] = field(default_factory=list)  # the citizen's, oldest first
    # Issue 19: the citizen's preferential attention and plain replies, and their records, oldest first.
    preferential: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return fold("\n".join(r.text for r in self.replies))

    @property
    def payloads(self) -> list[str]:
        return [b.payload for r in self.replies for b in r.buttons]

    @property
    def step(self) -> str:
        state = self.conversation.state or {}
        return (state.get("step") or "nothing") if state.get("flow") else "nothing"

    @property
    def slots(self) -> dict[str, Any]:
        return dict((self.conversation.state or {}).get("slots") or {})

    @property
    def language(self) -> str:
        return self.replies[-1].language if self.replies else ""

    def service_name(self, code: str) -> str:
        return fold(self.settings.service_name(code, self.language or "es"))


Check = Callable[[After, Any], str | None]  # None when it holds, else what went wrong


def _survey_answers(after: After, want: dict[str, Any]) -> str | None:
    got = after.survey_answers
    return None if got == want else f"the citizen's survey answers are {got}, not {want}"


def _knowledge_asks(after: After, want: Any) -> str | None:
    """The citizen's questions to the knowledge base as recorded: a dict checks the last one's given
    fields ({outcome, topic, useful, question}), a list every one in order; [] means none recorded."""
    got = after.knowledge_asks
    wants = want if isinstance(want, list) else [want]
    if isinstance(want, dict):
        got = got[-1:]
    if len(got) != len(wants):
        return f"the recorded questions are {got}, expected {want}"
    wrong = [
        f"{k} is {row.get(k)!r}, not {v!r}"
        for row, expected in zip(got, wants, strict=True)
        for k, v in expected.items()
        if (fold(str(v)) not in fold(str(row.get(k))) if k == "question" else row.get(k) != v)
    ]
    return f"{'; '.join(wrong)} (recorded: {got})" if wrong else None


def _asks(after: After, want: str) -> str | None:
    if want not in STEPS:
        return f"`asks` must be one of {STEPS}"
    return None if after.step == want else f"expected the bot to ask for {want}, it waits for {after.step}"


def _not_asks(after: After, steps: Any) -> str | None:
    steps = [steps] if isinstance(steps, str) else list(steps)
    return f"the bot asks for {after.step}, which it must not" if after.step in steps else None


def _place_holds(place: str | None, want: str) -> bool:
    return place is not None and fold(want) in fold(place)


def _summary(after: After, want: dict[str, str]) -> str | None:
    """The confirmation summary is shown in this turn's replies, with the service and place given."""
    if after.step != "confirm":
        return f"expected the summary (confirmation step), the bot waits for {after.step}"
    problems = []
    if "service" in want and after.service_name(want["service"]) not in after.text:
        problems.append(f"service {want['service']} not in the summary")
    if "place" in want and fold(want["place"]) not in after.text:
        problems.append(f"place {want['place']!r} not in the summary")
    return "; ".join(problems) or None


def _draft(after: After, want: dict[str, Any]) -> str | None:
    """What the report being drafted holds, whether or not it was shown."""
    slots = after.slots
    problems = []
    if "service" in want and slots.get("service") != want["service"]:
        problems.append(f"draft service is {slots.get('service')}, not {want['service']}")
    if "place" in want and not _place_holds(slots.get("address"), want["place"]):
        problems.append(f"draft place is {slots.get('address')!r}, not containing {want['place']!r}")
    if "description" in want and fold(want["description"]) not in fold(slots.get("description") or ""):
        problems.append(f"draft description is {slots.get('description')!r}")
    if "photo" in want and bool(slots.get("attachments")) != want["photo"]:
        problems.append(f"draft photo is {bool(slots.get('attachments'))}")
    return "; ".join(problems) or None


def _filed(after: After, want: bool | dict[str, Any]) -> str | None:
    if want is False:
        return f"nothing must be filed, but {[c.code for c in after.cases]} were" if after.cases else None
    if len(after.new_cases) != 1:
        return f"expected one case filed in this turn, got {len(after.new_cases)}"
    case = after.new_cases[0]
    if case.code not in "\n".join(r.text for r in after.replies):
        return f"the citizen was not given the code {case.code}"
    if isinstance(want, dict):
        if "service" in want and case.service_code != want["service"]:
            return f"filed as {case.service_code}, not {want['service']}"
        if "place" in want and not _place_holds(case.address, want["place"]):
            return f"filed at {case.address!r}, not containing {want['place']!r}"
        if "photo" in want and bool(case.attachments) != want["photo"]:
            return f"filed with photo={bool(case.attachments)}"
        if "description" in want and fold(want["description"]) not in fold(case.description):
            return f"filed with description {case.description!r}"
    return None


def _cases(after: After, want: int) -> str | None:
    return None if len(after.cases) == want else f"expected {want} cases in all, there are {len(after.cases)}"


def _handed_off(after: After, want: bool) -> str | None:
    waiting = after.conversation.holder != Holder.BOT
    return None if waiting == want else f"handed to a person: {waiting}, expected {want}"


def _emergency(after: After, want: bool) -> str | None:
    numbers = after.settings.city.emergency.numbers
    given = any(fold(n) in after.text for n in numbers)
    if not want:
        return "the emergency number was given" if given else None
    if not given:
        return f"no emergency number ({', '.join(numbers)}) in the reply"
    if after.step != "nothing":
        return f"an emergency must not open a report flow (the bot waits for {after.step})"
    if any(p.startswith("/report_") for p in after.payloads):
        return "an emergency got report buttons"
    return None


def _offers_person(after: After, want: bool) -> str | None:
    offered = "/human_handoff" in after.payloads
    return None if offered == want else f"a person offered: {offered}, expected {want}"


def _service_buttons(after: After, want: bool) -> str | None:
    shown = any(p.startswith("/report_") and p != "/report_problem" for p in after.payloads)
    return None if shown == want else f"service buttons shown: {shown}, expected {want}"


def _silent(after: After, want: bool) -> str | None:
    quiet = not after.replies
    return (
        None if quiet == want else f"the bot {'said nothing' if quiet else 'replied'}, expected silent={want}"
    )


def _language(after: After, want: str) -> str | None:
    languages = {r.language for r in after.replies}
    return None if languages == {want} else f"replied in {sorted(languages)}, expected {want}"


def _says(after: After, fragments: Any) -> str | None:
    fragments = [fragments] if isinstance(fragments, str) else fragments
    missing = [f for f in fragments if fold(f) not in after.text]
    return f"the reply lacks {missing}" if missing else None


def _not_says(after: After, fragments: Any) -> str | None:
    fragments = [fragments] if isinstance(fragments, str) else fragments
    present = [f for f in fragments if fold(f) in after.text]
    return f"the reply must not say {present}" if present else None


def _safety_note(after: After, want: bool) -> str | None:
    numbers = " / ".join(after.settings.city.emergency.numbers)
    notes = [
        fold(v.format(numbers=numbers))
        for k, entry in TEXTS.items()
        if k.startswith("safety_")
        for v in entry.values()
    ]
    given = any(note in after.text for note in notes)
    return None if given == want else f"safety note given: {given}, expected {want}"


def _consent(after: After, want: Any) -> str | None:
    """The citizen's recorded answer to publishing a description: true, false or unanswered, for the last
    case filed; a list of them checks every case, in the order filed."""
    got = [
        "unanswered" if c.publish_consent is None else c.publish_consent
        for c in sorted(after.cases, key=lambda c: c.id)
    ]
    if isinstance(want, list):
        return None if got == want else f"consents are {got}, expected {want}"
    if not got:
        return "no case filed"
    return None if got[-1] == want else f"the last case's consent is {got[-1]}, expected {want}"


def _rating(after: After, want: Any) -> str | None:
    """The citizen's rating of the last conversation a person handed back: 1–5, or unanswered."""
    if after.rating is None:
        return "no rating was asked"
    got = "unanswered" if after.rating.rating is None else after.rating.rating
    return None if got == want else f"the rating is {got}, expected {want}"


def _case_status(after: After, want: str) -> str | None:
    """The status of the last case filed ("reopened", "closed"…)."""
    if not after.cases:
        return "no case filed"
    status = max(after.cases, key=lambda c: c.id).status
    return None if status == want else f"the last case is {status}, expected {want}"


def _followup(after: After, want: dict[str, Any]) -> str | None:
    """The last follow-up's recorded fields: {status, answer, rating, moved_case, reason, comment}."""
    if not after.followups:
        return "no follow-up"
    last = after.followups[-1]
    wrong = [f"{k} is {getattr(last, k)!r}, not {v!r}" for k, v in want.items() if getattr(last, k) != v]
    return "; ".join(wrong) or None


def _erased(after: After, want: bool) -> str | None:
    erased = after.erasure.get("erased", False)
    return None if erased == want else f"erased: {erased}, expected {want}"


def _erase_request(after: After, want: str) -> str | None:
    got = after.erasure.get("request")
    return None if got == want else f"the last erase request is {got!r}, not {want!r}"


def _data_request(after: After, want: bool | dict[str, Any]) -> str | None:
    """false: the citizen has made no data request; else the last one's {kind, status, detail (a fragment
    its detail contains, case and accents ignored), count (how many in all)}."""
    if want is False:
        return None if not after.data_requests else f"{len(after.data_requests)} data request(s) made"
    if not after.data_requests:
        return "no data request recorded"
    last, want = after.data_requests[-1], dict(want) if isinstance(want, dict) else {}
    wrong = [f"{k} is {getattr(last, k)!r}, not {v!r}" for k in ("kind", "status") if (v := want.get(k))
             and getattr(last, k) != v]  # fmt: skip
    if "detail" in want and fold(str(want["detail"])) not in fold(last.detail or ""):
        wrong.append(f"detail {last.detail!r} lacks {want['detail']!r}")
    if "count" in want and len(after.data_requests) != want["count"]:
        wrong.append(f"{len(after.data_requests)} requests, not {want['count']}")
    return "; ".join(wrong) or None


def _words(after: After, want: str) -> str | None:
    """ "kept": the citizen's messages still hold their words; "blank": retention blanked every one."""
    got = "blank" if after.said and not any(after.said) else "kept" if any(after.said) else "none"
    return None if got == want else f"the citizen's messages are {got} ({after.said[:3]}), not {want}"


def _subscriptions(after: After, want: dict[str, str]) -> str | None:
    """The citizen's topics, every one: {topic: status} ({} for none), or "status/area" ("active/norte",
    "active/all" for the whole city) to check the area too."""
    got = {
        topic: value if "/" in str(want.get(topic, "")) else value.split("/")[0]
        for topic, value in after.subscriptions.items()
    }
    return None if got == dict(want) else f"the subscriptions are {after.subscriptions}, expected {want}"


def _joined(after: After, want: bool) -> str | None:
    joined = bool(after.supported)
    return None if joined == want else f"joined a report: {joined}, expected {want}"


def _preferential(after: After, want: str | None) -> str | None:
    """The citizen's preferential attention: its kind, or null for none. A kind must also be recorded (the
    latest record a grant of that kind, on the story's channel, with the citizen's words)."""
    got, records = after.preferential.get("kind"), after.preferential.get("records", [])
    if got != want:
        return f"preferential attention is {got!r}, expected {want!r}"
    if want is None:
        return None
    last = records[-1] if records else {}
    if (last.get("action"), last.get("kind")) != ("granted", want) or not last.get("words"):
        return f"the latest record is {last}, expected a grant of {want} with the citizen's words"
    return None


def _preferential_records(after: After, want: int) -> str | None:
    records = after.preferential.get("records", [])
    return (
        None if len(records) == want else f"{len(records)} preferential records ({records}), expected {want}"
    )


def _plain(after: After, want: bool) -> str | None:
    got = bool(after.preferential.get("plain"))
    return None if got == want else f"plain replies asked for: {got}, expected {want}"


CHECKS: dict[str, Check] = {
    "asks": _asks,  # the step the bot waits for: service|description|location|photo|confirm|nothing
    "not_asks": _not_asks,  # a step (or list) the bot must not be waiting for
    "summary": _summary,  # the confirmation summary is shown, with {service, place}
    "draft": _draft,  # the report being drafted holds {service, place, description, photo}
    "filed": _filed,  # false: nothing filed so far; true or {service, place, photo, description}: this turn
    "cases": _cases,  # how many cases the citizen has in all
    "handed_off": _handed_off,  # the conversation waits for (or is held by) a person
    "emergency": _emergency,  # the emergency number given, no report flow, no report buttons
    "offers_person": _offers_person,  # a "talk to a person" button is offered
    "service_buttons": _service_buttons,  # the service catalog is offered as buttons
    "language": _language,  # every reply of the turn is in this language
    "silent": _silent,  # the bot says nothing (a person holds the conversation)
    "says": _says,  # fragments the reply contains (case and accents ignored)
    "not_says": _not_says,  # fragments it must not contain
    "safety_note": _safety_note,  # one of the safety notes (texts safety_*) is given
    "consent": _consent,  # the answer to publishing recorded: true|false|unanswered (a list: every case)
    "rating": _rating,  # the rating of the conversation a person handed back: 1–5 or unanswered
    "case_status": _case_status,  # the last case's status: reopened, closed, resolved…
    "followup": _followup,  # the last follow-up's {status, answer, rating, moved_case, reason, comment}
    "joined": _joined,  # the citizen joined someone else's report (and filed nothing for it)
    "erased": _erased,  # the citizen's data is erased: nothing is found by their address any more
    "erase_request": _erase_request,  # the status of the last erase request: open|held|done|cancelled
    "data_request": _data_request,  # false, or the last data request's {kind, status, detail, count}
    "words": _words,  # the citizen's own messages: kept (their words are there) or blank (retention)
    "subscriptions": _subscriptions,  # the citizen's topics: {topic: status or "status/area"}; {}: none
    "survey_answers": _survey_answers,  # exactly the citizen's survey answers: {question: value}
    "knowledge_asks": _knowledge_asks,  # recorded questions: the last's {outcome, topic, useful}, or a list
    "preferential": _preferential,  # issue 19: the kind of preferential attention (recorded), or null
    "preferential_records": _preferential_records,  # how many grants and withdrawals are recorded
    "plain": _plain,  # the citizen asked for simpler replies ("más simple") and has not gone back
}


@dataclass
class Teller:
    """Plays a story through the real pipeline and checks every turn."""

    pipeline: Pipeline
    story: Story
    address: str = field(init=False)
    replies: list[OutboundMessage] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    last_code: str | None = None  # of the last case filed in the story, for {code} in what is said

    def __post_init__(self) -> None:
        self.address = CHANNELS[self.story.channel].format(n=next(_addresses))

    async def play(self) -> None:
        if self.story.given:
            await self._in_session(self._given)
        for index, turn in enumerate(self.story.turns, 1):
            before = {c.id for c in await self._cases()}
            await self._send(turn)
            conversation = await self._conversation()
            cases = await self._cases()
            after = After(
                self.pipeline.settings,
                self.replies,
                conversation,
                cases,
                [c for c in cases if c.id not in before],
                await self._rating(conversation),
                await self._followup_rows([c.id for c in cases]),
                await self._in_session(self._supported),
                await self._in_session(self._erasure),
                await self._data_requests(conversation),
                await self._in_session(self._said),
                await self._in_session(self._subscriptions),
                await self._in_session(self._survey_answers),
                await self._in_session(self._knowledge_asks),
                await self._in_session(self._preferential),
            )
            if after.new_cases:
                self.last_code = after.new_cases[-1].code
            problems = [
                f"{key}: {problem}"
                for key, want in turn.expect.items()
                if (problem := CHECKS[key](after, want)) is not None
            ]
            if problems:
                raise AssertionError(
                    f"{self.story.id}, turn {index} ({turn.describe()}):\n  "
                    + "\n  ".join(problems)
                    + "\n--- conversation so far ---\n"
                    + "\n".join(self.transcript)
                )
        await self._never_opted_in()

    async def _never_opted_in(self) -> None:
        """Default off: a story that never checks `subscriptions` is one whose citizen never said yes to a
        topic, so whatever they said, they must end with none."""
        if any("subscriptions" in turn.expect for turn in self.story.turns):
            return
        found = await self._in_session(self._subscriptions)
        if found:
            raise AssertionError(
                f"{self.story.id}: the citizen never opted in, yet has the topics {found}\n"
                + "\n".join(self.transcript)
            )

    async def _send(self, turn: StoryTurn) -> None:
        if turn.survey is not None or turn.survey_closes is not None:
            await self._survey(turn)
            return
        if turn.retention is not None:
            async with open_store(self.pipeline.settings) as store:
                now = utcnow() + timedelta(days=turn.retention)
                await retention.run(self.pipeline.sessions, self.pipeline.settings, store, now)
            self.replies = []  # retention writes to nobody
            self.transcript.append(f"* {turn.describe()}")
            return
        if turn.staff == HAND_BACK:
            await self._hand_back()
            return
        if turn.voice is not None:
            self.replies = await story_voice.send(self.pipeline, self.story.channel, self.address, turn)
            self._told(turn)
            return
        if turn.staff is not None or turn.followups is not None or turn.reminders is not None:
            assert not isinstance(turn.staff, str)
            if turn.reminders is not None:
                self.replies = await self._reminders(turn.reminders)
            else:
                self.replies = await (
                    self._staff(turn.staff) if turn.staff else self._followups(turn.followups or 0)
                )
            self.transcript.append(f"* {turn.describe()}")
            for reply in self.replies:
                buttons = f"  [{' | '.join(b.title for b in reply.buttons)}]" if reply.buttons else ""
                self.transcript.append("< " + reply.text.replace("\n", "\n  ") + buttons)
            return
        text = self._fill(turn.say or "")
        if turn.press is not None:
            payloads = {b.title: b.payload for r in self.replies for b in r.buttons}
            if turn.press not in payloads:
                raise AssertionError(
                    f"{self.story.id}: no button {turn.press!r} among {sorted(payloads)}\n"
                    + "\n".join(self.transcript)
                )
            text = payloads[turn.press]
        inbound = InboundMessage(
            channel=self.story.channel,
            address=self.address,
            provider_message_id=f"story-{next(_ids)}",
            text=text,
            location=Location(*turn.location) if turn.location else None,
            attachments=(Attachment(url=f"https://example.org/p{next(_ids)}.jpg", content_type="image/jpeg"),)
            if turn.photo
            else (),
        )
        outcome = await self.pipeline.handle(inbound)
        self.replies = list(outcome.replies)
        self.transcript.append(f"> {turn.describe()}")
        for reply in self.replies:
            buttons = f"  [{' | '.join(b.title for b in reply.buttons)}]" if reply.buttons else ""
            self.transcript.append("< " + reply.text.replace("\n", "\n  ") + buttons)

    def _told(self, turn: StoryTurn) -> None:
        self.transcript.append(f"> {turn.describe()}")
        for reply in self.replies:
            buttons = f"  [{' | '.join(b.title for b in reply.buttons)}]" if reply.buttons else ""
            self.transcript.append("< " + reply.text.replace("\n", "\n  ") + buttons)

    async def _survey(self, turn: StoryTurn) -> None:
        """The city sends the survey (its opening is what the citizen reads), or the survey closes."""
        self.transcript.append(f"* {turn.describe()}")
        if turn.survey_closes is not None:
            await story_surveys.close(self.pipeline.sessions, turn.survey_closes)
            self.replies = []
            return
        assert turn.survey is not None
        channel, settings = self.story.channel, self.pipeline.settings
        body, buttons, _, language = await story_surveys.send(
            self.pipeline.sessions, settings, channel, self.address, turn.survey
        )
        self.replies = [OutboundMessage(channel, self.address, body, buttons, language)]
        buttons_shown = f"  [{' | '.join(b.title for b in buttons)}]" if buttons else ""
        self.transcript.append("< " + body.replace("\n", "\n  ") + buttons_shown)

    async def _knowledge_asks(self, session: AsyncSession) -> list[dict[str, Any]]:
        found = await session.execute(
            select(KnowledgeAsk)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == KnowledgeAsk.citizen_id)
            .where(ChannelIdentity.channel == self.story.channel, ChannelIdentity.address == self.address)
            .order_by(KnowledgeAsk.id)
        )
        return [
            {"outcome": a.outcome, "topic": a.topic, "useful": a.useful, "question": a.question}
            for a in found.scalars()
        ]

    async def _preferential(self, session: AsyncSession) -> dict[str, Any]:
        citizen = await session.scalar(
            select(Citizen)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == Citizen.id)
            .where(ChannelIdentity.channel == self.story.channel, ChannelIdentity.address == self.address)
        )
        if citizen is None:
            return {}
        found = await preferential.records(session, citizen.id)
        records = [
            {"action": r.action, "kind": r.kind, "words": r.words, "channel": r.channel}
            for r in reversed(found)
        ]
        return {"kind": citizen.preferential, "plain": preferential.wants_plain(citizen), "records": records}

    async def _survey_answers(self, session: AsyncSession) -> dict[str, Any]:
        found = await session.execute(
            select(SurveyAnswer.question, SurveyAnswer.value)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == SurveyAnswer.citizen_id)
            .where(ChannelIdentity.channel == self.story.channel, ChannelIdentity.address == self.address)
        )
        return {question: value for question, value in found}

    async def _hand_back(self) -> None:
        """An agent answers the citizen and hands the conversation back, as the inbox does."""
        conversation = await self._conversation()
        async with self.pipeline.sessions() as session, session.begin():
            row = await staff_rows.staff_by_username(session, "story-agent")
            if row is None:
                row = await staff_rows.add_staff(
                    session, username="story-agent", password_hash="-", role="agent", department=None
                )
            agent = StaffMember(row.id, row.username, row.role, None, None, "-")
            locked = await session.get(Conversation, conversation.id, with_for_update=True)
            assert locked is not None
            await handoff.reply(session, locked, agent, "Listo, ya quedó anotado.", utcnow())
            notice = await handoff.hand_back(session, locked, agent, self.pipeline.settings)
            assert notice is not None
            self.replies = [as_outbound(notice)]
        self.transcript.append("> (an agent answers, then hands the conversation back)")
        for reply in self.replies:
            buttons = f"  [{' | '.join(b.title for b in reply.buttons)}]" if reply.buttons else ""
            self.transcript.append("< " + reply.text.replace("\n", "\n  ") + buttons)

    async def _data_requests(self, conversation: Conversation) -> list[DataRequest]:
        async def read(session: AsyncSession) -> list[DataRequest]:
            rows = await session.scalars(
                select(DataRequest)
                .where(DataRequest.citizen_id == conversation.citizen_id)
                .order_by(DataRequest.id)
            )
            return list(rows.all())

        found: list[DataRequest] = await self._in_session(read)
        return found

    async def _rating(self, conversation: Conversation) -> ConversationRating | None:
        async def read(session: AsyncSession) -> ConversationRating | None:
            return await session.scalar(
                select(ConversationRating)
                .where(ConversationRating.conversation_id == conversation.id)
                .order_by(ConversationRating.id.desc())
                .limit(1)
            )

        rating: ConversationRating | None = await self._in_session(read)
        return rating

    def _fill(self, said: str) -> str:
        """{code}, {code_nodash}, {code_spaced}, {code_lower}: the last filed case's code, as typed."""
        if "{code" not in said:
            return said
        if self.last_code is None:
            raise AssertionError(f"{self.story.id}: {said!r} names a code, but no case was filed yet")
        code = self.last_code
        return (
            said.replace("{code_nodash}", code.replace("-", ""))
            .replace("{code_spaced}", code.replace("-", " "))
            .replace("{code_lower}", code.lower())
            .replace("{code}", code)
        )

    async def _written_since(
        self, work: Callable[[], Awaitable[Any]], citizen_id: int | None = None
    ) -> list[OutboundMessage]:
        """What the city wrote to the citizen (of the last case filed, unless given) on its own while
        `work` ran."""
        if citizen_id is None:
            found = [c for c in await self._cases() if c.code == self.last_code]
            assert found and found[0].citizen_id is not None, f"{self.story.id}: no case filed yet"
            citizen_id = found[0].citizen_id

        async def newest(session: AsyncSession) -> int:
            found = await session.scalar(select(func.max(Message.id)))
            return int(found or 0)

        before = await self._in_session(newest)
        await work()

        async def written(session: AsyncSession) -> list[Message]:
            rows = await session.scalars(
                select(Message)
                .where(Message.citizen_id == citizen_id, Message.id > before, Message.direction == "out")
                .order_by(Message.id)
            )
            return list(rows.all())

        return [as_outbound(m) for m in await self._in_session(written)]

    async def _followup_rows(self, case_ids: list[int]) -> list[FollowUp]:
        async def read(session: AsyncSession) -> list[FollowUp]:
            rows = await session.scalars(
                select(FollowUp).where(FollowUp.case_id.in_(case_ids)).order_by(FollowUp.id)
            )
            return list(rows.all())

        found: list[FollowUp] = await self._in_session(read)
        return found

    async def _staff(self, change: dict[str, str]) -> list[OutboundMessage]:
        if "call" in change:
            return await self._call(change)

        async def act() -> None:
            async with self.pipeline.sessions() as session, session.begin():
                staff = await session.scalar(select(StaffUser).where(StaffUser.username == "story-staff"))
                if staff is None:
                    staff = StaffUser(username="story-staff", password_hash="-", role="agent")
                    session.add(staff)
                    await session.flush()
                case = await session.scalar(select(Case).where(Case.code == self.last_code).with_for_update())
                assert case is not None
                who = Staff(staff.id, staff.username)
                await change_status(
                    session,
                    self.pipeline.settings,
                    case,
                    change["status"],
                    staff=who,
                    note=change.get("note"),
                )

        return await self._written_since(act)

    async def _call(self, call: dict[str, str]) -> list[OutboundMessage]:
        """Issue 18: an agent records a call (or visit) from this story's number, with a case when `service`
        is given, as the inbox's "Registrar llamada o visita" does; what the city wrote to the citizen."""
        settings = self.pipeline.settings
        new = (
            NewCase(call["service"], call.get("description", ""), call.get("place"))
            if "service" in call
            else None
        )
        contact = contacts.Contact(call["call"], call.get("summary", "(llamada)"), utcnow(), new)
        async with self.pipeline.sessions() as session, session.begin():
            staff = await session.scalar(select(StaffUser).where(StaffUser.username == "story-staff"))
            if staff is None:
                staff = StaffUser(username="story-staff", password_hash="-", role="agent")
                session.add(staff)
                await session.flush()
            newest = int(await session.scalar(select(func.max(Message.id))) or 0)
            citizen = await contacts.caller(session, settings, self.address, None)
            _, case = await contacts.record(
                session, settings, citizen, contact, Staff(staff.id, staff.username)
            )
            self.last_code = case.code if case else self.last_code
            written = await session.scalars(
                select(Message)
                .where(Message.citizen_id == citizen.id, Message.id > newest, Message.direction == "out")
                .order_by(Message.id)
            )
            return [as_outbound(m) for m in written]

    async def _followups(self, days: float) -> list[OutboundMessage]:
        now = utcnow() + timedelta(days=days)
        return await self._written_since(
            lambda: send_due(self.pipeline.sessions, self.pipeline.settings, now)
        )

    async def _reminders(self, when: str) -> list[OutboundMessage]:
        """The due-date reminders queued and a sending pass run as if it were `when` (city time if bare)."""
        settings, sessions = self.pipeline.settings, self.pipeline.sessions
        at = datetime.fromisoformat(when)
        at = at if at.tzinfo else at.replace(tzinfo=settings.city.zone)
        conversation = await self._conversation()

        async def work() -> None:
            await queue_reminders(sessions, settings, at)
            await send_pass(sessions, settings, at)

        return await self._written_since(work, conversation.citizen_id)

    async def _in_session(self, work: Callable[[AsyncSession], Awaitable[Any]]) -> Any:
        async with self.pipeline.sessions() as session:
            return await work(session)

    async def _erasure(self, session: AsyncSession) -> dict[str, Any]:
        """Whether the citizen is gone, and the status of the story's last erase request (every story
        plays in a database of its own, so the last one is this citizen's)."""
        identity = await session.scalar(
            select(ChannelIdentity.id).where(
                ChannelIdentity.channel == self.story.channel, ChannelIdentity.address == self.address
            )
        )
        status = await session.scalar(
            select(DataRequest.status)
            .where(DataRequest.kind == "erase")
            .order_by(DataRequest.id.desc())
            .limit(1)
        )
        return {"erased": identity is None, "request": status}

    async def _said(self, session: AsyncSession) -> list[str]:
        found = await session.scalars(
            select(Message.text)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == Message.citizen_id)
            .where(
                ChannelIdentity.channel == self.story.channel,
                ChannelIdentity.address == self.address,
                Message.direction == "in",
            )
            .order_by(Message.id)
        )
        return list(found.all())

    async def _conversation(self) -> Conversation:
        async def read(session: AsyncSession) -> Conversation:
            found = await session.scalar(
                select(Conversation)
                .join(ChannelIdentity, ChannelIdentity.citizen_id == Conversation.citizen_id)
                .where(ChannelIdentity.channel == self.story.channel, ChannelIdentity.address == self.address)
            )
            # None: the citizen erased their data (nothing of theirs is left to find by this address).
            return found if found is not None else Conversation(state={}, citizen_id=0)

        conversation: Conversation = await self._in_session(read)
        return conversation

    async def _given(self, session: AsyncSession) -> None:
        """The cases other citizens filed before the story: each by a citizen of its own."""
        async with session.begin():
            for number, given in enumerate(self.story.given):
                neighbour = Citizen(language="es")
                session.add(neighbour)
                await session.flush()
                at = given.get("at") or (None, None)
                service = self.pipeline.settings.services[given["service"]]
                case = await add_case(
                    session, citizen_id=neighbour.id, service_code=given["service"], description="(given)",
                    address=given.get("place"), latitude=at[0], longitude=at[1],
                    status=given.get("status", "open"), department=service.department, channel="rest",
                    created_at=utcnow() - timedelta(days=given.get("days_ago", 0), minutes=number),
                )  # fmt: skip
                for _ in range(given.get("supporters", 0)):
                    other = Citizen(language="es")
                    session.add(other)
                    await session.flush()
                    await add_supporter(session, case, other.id, channel="rest")

    async def _subscriptions(self, session: AsyncSession) -> dict[str, str]:
        rows = await session.execute(
            select(Subscription.topic, Subscription.status, Subscription.area)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == Subscription.citizen_id)
            .where(ChannelIdentity.channel == self.story.channel, ChannelIdentity.address == self.address)
        )
        return {topic: f"{status}/{area or 'all'}" for topic, status, area in rows.all()}

    async def _supported(self, session: AsyncSession) -> list[int]:
        rows = await session.scalars(
            select(CaseSupporter.case_id)
            .join(ChannelIdentity, ChannelIdentity.citizen_id == CaseSupporter.citizen_id)
            .where(ChannelIdentity.channel == self.story.channel, ChannelIdentity.address == self.address)
        )
        return list(rows.all())

    async def _cases(self) -> list[Case]:
        async def read(session: AsyncSession) -> list[Case]:
            identity = await session.scalar(
                select(ChannelIdentity).where(
                    ChannelIdentity.channel == self.story.channel, ChannelIdentity.address == self.address
                )
            )
            if identity is None:
                return []
            rows = await session.scalars(select(Case).where(Case.citizen_id == identity.citizen_id))
            return list(rows.all())

        cases: list[Case] = await self._in_session(read)
        return cases
