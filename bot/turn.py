"""One turn of the conversation: what came in, what was understood, the dialogue state, what to say back."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from bot.cases import NewCase
from bot.knowledge import KnowledgeBase
from bot.messages import Button, InboundMessage
from bot.plain_texts import plain_text
from bot.settings import Settings
from bot.texts import text
from bot.words import fold
from nlu.base import Classifier, Parse
from storage.engine import AsyncSession
from storage.models import Citizen, Conversation, Message
from storage.preferential import wants_plain

# The steps of a follow-up's conversation answered by the next message or not at all.
FOLLOWUP_NEXT_ONLY = ("rating", "comment", "reason")


@dataclass
class Slots:
    """What the citizen has told us so far about the problem they are reporting."""

    service: str | None = None
    description: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)
    location_skipped: bool = False
    photo_skipped: bool = False

    @property
    def has_place(self) -> bool:
        return self.address is not None or self.latitude is not None or self.location_skipped

    def as_new_case(self) -> NewCase:
        """The draft, as the filing takes it."""
        return NewCase(
            service=self.service,
            description=self.description or "",
            address=self.address,
            latitude=self.latitude,
            longitude=self.longitude,
            attachments=tuple(self.attachments),
        )


def _empty(value: Any) -> bool:
    """A field's default, left out of the stored state (0.0 is a latitude, not nothing)."""
    return value is None or value is False or (isinstance(value, list | dict) and not value)


@dataclass
class DialogueState:
    """Where the dialogue stands; stored as JSON on the conversation between turns."""

    flow: str | None = None  # "report" while a case is being filed
    step: str | None = None  # service | description | location | photo | confirm
    slots: Slots = field(default_factory=Slots)
    choices: list[str] = field(default_factory=list)  # payloads offered last, for numbered answers
    misunderstandings: int = 0
    offered_person: bool = False
    # What an unclear first message already said (place, description, photo), kept for the report that
    # the citizen's next choice starts, so nothing is asked twice.
    draft: dict[str, Any] = field(default_factory=dict)
    # A second problem found in the message that started this report: {"service", "text"}; offered once
    # the first is filed, and `offered_next` while the bot waits for the yes or no.
    next_problem: dict[str, Any] = field(default_factory=dict)
    offered_next: bool = False
    offered_link: int | None = None  # a link code another channel claimed: this channel says yes or no
    # The report a citizen was filing when they asked for a person, shown to the agent in the inbox.
    unfinished: dict[str, Any] = field(default_factory=dict)
    emergency: bool = False  # an emergency was just answered: the hand-off it offers is marked as one
    safety_noted: bool = False  # the safety note of this report was given
    # Codes of cases just filed whose "may we publish your description?" is still to be asked: once, when
    # nothing else follows (the second of two problems is filed first, then one question covers both).
    publish_due: list[str] = field(default_factory=list)
    # The codes that question was asked about: the next message may answer it, and no later one.
    publish_asked: list[str] = field(default_factory=list)
    # The rating a person's hand-back asked for (bot/ratings.py): answered while its buttons are the last.
    rating_asked: int | None = None
    # A "was it fixed?" follow-up waiting for this citizen's answer (bot/followup_dialogue.py): {"id", "step"
    # (fixed | satisfaction: until answered or too late; rating | comment | reason: the next message),
    # "until" (ISO time the answer counts to)}.
    followup: dict[str, Any] = field(default_factory=dict)
    # Open reports of the same problem nearby offered for joining, and those refused (bot/joining.py).
    joining: dict[str, Any] = field(default_factory=dict)
    # "Borrar mis datos" being confirmed (bot/erasure_dialogue.py): {"step", "request", "code", "until",
    # "tries"}; answered by the next message, and anything else leaves it.
    erasure: dict[str, Any] = field(default_factory=dict)
    # The correction request "¿Cuál es el dato correcto?" was asked about (bot/correction_requests.py):
    # the next message may answer it, and no later one.
    correction_asked: int | None = None
    notice: str | None = (
        None  # the version of the privacy notice this citizen was shown (bot/privacy_notice.py)
    )
    # Opting into a topic (bot/topics.py): {"step" (topic | area | confirm), "topic", "area"}; answered by
    # the next message, and anything else leaves it.
    topics: dict[str, Any] = field(default_factory=dict)
    # A survey being answered (bot/survey_dialogue.py): {"survey", "delivery", "question" (its key),
    # "until" (ISO time the survey closes)}.
    survey: dict[str, Any] = field(default_factory=dict)
    # An answer from the knowledge base just given (bot/knowledge_dialogue.py): {"ask" (the recorded
    # question's id), "topic", "step" (useful | choice | area)}; answered by the next message or not at all.
    knowledge: dict[str, Any] = field(default_factory=dict)
    # Preferential attention (issue 19, bot/preferential_dialogue.py): "offered" (once a conversation),
    # "due" ({kind, words}: a cue seen while something was pending, offered when nothing is) and "asked"
    # ({step: offer | which, kind, words}: answered by the next message or not at all).
    preferential: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, data: dict[str, Any] | None) -> DialogueState:
        data = dict(data or {})
        stored = data.pop("slots", {}) or {}
        slots = Slots(**{k: v for k, v in stored.items() if k in Slots.__dataclass_fields__})
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(slots=slots, **known)

    def dump(self) -> dict[str, Any]:
        """As JSON for the conversation row, leaving out what is at its default (written every turn, so
        kept small); `misunderstandings` is always there, so a conversation that has had a turn is never
        stored as {} (which means "no turn yet")."""
        data = {
            name: value
            for name, value in asdict(self).items()
            if name == "misunderstandings" or not _empty(value)
        }
        slots = {name: value for name, value in data.pop("slots").items() if not _empty(value)}
        return {**data, "slots": slots} if slots else data

    def resolve_choice(self, said: str) -> str:
        """ "2" means the second choice offered last (SMS has no buttons); anything else stays as it is."""
        number = said.strip().rstrip(".)")
        if number.isdigit() and 1 <= int(number) <= len(self.choices):
            return self.choices[int(number) - 1]
        return said

    def reset_flow(self) -> None:
        self.flow = None
        self.step = None
        self.slots = Slots()
        self.safety_noted = False
        self.joining = {}


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()


