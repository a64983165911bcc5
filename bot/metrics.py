"""Prometheus metrics, served at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

MESSAGES_IN = Counter("ventanilla_messages_in_total", "Messages received from citizens", ["channel"])
REPLIES_OUT = Counter("ventanilla_replies_total", "Replies the bot produced", ["channel"])
DUPLICATES = Counter(
    "ventanilla_duplicate_deliveries_total",
    "Provider retries recognised and not processed again",
    ["channel"],
)
PARSE_SECONDS = Histogram(
    "ventanilla_nlu_parse_seconds",
    "Time to classify one message",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)
SET_ASIDE = Counter(
    "ventanilla_set_aside_total", "Messages whose turn failed, kept and queued for a person", ["channel"]
)
REJECTED = Counter("ventanilla_rejected_requests_total", "Requests refused as bad input", ["route", "reason"])
OUTBOX_SENT = Counter("ventanilla_outbox_sent_total", "Replies a provider accepted", ["channel"])
OUTBOX_RETRIES = Counter("ventanilla_outbox_retries_total", "Failed sends to be retried", ["channel"])
OUTBOX_FAILED = Counter("ventanilla_outbox_failed_total", "Replies given up after the last try", ["channel"])
ERASURES = Counter("ventanilla_erasures_total", "Citizens who erased their data from the chat")
EMERGENCIES = Counter(
    "ventanilla_emergencies_total", "Messages answered with the emergency number", ["channel"]
)
DIALOGUE_RULES = Counter("ventanilla_dialogue_rules_total", "Turns decided by each dialogue rule", ["rule"])
LINK_REFUSED = Counter(
    "ventanilla_link_refused_total",
    "Link codes refused: a wrong code, or the per-identity or overall limit of wrong codes",
    ["reason"],
)
SWEPT = Counter(
    "ventanilla_housekeeping_removed_total", "Unused photos and one-message web chats removed", ["kind"]
)
MEDIA_NOT_COPIED = Counter(
    "ventanilla_media_not_copied_total",
    "Files a citizen sent that stayed at the provider (too large, gone, too slow): the message kept its link",
    ["channel"],
)
KNOWLEDGE_ASKS = Counter(
    "ventanilla_knowledge_asks_total",
    "Questions put to the knowledge base, by what was found: answered, choice, miss",
    ["outcome"],
)
KNOWLEDGE_USEFUL = Counter(
    "ventanilla_knowledge_useful_total", 'Answers to "¿Te sirvió?" after a knowledge base answer', ["answer"]
)
