"""Typed keys for the state that hangs on the aiohttp application; declared here and nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2
from aiohttp import web

from bot.knowledge import KnowledgeBase
from bot.outbox import OutboxWorker
from bot.pipeline import Pipeline
from bot.settings import Settings
from nlu.base import Classifier
from storage.engine import AsyncEngine, AsyncSession, async_sessionmaker
from storage.media import MediaStore

if TYPE_CHECKING:
    from connectors.rest.keys import Keys
    from connectors.rest.policy import PolicyPages
    from connectors.rest.routes import SendersPerAddress
    from connectors.telegram.updates import TelegramUpdates
    from connectors.twilio.media import TwilioMedia
    from inbox.auth import AddressThrottle
    from inbox.sse import Broadcaster

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONS = web.AppKey("sessions", async_sessionmaker[AsyncSession])
CLASSIFIER = web.AppKey("classifier", Classifier)
PIPELINE = web.AppKey("pipeline", Pipeline)
KNOWLEDGE = web.AppKey("knowledge", KnowledgeBase)  # the city's answers (knowledge/), read again when edited
OUTBOX = web.AppKey("outbox", OutboxWorker)
# Photos and files citizens sent: a folder or a bucket (storage/media.py), one per process.
MEDIA: web.AppKey[MediaStore] = web.AppKey("media")
# The Telegram connector imports this module, so its type is named for the checker only.
TELEGRAM: web.AppKey[TelegramUpdates] = web.AppKey("telegram")
TWILIO_MEDIA: web.AppKey[TwilioMedia] = web.AppKey("twilio_media")
WEBCHAT_SENDERS: web.AppKey[SendersPerAddress] = web.AppKey("webchat_senders")
WEBCHAT_KEYS: web.AppKey[Keys] = web.AppKey("webchat_keys")
# The staff inbox (a sub-app): its templates, and the live updates its pages listen to.
INBOX_TEMPLATES = web.AppKey("inbox_templates", jinja2.Environment)
INBOX_EVENTS: web.AppKey[Broadcaster] = web.AppKey("inbox_events")
INBOX_LOGINS: web.AppKey[AddressThrottle] = web.AppKey("inbox_logins")
# The privacy policy page (/privacidad), rendered again when the city edits its file.
POLICY_PAGES: web.AppKey[PolicyPages] = web.AppKey("policy_pages")