@dataclass
class Turn:
    """Everything a dialogue step may read or change; replies collect in `replies`."""

    settings: Settings
    session: AsyncSession
    citizen: Citizen
    conversation: Conversation
    inbound: InboundMessage
    message: Message
    parse: Parse
    language: str
    state: DialogueState
    replies: list[Reply] = field(default_factory=list)
    linked: str | None = None  # "contact": this message joined its number's history (bot.citizens)
    rule: str | None = None  # the name of the dialogue rule that decided this turn
    # Reads parts of a message again (two problems in one, the part of a correction that is not negated).
    classifier: Classifier | None = None
    knowledge: KnowledgeBase | None = None  # the city's answers to common questions (bot/knowledge.py)
    listens: bool = False  # voice notes are transcribed here (bot/voice.py); else "type it, please"
    # What the message before this one said, if it was unclear (the draft of the state, for this turn).
    kept: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)  # readings a rule's predicate made, for its action
    # The cases the publishing question was asked about in the turn before (the state's, for this turn).
    publish_asked: list[str] = field(default_factory=list)
    # The follow-up this message may answer (the state's, for this turn).
    followup: dict[str, Any] = field(default_factory=dict)
    # The erasure step this message may answer (the state's, for this turn: next message only).
    erasure: dict[str, Any] = field(default_factory=dict)
    # Set when the citizen confirmed an erasure: its request's id; the pipeline erases after the replies.
    erase: int | None = None
    # The correction request the question before asked about (the state's, for this turn).
    correction_asked: int | None = None
    # The knowledge base's question just asked ("¿Te sirvió?", which topic, which area): the state's, for
    # this turn only (bot/knowledge_dialogue.py).
    knowledge_asked: dict[str, Any] = field(default_factory=dict)
    # The preferential attention question just asked (the state's "asked", for this turn only).
    preferential_asked: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.preferential_asked = self.state.preferential.pop("asked", None) or {}
        self.erasure, self.state.erasure = self.state.erasure, {}
        self.correction_asked, self.state.correction_asked = self.state.correction_asked, None
        self.knowledge_asked, self.state.knowledge = self.state.knowledge, {}
        # A follow-up's questions after the first (rating, comment, reason) take the next message only.
        self.followup = self.state.followup
        if self.followup.get("step") in FOLLOWUP_NEXT_ONLY:
            self.state.followup = {}

    @cached_property
    def said(self) -> str:
        """The text folded: lower case, no accents or punctuation."""
        return fold(self.parse.text)

    @property
    def text(self) -> str:
        return self.parse.text

    def t(self, key: str, **values: Any) -> str:
        """The text for `key`; its plain variant (bot/plain_texts.py) for a citizen who needs one."""
        if wants_plain(self.citizen):
            plain = plain_text(key, self.language, **values)
            if plain is not None:
                return plain
        return text(key, self.language, **values)

    def say(self, key: str, *, buttons: tuple[Button, ...] = (), **values: Any) -> None:
        self.say_text(self.t(key, **values), buttons=buttons)

    def say_text(self, body: str, *, buttons: tuple[Button, ...] = ()) -> None:
        self.replies.append(Reply(body, buttons))
        # Only the last choices offered can be answered with a number.
        self.state.choices = [b.payload for b in buttons] if buttons else []

    def button(self, key: str, payload: str) -> Button:
        return Button(self.t(key), payload)

    def understood(self) -> None:
        self.state.misunderstandings = 0
        self.state.offered_person = False
        self.state.emergency = False  # an emergency marks the hand-off it offered, not every later one

    def patience(self) -> int:
        """Misunderstandings before a person is offered: fewer for a citizen who finds the chat hard."""
        dialogue = self.settings.dialogue
        # A preferential citizen who chose the usual wording is still offered a person sooner.
        sooner = wants_plain(self.citizen) or self.citizen.preferential is not None
        return dialogue.max_misunderstandings_plain if sooner else dialogue.max_misunderstandings

    def is_confident(self) -> bool:
        return self.parse.confidence >= self.settings.nlu.confidence_threshold
