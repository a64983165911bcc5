"""The pipeline: resolve the citizen, record, classify, respond, queue replies — in one transaction."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import dialogue, metrics
from bot.messages import Button, InboundMessage, OutboundMessage
from bot.settings import Settings
from bot.turn import DialogueState, Turn, fold
from nlu.base import Classifier, Parse
from storage import queries
from storage.models import Author, ChannelIdentity, Citizen, Conversation, Direction, Holder, Message, utcnow

log = logging.getLogger(__name__)

# C0 control characters other than tab and newline: PostgreSQL refuses NUL, and none of them is text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Channels whose replies travel in the HTTP answer (or the terminal) rather than through the outbox.
SYNCHRONOUS_CHANNELS = frozenset({"rest", "console"})
SWITCH_MIN_WORDS = 3
# Channels whose address is the citizen's phone number (E.164): one number, one citizen.
PHONE_CHANNELS = frozenset({"sms", "whatsapp"})
# How stale a channel's "last message from the citizen" may be before a turn writes it again.
LAST_SEEN_PRECISION = timedelta(minutes=1)
# The intent recorded on a message whose turn failed, and the reason its conversation is in the queue.
SET_ASIDE_INTENT = "error"
# dialogue.max_messages_per_minute counts the messages of this window.
RATE_WINDOW = timedelta(minutes=1)
# "vincular 482913" typed on a second channel joins it to the citizen who asked for that code.
LINK_WITH_CODE = re.compile(r"^\s*(?:vincular|link)\s+(\d{6})\s*$", re.IGNORECASE)


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value).strip()


@dataclass(frozen=True)
class Outcome:
    """What the pipeline did with one inbound message."""

    replies: tuple[OutboundMessage, ...]
    duplicate: bool = False
    message_id: int | None = None
    queued: bool = False  # replies went to the outbox for a provider to deliver


class Pipeline:
    """Handles inbound messages from every channel the same way."""

    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        classifier: Classifier,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.classifier = classifier
        self.on_queued = on_queued  # wakes the outbox worker once replies are committed

    async def handle(self, inbound: InboundMessage) -> Outcome:
        """Process one message exactly once; a replay gets back the replies of the first delivery."""
        try:
            outcome = await self._handle_with_retries(inbound)
        except (DBAPIError, PoolTimeout, OSError):
            raise  # the database is unreachable: the connector answers 503 and the provider retries
        except Exception:
            # A bug, which would fail the same way on every retry: a provider retrying it would hold
            # up (Telegram) or finally drop (Twilio) the message. Keep it for a person instead.
            log.exception(
                "turn failed for %s/%s message %s; set aside for a person",
                inbound.channel,
                inbound.address,
                inbound.provider_message_id,
            )
            async with self.sessions() as session, session.begin():
                outcome = await self._set_aside(session, inbound)
            if not outcome.duplicate:
                metrics.SET_ASIDE.labels(inbound.channel).inc()
        if not outcome.duplicate:
            metrics.MESSAGES_IN.labels(inbound.channel).inc()
        if outcome.queued and self.on_queued is not None:
            self.on_queued()
        return outcome

    async def _handle_with_retries(self, inbound: InboundMessage) -> Outcome:
        # The first try does not look for an earlier delivery of the message: the unique key on
        # (channel, provider_message_id) refuses the insert of a replay, and the retry, which looks,
        # answers with the stored replies. Replays are rare; a lookup on every message is not free.
        reconnected = False
        for attempt in range(4):
            try:
                async with self.sessions() as session, session.begin():
                    return await self._handle(session, inbound, replay_possible=attempt > 0)
            except IntegrityError:
                # A replay of this message, maybe concurrent, or a first message racing to create the
                # same citizen: the retry sees the row the other transaction committed.
                log.info("retrying %s/%s after a conflict (%d)", inbound.channel, inbound.address, attempt)
            except DBAPIError as exc:
                if not exc.connection_invalidated or reconnected:
                    raise  # the database is down: the connector answers 503 and the provider retries
                # A pooled connection the database had closed (it restarted): the pool dropped its
                # connections; nothing was committed, so run the turn again on a fresh one, once.
                reconnected = True
                log.warning("database connection was lost; retrying %s/%s", inbound.channel, inbound.address)
        async with self.sessions() as session, session.begin():
            return await self._handle(session, inbound, replay_possible=True)

    async def _handle(
        self, session: AsyncSession, inbound: InboundMessage, *, replay_possible: bool
    ) -> Outcome:
        if replay_possible and (replay := await self._replay(session, inbound)) is not None:
            return replay
        text = clean_text(inbound.text)
        citizen, conversation, linked, recent = await self.resolve(session, inbound, text)
        # The message is inserted once, with what the classifier makes of it, at the next flush: the
        # statements a turn saves are most of its cost under load (docs/performance.md).
        message = self.record_message(session, inbound, citizen, conversation, text)
        state = DialogueState.load(conversation.state)
        if inbound.command is not None:
            # SMS STOP/START: the provider already answered the citizen; we only remember it.
            await queries.set_opted_out(
                session, inbound.channel, inbound.address, inbound.command == "opt_out"
            )
            return await self._recorded(session, message)
        if conversation.holder != Holder.BOT and not self._leaves_queue(conversation, text):
            return await self._recorded(session, message)  # a person holds it: the bot stays silent
        over_limit = self.over_rate_limit(recent)
        if over_limit and over_limit > 1:
            return await self._recorded(session, message)  # the citizen was already asked to slow down
        parse = await self.classify(state.resolve_choice(text))
        message.intent, message.confidence = parse.intent, parse.confidence
        language = self.choose_language(parse, citizen, first_turn=not conversation.state)
        message.language = language
        if citizen.language != language:
            citizen.language = language
        turn = Turn(self.settings, session, citizen, conversation, inbound, message, parse, language, state)
        turn.linked = linked
        if over_limit:
            turn.say("too_fast")
        elif conversation.holder == Holder.WAITING:
            conversation.holder, conversation.waiting_since = Holder.BOT, None
            turn.say("left_queue")
        elif len(text) > self.settings.dialogue.max_text_chars:
            turn.say("too_long", limit=self.settings.dialogue.max_text_chars)
        else:
            await dialogue.respond(turn)
        conversation.state = state.dump()
        replies = await self.queue_replies(session, turn, message)
        return Outcome(replies, message_id=message.id, queued=inbound.channel not in SYNCHRONOUS_CHANNELS)

    async def _set_aside(self, session: AsyncSession, inbound: InboundMessage) -> Outcome:
        """Record a message whose turn failed, put the conversation in the queue for a person (reason
        "error") and tell the citizen so, in as little code as possible: no classifier, no dialogue."""
        if (replay := await self._replay(session, inbound)) is not None:
            return replay  # set aside before: answer as then
        text = clean_text(inbound.text)
        citizen, _ = await self.resolve_citizen(session, inbound, text, link=False)
        conversation = await queries.conversation_for_update(session, citizen.id)
        message = self.record_message(session, inbound, citizen, conversation, text)
        message.intent = SET_ASIDE_INTENT
        if conversation.holder != Holder.BOT:
            return await self._recorded(session, message)  # a person has it, or will: they will see it
        conversation.holder, conversation.waiting_since = Holder.WAITING, utcnow()
        conversation.handoff_reason = SET_ASIDE_INTENT
        language = citizen.language or self.settings.city.default_language
        turn = Turn(
            self.settings,
            session,
            citizen,
            conversation,
            inbound,
            message,
            Parse(text=text, intent=SET_ASIDE_INTENT, confidence=0.0),
            language,
            DialogueState.load(conversation.state),
        )
        turn.say("set_aside")
        replies = await self.queue_replies(session, turn, message)
        return Outcome(replies, message_id=message.id, queued=inbound.channel not in SYNCHRONOUS_CHANNELS)

    @staticmethod
    async def _replay(session: AsyncSession, inbound: InboundMessage) -> Outcome | None:
        """The stored replies if this message was handled before, else None."""
        existing = await queries.find_message(session, inbound.channel, inbound.provider_message_id)
        if existing is None:
            return None
        metrics.DUPLICATES.labels(inbound.channel).inc()
        stored = await queries.replies_to(session, existing.id)
        return Outcome(tuple(_as_outbound(m) for m in stored), duplicate=True, message_id=existing.id)

    @staticmethod
    async def _recorded(session: AsyncSession, message: Message) -> Outcome:
        """Recorded, and no reply."""
        await session.flush()
        return Outcome((), message_id=message.id)

    def over_rate_limit(self, recent: int) -> int:
        """0 within the limit; else how many messages over it this one is (1 for the first).

        `recent` counts the citizen's messages of the last minute before this one, read with the
        conversation; a turn that waited for the lock may miss the one before it, so a burst can pass
        one message over the limit: the limit is about abuse, not exact counting.
        """
        return max(0, recent + 1 - self.settings.dialogue.max_messages_per_minute)

    async def resolve(
        self, session: AsyncSession, inbound: InboundMessage, text: str
    ) -> tuple[Citizen, Conversation, str | None, int]:
        """The citizen, their conversation (locked for this turn), how channels were linked if they were,
        and how many messages the citizen sent in the last minute.

        Most messages come from an address seen before that links nothing: one query reads the identity,
        the citizen, the conversation and the count together. The first message, a shared contact or a
        link code take the longer way.
        """
        since = utcnow() - RATE_WINDOW
        if inbound.contact is None and not LINK_WITH_CODE.match(text):
            found = await queries.identity_with_conversation(session, inbound.channel, inbound.address, since)
            if found is not None:
                identity, citizen, conversation, recent = found
                self._seen(identity, inbound)
                return citizen, conversation, None, recent
        citizen, linked = await self.resolve_citizen(session, inbound, text)
        conversation = await queries.conversation_for_update(session, citizen.id)
        return citizen, conversation, linked, await queries.recent_inbound_count(session, citizen.id, since)

    @staticmethod
    def _seen(identity: ChannelIdentity, inbound: InboundMessage) -> None:
        now = utcnow()
        # The WhatsApp window is 24 h: a time up to a minute old only makes it close a minute early, and
        # saves an UPDATE on most turns of a conversation.
        if identity.last_inbound_at is None or now - identity.last_inbound_at > LAST_SEEN_PRECISION:
            identity.last_inbound_at = now
        if inbound.display_name and identity.display_name != inbound.display_name:
            identity.display_name = inbound.display_name

    async def resolve_citizen(
        self, session: AsyncSession, inbound: InboundMessage, text: str, *, link: bool = True
    ) -> tuple[Citizen, str | None]:
        """The citizen behind this address, joining channels where the message proves they are one person.

        The second value says how a link happened: "contact" (shared their own number), "code" (typed a
        link code), "bad_code" (typed one that is wrong or expired), or None. `link=False` never joins.
        """
        identity = await queries.find_identity(session, inbound.channel, inbound.address)
        if identity is None:
            phone = inbound.address if inbound.channel in PHONE_CHANNELS else None
            owner = await queries.citizen_by_phone(session, phone) if phone else None
            if owner is not None:
                identity = await queries.add_identity(
                    session, owner.id, inbound.channel, inbound.address, inbound.display_name
                )
            else:
                identity = await queries.create_citizen_with_identity(
                    session,
                    inbound.channel,
                    inbound.address,
                    language=self.settings.city.default_language,
                    display_name=inbound.display_name,
                    phone_e164=phone,
                )
        self._seen(identity, inbound)
        citizen = await queries.get_citizen(session, identity.citizen_id)
        if not link:
            return citizen, None
        if inbound.contact is not None and inbound.contact.belongs_to_sender:
            return await self._join(
                session,
                citizen,
                await queries.citizen_by_phone(session, inbound.contact.phone_number),
                phone=inbound.contact.phone_number,
            ), "contact"
        if match := LINK_WITH_CODE.match(text):
            code = await queries.use_link_code(session, match.group(1))
            if code is None:
                return citizen, "bad_code"
            owner = await queries.get_citizen(session, code.citizen_id)
            return await self._join(session, citizen, owner), "code"
        return citizen, None

    @staticmethod
    async def _join(
        session: AsyncSession, citizen: Citizen, owner: Citizen | None, phone: str | None = None
    ) -> Citizen:
        """Fold `citizen` into `owner` (the one who already has the number or the code), or keep it."""
        if owner is None or owner.id == citizen.id:
            if phone is not None:
                citizen.phone_e164 = phone
            return citizen
        owner_id = owner.id
        await queries.merge_citizens(session, source=citizen, target=owner)
        return await queries.get_citizen(session, owner_id)

    @staticmethod
    def record_message(
        session: AsyncSession,
        inbound: InboundMessage,
        citizen: Citizen,
        conversation: Conversation,
        text: str,
    ) -> Message:
        """The inbound message, added to the session: inserted at the next flush."""
        if conversation.last_channel != inbound.channel or conversation.last_address != inbound.address:
            conversation.last_channel, conversation.last_address = inbound.channel, inbound.address
        location = inbound.location
        message = Message(
            citizen_id=citizen.id,
            conversation_id=conversation.id,
            direction=Direction.IN,
            author=Author.CITIZEN,
            channel=inbound.channel,
            address=inbound.address,
            provider_message_id=inbound.provider_message_id,
            text=text,
            attachments=[
                {"url": a.url, "content_type": a.content_type, "kind": a.kind} for a in inbound.attachments
            ]
            or None,
            latitude=location.latitude if location else None,
            longitude=location.longitude if location else None,
            raw=inbound.raw,
        )
        session.add(message)
        return message

    async def classify(self, text: str) -> Parse:
        # Nothing to read, or more than the bot reads (it only asks to sum up): skip the classifier, whose
        # time grows with the text and runs on the event loop.
        if not text or len(text) > self.settings.dialogue.max_text_chars:
            return Parse(text=text, intent="none", confidence=0.0)
        with metrics.PARSE_SECONDS.time():
            return await self.classifier.parse(text)

    def choose_language(self, parse: Parse, citizen: Citizen, first_turn: bool) -> str:
        """Follow the citizen's language, but do not let a one- or two-word answer flip it."""
        current = citizen.language or self.settings.city.default_language
        # "omitir", "ok", "no": short answers inside a conversation are too thin to switch on; on the
        # first turn there is nothing to keep, so even "hi" counts.
        if parse.language and (first_turn or len(parse.text.split()) >= SWITCH_MIN_WORDS):
            return parse.language
        return current

    @staticmethod
    def _leaves_queue(conversation: Conversation, text: str) -> bool:
        # Waiting (nobody has taken it yet), the citizen may still say "cancel" and get the bot back.
        return conversation.holder == Holder.WAITING and fold(text) in dialogue.CANCEL_WORDS

    async def queue_replies(
        self, session: AsyncSession, turn: Turn, message: Message
    ) -> tuple[OutboundMessage, ...]:
        inbound = turn.inbound
        synchronous = inbound.channel in SYNCHRONOUS_CHANNELS
        await session.flush()  # the inbound message's id, which every reply points to
        stored = [
            Message(
                citizen_id=turn.citizen.id,
                conversation_id=turn.conversation.id,
                direction=Direction.OUT,
                author=Author.BOT,
                channel=inbound.channel,
                address=inbound.address,
                in_reply_to_id=message.id,
                text=reply.text,
                buttons=[{"title": b.title, "payload": b.payload} for b in reply.buttons] or None,
                language=turn.language,
                delivery_status="delivered" if synchronous else None,
            )
            for reply in turn.replies
        ]
        session.add_all(stored)
        if not synchronous and stored:
            await session.flush()  # one INSERT for all replies; the outbox rows need their ids
            session.add_all(queries.outbox_item(reply, sender=inbound.recipient) for reply in stored)
        metrics.REPLIES_OUT.labels(inbound.channel).inc(len(stored))
        return tuple(_as_outbound(m) for m in stored)


def _as_outbound(message: Message) -> OutboundMessage:
    return OutboundMessage(
        channel=message.channel,
        address=message.address,
        text=message.text,
        buttons=tuple(Button(b["title"], b["payload"]) for b in message.buttons or ()),
        language=message.language or "es",
    )
