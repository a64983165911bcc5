"""The pipeline: find the citizen, record, listen only?, understand, respond, queue — in one transaction."""

from __future__ import annotations

import logging

from bot import (
    anytime_words,
    citizens,
    danger_words,
    dialogue,
    emergencies,
    erasure,
    erasure_dialogue,
    history,
    metrics,
    privacy_notice,
)
from bot.history import Outcome
from bot.knowledge import KnowledgeBase
from bot.messages import InboundMessage, OutboundMessage
from bot.settings import Settings
from bot.turn import DialogueState, Turn
from bot.words import clean_text, fold
from nlu.base import Classifier, Parse
from nlu.language import ENGLISH_WORDS, SPANISH_WORDS, keeps_language
from storage import citizens as citizen_rows
from storage import conversations
from storage import data_requests as data_request_rows
from storage import subscriptions as subscription_rows
from storage.engine import AsyncSession, DBAPIError, IntegrityError, PoolTimeout, async_sessionmaker
from storage.media import MediaStore
from storage.models import Citizen, Conversation, DataRequestStatus, Holder, Message, utcnow

log = logging.getLogger(__name__)

SWITCH_MIN_WORDS = 3
# The intent recorded on a message whose turn failed, and the reason its conversation is in the queue.
SET_ASIDE_INTENT = "error"


