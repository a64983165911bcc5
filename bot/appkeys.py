"""Typed keys for the state that hangs on the aiohttp application; declared here and nowhere else."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.outbox import OutboxWorker
from bot.pipeline import Pipeline
from bot.settings import Settings
from nlu.base import Classifier

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONS = web.AppKey("sessions", async_sessionmaker[AsyncSession])
CLASSIFIER = web.AppKey("classifier", Classifier)
PIPELINE = web.AppKey("pipeline", Pipeline)
OUTBOX = web.AppKey("outbox", OutboxWorker)
