"""SQLAlchemy 2 typed models: citizens, channels, conversations, messages, cases, staff, outbox, audit."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids for the big tables.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would otherwise hand back naive ones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON}


# Statuses are stored as plain strings, not native enums: a new status must not need an ALTER TYPE.
class Holder(enum.StrEnum):
    """Who answers the citizen right now."""

    BOT = "bot"
    WAITING = "waiting"  # in the queue for a person; the bot is silent
    STAFF = "staff"


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


class Author(enum.StrEnum):
    CITIZEN = "citizen"
    BOT = "bot"
    STAFF = "staff"
    SYSTEM = "system"


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    # The citizen said a resolved case was not fixed (issue 14): open again, in the same queue.
    REOPENED = "reopened"


OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED)


class FollowUpStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # waiting for its time (or for the citizen to finish another conversation)
    SENT = "sent"  # asked; the answer counts until `answer_until`
    ANSWERED = "answered"
    EXPIRED = "expired"  # asked, never answered in time
    NOT_SENT = "not_sent"  # could not be asked (opted out, no channel, no template): `note` says why


class DataRequestKind(enum.StrEnum):
    """A citizen's data-protection request (issue 15): each has a legal deadline in business days."""

    SEE = "see"  # "mis datos": what is held
    EXPORT = "export"  # "descargar mis datos": a zip at a one-time link
    CORRECT = "correct"  # "mi nombre está mal": a person corrects it
    ERASE = "erase"  # "borrar mis datos"


class DataRequestStatus(enum.StrEnum):
    OPEN = "open"  # waiting for a person (a correction) or for a confirmation code
    HELD = "held"  # an erasure a supervisor's hold stops; `note` says why
    DONE = "done"
    CANCELLED = "cancelled"  # the citizen changed their mind, or the code never came


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Citizen(Base):
    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="es")
    phone_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    # Preferential attention (storage/preferential.py KINDS): the kind, and the words it was given for (the
    # citizen's own, or the agent's reason); every grant and withdrawal is a PreferentialRecord too.
    preferential: Mapped[str | None] = mapped_column(String(40))
    preferential_reason: Mapped[str | None] = mapped_column(Text)
    # Short sentences and a person sooner: asked for ("más simple"), or as preferential attention gives.
    # The citizen's own choice: None (not chosen: plain when preferential), True "más simple", False "normal".
    plain_language: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set on the placeholder an erased citizen's cases, ratings and requests are kept under (issue 15):
    # nothing on it or under it leads back to the person.
    erased_at: Mapped[datetime | None]
    # A supervisor's hold on erasure (an open legal matter), with its written reason: the citizen is told,
    # and erasure (asked in the chat, by staff or by retention) waits until it is lifted.
    erasure_hold: Mapped[str | None] = mapped_column(Text)
    erasure_hold_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    erasure_hold_at: Mapped[datetime | None]

    identities: Mapped[list[ChannelIdentity]] = relationship(back_populates="citizen", lazy="raise")