class Pipeline:
    """Handles inbound messages from every channel the same way."""

    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        classifier: Classifier,
        media: MediaStore | None = None,
        knowledge: KnowledgeBase | None = None,
        listens: bool = False,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.classifier = classifier
        self.media = media  # where an erased citizen's photos are deleted from
        self.knowledge = knowledge  # the city's answers to common questions; None: not asked
        self.listens = listens  # voice notes are queued to be heard (bot/voice_notes.py)

    async def handle(self, inbound: InboundMessage) -> Outcome:
        """Process one message exactly once; a replay gets back the replies of the first delivery."""
        if self.knowledge is not None:
            await self.knowledge.refresh()  # an edited topic answers from this message on
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
        if outcome.forget_media and self.media is not None:
            await erasure.delete_media(self.media, outcome.forget_media)  # committed: the files go
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
        """find → record → listen only? → understand → respond → queue."""
        if replay_possible and (replay := await history.replayed(session, inbound)) is not None:
            return replay
        text = clean_text(inbound.text)
        found = await citizens.find(session, inbound, self.settings.city.default_language)
        # The message is inserted once, with what the classifier makes of it, at the next flush: the
        # statements a turn saves are most of its cost under load (docs/performance.md).
        message = history.record_message(session, inbound, found.citizen, found.conversation, text)
        if self.over_rate_limit(found.recent) > 1:
            history.keep_little(message)  # asked to slow down already: recorded, but not all of it
        if await self.listens_only(session, inbound, found, text):
            return await history.recorded(session, message)
        turn = await self.understand(session, inbound, found, message, text)
        await self.respond(turn, found.recent)
        await erasure_dialogue.settle(turn)
        if turn.erase is None:
            await privacy_notice.add_if_due(turn)
        turn.conversation.state = turn.state.dump()
        replies = await history.store_replies(session, turn, message)
        if turn.erase is not None:
            return await self.erase(turn, replies, message)
        return Outcome(replies, message_id=message.id)

    async def erase(self, turn: Turn, replies: tuple[OutboundMessage, ...], message: Message) -> Outcome:
        """The citizen confirmed: everything of theirs goes now, in this transaction, but the replies
        just stored still leave (and then forget their address)."""
        session = turn.session
        await session.flush()
        kept = await history.reply_ids(session, message)
        erased = await erasure.erase_citizen(
            session, self.settings, turn.citizen.id, by="citizen", keep_replies=kept
        )
        await data_request_rows.close(session, turn.erase or 0, DataRequestStatus.DONE)
        metrics.ERASURES.inc()
        return Outcome(replies, message_id=message.id, forget_media=erased.media, erased=True)

    async def listens_only(
        self, session: AsyncSession, inbound: InboundMessage, found: citizens.Found, text: str
    ) -> bool:
        """True when the message is only recorded: an SMS opt-out the provider already answered, a
        conversation a person holds, a citizen already asked to slow down."""
        if inbound.command is not None:
            opted_out = inbound.command == "opt_out"
            await citizen_rows.set_opted_out(session, inbound.channel, inbound.address, opted_out)
            # The carrier's STOP / START also pauses or resumes the citizen's topics (bot/topics.py).
            citizen_id = found.citizen.id
            await (subscription_rows.pause_all if opted_out else subscription_rows.resume_all)(
                session, citizen_id
            )
            return True
        conversation = found.conversation
        if conversation.holder != Holder.BOT and not self._leaves_queue(conversation, text):
            # A person holds it (or will): the bot stays silent, except to give the emergency number.
            return not danger_words.emergency_in(fold(text))
        return self.over_rate_limit(found.recent) > 1

    async def understand(
        self,
        session: AsyncSession,
        inbound: InboundMessage,
        found: citizens.Found,
        message: Message,
        text: str,
    ) -> Turn:
        """Classify the message in the light of the last choices offered, and settle the reply language."""
        citizen, conversation = found.citizen, found.conversation
        state = DialogueState.load(conversation.state)
        parse = await self.classify(state.resolve_choice(text))
        message.intent, message.confidence = parse.intent, parse.confidence
        language = self.choose_language(parse, citizen, first_turn=not conversation.state)
        message.language = language
        if citizen.language != language:
            citizen.language = language
        turn = Turn(self.settings, session, citizen, conversation, inbound, message, parse, language, state)
        turn.linked, turn.classifier, turn.knowledge = found.linked, self.classifier, self.knowledge
        turn.listens = self.listens
        return turn

    async def respond(self, turn: Turn, recent: int) -> None:
        conversation = turn.conversation
        if self.over_rate_limit(recent):
            turn.say("too_fast")
        elif conversation.holder != Holder.BOT and not self._leaves_queue(conversation, turn.text):
            await emergencies.emergency_while_held(turn)
        elif conversation.holder == Holder.WAITING:
            conversation.holder, conversation.waiting_since = Holder.BOT, None
            turn.say("left_queue")
        elif len(turn.text) > self.settings.dialogue.max_text_chars:
            turn.say("too_long", limit=self.settings.dialogue.max_text_chars)
        else:
            await dialogue.respond(turn)
        if turn.language != turn.citizen.language:
            turn.citizen.language = turn.language  # the citizen asked for the other language

    async def _set_aside(self, session: AsyncSession, inbound: InboundMessage) -> Outcome:
        """Record a message whose turn failed, put the conversation in the queue for a person (reason
        "error") and tell the citizen so, in as little code as possible: no classifier, no dialogue."""
        if (replay := await history.replayed(session, inbound)) is not None:
            return replay  # set aside before: answer as then
        text = clean_text(inbound.text)
        citizen, _ = await citizens.citizen_of(
            session, inbound, self.settings.city.default_language, link=False
        )
        conversation = await conversations.conversation_for_update(session, citizen.id)
        message = history.record_message(session, inbound, citizen, conversation, text)
        message.intent = SET_ASIDE_INTENT
        if conversation.holder != Holder.BOT:
            return await history.recorded(session, message)  # a person has it, or will: they will see it
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
        replies = await history.store_replies(session, turn, message)
        return Outcome(replies, message_id=message.id)

    def over_rate_limit(self, recent: int) -> int:
        """0 within the limit; else how many messages over it this one is (1 for the first).

        `recent` counts the citizen's messages of the last minute before this one, read with the
        conversation; a turn that waited for the lock may miss the one before it, so a burst can pass
        one message over the limit: the limit is about abuse, not exact counting.
        """
        return max(0, recent + 1 - self.settings.dialogue.max_messages_per_minute)

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
        if not parse.language:
            return current
        if first_turn:
            # There is nothing to keep, so even "hi" counts; but text the classifier cannot place at all
            # ("asdkjh qwpeoi") reads as neither language and gets the city's own.
            understood = (
                parse.intent != "out_of_scope" and parse.confidence >= self.settings.nlu.confidence_threshold
            )
            return parse.language if understood or _has_common_word(parse.text) else current
        # "omitir", "ok", "no": short answers inside a conversation are too thin to switch on.
        if len(parse.text.split()) < SWITCH_MIN_WORDS:
            return current
        # Nor is one that still has the current language's common words and none of the other's: "normal
        # mode please" reads as Spanish to the character model ("modo"), but "please" is still English.
        if keeps_language(parse.text, current):
            return current
        return parse.language

    @staticmethod
    def _leaves_queue(conversation: Conversation, text: str) -> bool:
        # Waiting (nobody has taken it yet), the citizen may still say "cancel" and get the bot back.
        return conversation.holder == Holder.WAITING and fold(text) in anytime_words.CANCEL_WORDS


def _has_common_word(text: str) -> bool:
    return any(word in SPANISH_WORDS or word in ENGLISH_WORDS for word in fold(text).split())