class ChannelIdentity(Base):
    """One address of a citizen on one channel (a phone on SMS, a chat id on Telegram, a web sender id)."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    last_inbound_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    citizen: Mapped[Citizen] = relationship(back_populates="identities", lazy="raise")


class Conversation(Base):
    """The citizen's running conversation: who holds it and where the dialogue stands."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_holder_waiting", "holder", "waiting_since"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), unique=True)
    holder: Mapped[str] = mapped_column(String(16), default=Holder.BOT)
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_channel: Mapped[str | None] = mapped_column(String(20))
    last_address: Mapped[str | None] = mapped_column(String(200))
    waiting_since: Mapped[datetime | None]
    handoff_reason: Mapped[str | None] = mapped_column(String(40))
    # When a person first answered since `waiting_since`; earlier than it means this wait is unanswered.
    first_response_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Message(Base):
    """Every message in or out, on any channel: the citizen's one history."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "provider_message_id"),
        Index("ix_messages_citizen_created", "citizen_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    direction: Mapped[str] = mapped_column(String(3))
    author: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    in_reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    attachments: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    intent: Mapped[str | None] = mapped_column(String(60))
    confidence: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(5))
    delivery_status: Mapped[str | None] = mapped_column(String(20))
    # A staff note on the conversation: shown in the inbox timeline, never sent to the citizen.
    internal: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    raw: Mapped[Any | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The voice note this message's text was heard from (issue 18, bot/voice_notes.py); None if typed.
    transcribed_from: Mapped[int | None] = mapped_column(BigId, index=True)


class Case(Base):
    """A service request: what is wrong, where, and how far the city has got with it."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_created", "status", "created_at"),
        Index("ix_cases_citizen_status", "citizen_id", "status"),
        Index("ix_cases_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"))
    service_code: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    attachments: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # Answers to the service's extra questions (Open311 `attribute[...]`), by attribute code.
    attributes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.OPEN)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    department: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="es")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None]
    # The citizen's answer to "may we publish your description, without your details?": None when not
    # asked or not answered, which publishes nothing. Staff may decide otherwise (`description_public`).
    publish_consent: Mapped[bool | None] = mapped_column(Boolean)
    # Staff's decision on publishing the description (audited); None: the citizen's answer stands.
    description_public: Mapped[bool | None] = mapped_column(Boolean)
    # When the targets' clock started: None means at `created_at`; a reopening starts it again.
    sla_started_at: Mapped[datetime | None]
    # How many times the citizen's "not fixed" reopened it; past the limit it goes to a supervisor.
    reopened_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when staff mark it a duplicate: the case that survives.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))


class FollowUp(Base):
    """A question to a case's citizen after staff closed it: "was it fixed?" (then 1–5 satisfaction), or
    only the satisfaction question for a case rejected or marked duplicate. One per closing of a case."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"), index=True)
    # The status event that closed the case: a second event for the same closing schedules nothing.
    closing_event_id: Mapped[int] = mapped_column(
        ForeignKey("case_events.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # fixed | satisfaction
    status: Mapped[str] = mapped_column(String(16), default=FollowUpStatus.SCHEDULED)
    due_at: Mapped[datetime]
    asked: Mapped[int] = mapped_column(Integer, default=0)  # times sent ("no sé" asks once more)
    sent_at: Mapped[datetime | None]
    answer_until: Mapped[datetime | None]
    channel: Mapped[str | None] = mapped_column(String(20))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    # The case's `updated_at` when asked: a later change by staff makes the answer stale.
    case_updated_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(8))  # yes | no | unknown
    answered_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)  # 1–5
    comment: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)  # why it is not fixed
    moved_case: Mapped[bool | None] = mapped_column(Boolean)  # False: recorded, but the case had changed
    note: Mapped[str | None] = mapped_column(Text)  # why it was not sent, or held
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseSupporter(Base):
    """A citizen who joined someone else's report ("me too") instead of filing their own."""

    __tablename__ = "case_supporters"
    __table_args__ = (UniqueConstraint("case_id", "citizen_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    distance_m: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationRating(Base):
    """A citizen's 1–5 rating of a conversation a person answered, kept with the agent and department."""

    __tablename__ = "conversation_ratings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    department: Mapped[str | None] = mapped_column(String(40), index=True)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    rating: Mapped[int | None] = mapped_column(Integer)  # None until answered
    answered_at: Mapped[datetime | None]


class CaseEvent(Base):
    """Append-only history of a case: created, status changes, notes, reassignments."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_kind_created", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    from_value: Mapped[str | None] = mapped_column(String(60))
    to_value: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(10))  # citizen | bot | staff | system
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # agent | supervisor | admin
    department: Mapped[str | None] = mapped_column(String(40))  # where the person works, shown to colleagues
    # The departments whose cases and conversations the person sees; None or []: every department.
    departments: Mapped[list[str] | None] = mapped_column(JSON)
    language: Mapped[str | None] = mapped_column(String(5))  # the inbox's language; None: the browser's
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FirstResponse(Base):
    """A person's first answer to a citizen who waited for one: the inbox's first-response times."""

    __tablename__ = "first_responses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    department: Mapped[str | None] = mapped_column(String(40))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    waiting_since: Mapped[datetime]
    responded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The citizen had preferential attention when answered (issue 19): judged by the shorter target then,
    # whatever happens to their attention later.
    preferential: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class OutboxItem(Base):
    """A reply waiting to be pushed to a provider; the worker sends each row at most once per attempt."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        # A citizen's unsent replies, in order: the outbox claims only the first of each (bot/outbox.py).
        # Partial, so it stays as small as the queue while sent rows pile up.
        Index(
            "ix_outbox_unsent_address",
            "channel",
            "address",
            "id",
            postgresql_where=sql_text("status IN ('pending', 'sending')"),
            sqlite_where=sql_text("status IN ('pending', 'sending')"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    sender: Mapped[str | None] = mapped_column(String(200))  # our address to send from, if it matters
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # The last reply to a citizen who erased their data: once sent (or given up), the address goes too.
    forget_after_send: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class AuditEvent(Base):
    """Append-only trail of what staff and the system did: who, what, from → to, when."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[str] = mapped_column(String(60))
    from_value: Mapped[str | None] = mapped_column(Text)
    to_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LinkCode(Base):
    """A short-lived code a citizen types on another channel to join both channels into one history."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    # The channel that asked for the code: it is asked to confirm before anything is joined.
    channel: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    # Who typed the code, waiting for that confirmation.
    claimed_channel: Mapped[str | None] = mapped_column(String(20))
    claimed_address: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LinkAttempt(Base):
    """One use of a link code, right or wrong: guesses are limited per identity and overall, and counted."""

    __tablename__ = "link_attempts"
    __table_args__ = (Index("ix_link_attempts_identity", "channel", "address", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class StaffSession(Base):
    """A logged-in staff member's session; the cookie holds a token whose hash is stored here."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiKey(Base):
    """An Open311 API key for one of the city's other systems; only its hash is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # "file": files requests and reads what the public reads; "private": also reads the citizen's own
    # words, the exact place and the address (the city's own systems).
    scope: Mapped[str] = mapped_column(String(20), default="file", server_default="file")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class WebchatKey(Base):
    """The secret a web chat sender id is bound to: whoever writes or reads as that id must hold it.

    The server issues the secret (128 bits, in an HttpOnly cookie or as a token for widgets) and keeps
    only its SHA-256; one browser's secret may hold several ids (a cleared page starts a new one)."""

    __tablename__ = "webchat_keys"

    sender: Mapped[str] = mapped_column(String(200), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Upload(Base):
    """A photo sent from the web chat: who sent it (the hash of their web chat secret), how big, and
    whether a message refers to it; files no message took up are removed after a while."""

    __tablename__ = "uploads"
    __table_args__ = (Index("ix_uploads_key_created", "key_hash", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PrivacyNotice(Base):
    """Which version of the privacy notice a citizen was shown, when and on which channel."""

    __tablename__ = "privacy_notices"
    __table_args__ = (UniqueConstraint("citizen_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    shown_at: Mapped[datetime] = mapped_column(default=utcnow)


class DataRequest(Base):
    """A request to see, export, correct or erase one's data, with its legal deadline (business days of
    the city's country). Kept after an erasure under the placeholder citizen, without `detail`."""

    __tablename__ = "data_requests"
    __table_args__ = (Index("ix_data_requests_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # DataRequestKind
    status: Mapped[str] = mapped_column(String(12), default=DataRequestStatus.OPEN)
    channel: Mapped[str] = mapped_column(String(20))  # where it was asked; "inbox" when staff started it
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)  # the last day the law allows, in the city's calendar
    done_at: Mapped[datetime | None]
    detail: Mapped[str | None] = mapped_column(Text)  # the citizen's words (a correction): personal
    note: Mapped[str | None] = mapped_column(Text)  # staff's answer, or why it is held
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))  # who started or closed it


class DataExport(Base):
    """A one-time link to a citizen's data as a zip; only the SHA-256 of its token is kept."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("data_requests.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuppressedAddress(Base):
    """A one-way hash of a phone number (or chat id) whose citizen erased their data: nothing the city
    sends on its own initiative goes to it again."""

    __tablename__ = "suppressed_addresses"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobRun(Base):
    """When a once-a-day job (retention) last ran: the worker whose update claims the day runs it."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at: Mapped[datetime | None]
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


# --- Participation (issue 16): topics citizens opt into, surveys, alerts and who each reached. ---


class SubscriptionStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # BAJA / STOP: every topic at once; ALTA / START makes them active again
    LEFT = "left"  # the citizen left this one topic


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its turn (the pace, the quiet hours, a conversation to end)
    SENT = "sent"  # handed to the outbox
    DELIVERED = "delivered"  # the provider said it arrived
    ANSWERED = "answered"  # a survey's first answer came back
    SKIPPED = "skipped"  # not sent: `reason` says why (opted_out, outside_window, no_channel, closed, …)


class Subscription(Base):
    """A citizen's opt-in to one of the city's topics (`participation.topics`), maybe for one area; what
    they were shown when they said yes, and when. Kept when they leave, as the record of their choice."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("citizen_id", "topic"),
        Index("ix_subscriptions_topic_status", "topic", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    area: Mapped[str | None] = mapped_column(String(40))  # a key of `areas:`; None: the whole city
    status: Mapped[str] = mapped_column(String(10), default=SubscriptionStatus.ACTIVE)
    channel: Mapped[str] = mapped_column(String(20))  # where they said yes
    shown: Mapped[str] = mapped_column(Text)  # the words they said yes to
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Survey(Base):
    """A survey defined in YAML (`ventanilla surveys create`): its questions, dates, audience and whether
    its result binds the city. `questions` is the validated definition (bot/surveys.py)."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON)  # {"es", "en"}
    intro: Mapped[dict[str, str] | None] = mapped_column(JSON)
    binding: Mapped[bool] = mapped_column(Boolean, default=False)  # binding | advisory, told to citizens
    topic: Mapped[str] = mapped_column(String(40))
    area: Mapped[str | None] = mapped_column(String(40))  # only citizens of this area; None: all
    channel: Mapped[str | None] = mapped_column(String(20))  # only citizens on this channel; None: all
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    template_sid: Mapped[str | None] = mapped_column(String(34))  # WhatsApp outside the window
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Broadcast(Base):
    """One sending of a survey or an alert to the citizens opted into a topic (maybe of one area or
    channel): who started it, and when. Its recipients are `Delivery` rows."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # survey | alert
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    area: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[dict[str, str] | None] = mapped_column(JSON)  # an alert's words, {"es", "en"}
    template_sid: Mapped[str | None] = mapped_column(String(34))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))  # None: the command line
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A due-date reminder's topic and date ("impuesto-predial@2027-04-30"): one broadcast per occasion.
    occasion: Mapped[str | None] = mapped_column(String(60), unique=True)


class Delivery(Base):
    """One citizen's copy of a broadcast and where it stands (queued → sent → delivered → answered, or
    skipped with the reason). A survey reaches a citizen once, whatever the broadcasts."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "citizen_id"),
        Index("ix_deliveries_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=DeliveryStatus.QUEUED)
    reason: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(20))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class SurveyAnswer(Base):
    """A citizen's answer to one question of a survey: one per citizen and question, whatever the channel
    (answering again before the survey closes replaces it). `value`: a choice's key, a list of keys, a
    number 1–5, or short text. An erased citizen's answers stay counted, without the citizen (and without
    free text)."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("survey_id", "citizen_id", "question"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"), index=True)
    question: Mapped[str] = mapped_column(String(40))  # the question's key in the definition
    kind: Mapped[str] = mapped_column(String(10))  # single | multiple | scale | text
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    channel: Mapped[str] = mapped_column(String(20))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class KnowledgeOutcome(enum.StrEnum):
    ANSWERED = "answered"  # one topic's answer was given
    CHOICE = "choice"  # two or three topics were offered
    MISS = "miss"  # nothing close: the out-of-scope answer and the offer of a person


class KnowledgeAsk(Base):
    """A question put to the knowledge base (masked), what it found, and whether the answer served: what
    supervisors read to know what to write next. An erasure blanks the words and keeps the counts."""

    __tablename__ = "knowledge_asks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    question: Mapped[str | None] = mapped_column(Text)  # masked (bot/masks.py); None once erased
    folded: Mapped[str | None] = mapped_column(String(200))  # the question folded, to count repeats
    outcome: Mapped[str] = mapped_column(String(10))  # KnowledgeOutcome
    topic: Mapped[str | None] = mapped_column(String(30))  # the topic answered (or chosen)
    score: Mapped[float] = mapped_column(Float)  # the best topic's probability
    useful: Mapped[bool | None] = mapped_column(Boolean)  # "¿Te sirvió?": yes, no, or not answered
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answered_at: Mapped[datetime | None]  # when "¿Te sirvió?" was answered


# --- E-mail channel (issue 18, part "email") ---------------------------------------------------------


class EmailHeader(Base):
    """The Message-ID of one mail in or out of the city's mailbox, against the citizen and the history row,
    with its subject: what our reply's In-Reply-To, References and "Re:" subject are made from. Goes with
    the citizen (CASCADE) when they erase their data."""

    __tablename__ = "email_headers"
    __table_args__ = (Index("ix_email_headers_address_created", "address", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # Direction: theirs "in", ours "out"
    address: Mapped[str] = mapped_column(String(200))  # the citizen's address, lowercased
    header_id: Mapped[str] = mapped_column(String(300), index=True)  # the Message-ID, with its <>
    subject: Mapped[str] = mapped_column(String(300), default="")
    # The thread's earlier Message-IDs as their mail gave them (References), for ours to carry on.
    earlier_ids: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Voice notes (issue 18, the voice part: bot/voice_notes.py, storage/voice_notes.py). ---


class VoiceStatus(enum.StrEnum):
    PENDING = "pending"  # to hear (or being heard until `next_attempt_at`: a crashed worker's is retried)
    DONE = "done"  # its turn was handed to the pipeline (or the note was gone)


class VoiceNote(Base):
    """A voice note to transcribe off the request path; the transcript stays only until its message exists."""

    __tablename__ = "voice_notes"
    __table_args__ = (Index("ix_voice_notes_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    recipient: Mapped[str | None] = mapped_column(String(200))  # our address it was sent to (Twilio)
    status: Mapped[str] = mapped_column(String(10), default=VoiceStatus.PENDING)
    outcome: Mapped[str | None] = mapped_column(String(10))  # heard | unclear | too_long | failed | gone
    transcript: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(5))
    confidence: Mapped[float | None] = mapped_column(Float)
    seconds: Mapped[float | None] = mapped_column(Float)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]


# --- Contacts (issue 18): calls and visits staff record. ---
# A recorded call or visit is a `messages` row on channel "phone" or "in_person" (direction "in", author
# "staff", `staff_id` who recorded it, `created_at` when it happened), so the timeline, the export, retention
# and erasure treat it as the message it is; a case filed then has that channel. The dashboard counts cases
# by channel: this index serves its GROUP BY.
Index("ix_cases_channel", Case.channel)


class PreferentialRecord(Base):
    """Preferential attention given or withdrawn (issue 19): by the citizen's yes in the chat (their words,
    the channel) or by staff by hand (their reason, channel "inbox"). Kept so a supervisor can review a
    doubtful case; staff only, never public; goes with the citizen on erasure, follows them on a merge."""

    __tablename__ = "preferential_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(12))  # granted | withdrawn
    kind: Mapped[str | None] = mapped_column(String(40))
    words: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))  # the chat's channel, or "inbox" for staff by hand
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
