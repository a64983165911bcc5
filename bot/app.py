"""The app factory: `create_app(settings)` builds the whole service on one aiohttp application."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import os
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import voice_app
from bot.appkeys import CLASSIFIER, ENGINE, KNOWLEDGE, MEDIA, OUTBOX, PIPELINE, SESSIONS, SETTINGS
from bot.broadcasts import BroadcastSending
from bot.followups import Sending
from bot.history import Outcome
from bot.housekeeping import Housekeeping
from bot.knowledge import KnowledgeBase
from bot.messages import InboundMessage
from bot.opendata_job import DailyOpenData
from bot.outbox import OutboxWorker
from bot.pipeline import Pipeline
from bot.retention_job import DailyRetention
from bot.settings import Settings
from bot.settings_base import SettingsError
from bot.voice import Transcriber
from connectors import disk, media, my_data_download, registry
from connectors.http import client_address, errors_middleware, public_headers
from connectors.public import opendata_routes, transparency
from inbox.app import inbox_app
from nlu.base import Classifier
from storage import outbox
from storage.engine import SQLAlchemyError, create_engine, ping, session_factory
from storage.migrate import current_revision, head_revision
from storage.stores import open_store

log = logging.getLogger(__name__)


class DatabaseNotMigrated(SettingsError):
    """The schema is behind the code; `ventanilla db upgrade` fixes it."""


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    engine = create_engine(settings.database.url, echo=settings.database.echo)
    try:
        revision, head = await current_revision(engine), head_revision()
        if revision != head:
            raise DatabaseNotMigrated(
                f"the database is at revision {revision or 'none'}, the code needs {head}: "
                "run `ventanilla db upgrade`"
            )
        app[ENGINE] = engine
        app[SESSIONS] = session_factory(engine)
        yield
    finally:
        await engine.dispose()


async def media_ctx(app: web.Application) -> AsyncIterator[None]:
    """One media store per process (a folder or a bucket client), shared by every request."""
    async with open_store(app[SETTINGS]) as store:
        app[MEDIA] = store
        yield


def classifier_ctx(
    classifier: Classifier | None,
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        if classifier is not None:  # given by the caller (tests): the caller closes it
            app[CLASSIFIER] = classifier
            yield
            return
        from nlu.factory import build_classifier, close_classifier

        # Training (first start) or loading the cached model takes a moment: keep the loop free.
        app[CLASSIFIER] = await asyncio.to_thread(build_classifier, app[SETTINGS])
        try:
            yield
        finally:
            await close_classifier(app[CLASSIFIER])  # the Rasa backend's HTTP session

    return ctx


OUTBOX_STOP_SECONDS = 15


async def outbox_ctx(app: web.Application) -> AsyncIterator[None]:
    """The worker that pushes replies to providers runs inside the service, beside the webhooks."""
    senders = registry.senders(app[SETTINGS])
    worker = OutboxWorker(app[SESSIONS], senders)
    stop_waking = outbox.when_queued(app[SESSIONS], worker.wake)  # the one wake-up, whoever queued
    app[OUTBOX] = worker
    task = asyncio.create_task(worker.run(), name="outbox") if senders else None
    try:
        yield
    finally:
        stop_waking()
        if task is not None:
            worker.stop()
            try:
                # The pass in progress ends within the senders' timeouts (Twilio's 10 s by default).
                await asyncio.wait_for(asyncio.shield(task), timeout=OUTBOX_STOP_SECONDS)
            except TimeoutError:
                log.warning("outbox still sending after %d s; cancelling it", OUTBOX_STOP_SECONDS)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for sender in set(senders.values()):
            await sender.close()


async def housekeeping_ctx(app: web.Application) -> AsyncIterator[None]:
    """Unused photos and one-message web chats are removed every few minutes (bot/housekeeping.py)."""
    keeper = Housekeeping(app[SETTINGS], app[SESSIONS], app[MEDIA])
    task = asyncio.create_task(keeper.run(), name="housekeeping")
    try:
        yield
    finally:
        keeper.stop()
        await task


async def followups_ctx(app: web.Application) -> AsyncIterator[None]:
    """ "Was it fixed?" follow-ups that are due go out every minute (bot/followups.py)."""
    sending = Sending(app[SETTINGS], app[SESSIONS])
    task = asyncio.create_task(sending.run(), name="followups")
    try:
        yield
    finally:
        sending.stop()
        await task


async def retention_ctx(app: web.Application) -> AsyncIterator[None]:
    """Retention once a day, on the one worker that claims it (bot/retention_job.py)."""
    daily = DailyRetention(app[SETTINGS], app[SESSIONS], app[MEDIA])
    task = asyncio.create_task(daily.run(), name="retention")
    try:
        yield
    finally:
        daily.stop()
        await task


async def broadcasts_ctx(app: web.Application) -> AsyncIterator[None]:
    """Queued surveys and alerts go out at the city's pace, never in quiet hours (bot/broadcasts.py)."""
    sending = BroadcastSending(app[SETTINGS], app[SESSIONS])
    task = asyncio.create_task(sending.run(), name="broadcasts")
    try:
        yield
    finally:
        sending.stop()
        await task


async def opendata_ctx(app: web.Application) -> AsyncIterator[None]:
    """The open data files, once a day, on the one worker that claims it (bot/opendata_job.py)."""
    daily = DailyOpenData(app[SETTINGS], app[SESSIONS])
    task = asyncio.create_task(daily.run(), name="opendata")
    try:
        yield
    finally:
        daily.stop()
        await task


async def knowledge_ctx(app: web.Application) -> AsyncIterator[None]:
    """The city's knowledge base: its files read and its index loaded (or trained, a second or two)."""
    app[KNOWLEDGE] = await asyncio.to_thread(KnowledgeBase.load, app[SETTINGS])
    yield


async def pipeline_ctx(app: web.Application) -> AsyncIterator[None]:
    listens = app.get(voice_app.TRANSCRIBER) is not None  # issue 18: voice notes queued to be heard
    pipeline = Pipeline(app[SETTINGS], app[SESSIONS], app[CLASSIFIER], app[MEDIA], app[KNOWLEDGE], listens)
    app[PIPELINE] = pipeline
    yield


async def healthz(request: web.Request) -> web.Response:
    try:
        await ping(request.app[ENGINE])
    except (SQLAlchemyError, OSError) as exc:
        log.warning("health check failed: %s", exc)
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)
    free = disk.media_free_mb(request.app[SETTINGS].media)
    if free is not None:  # uploads are refused by now, and messages will be next
        return web.json_response({"status": "unavailable", "disk": "full", "free_mb": free}, status=503)
    return web.json_response({"status": "ok", "pid": os.getpid()})


async def metrics(request: web.Request) -> web.Response:
    if not may_read_metrics(request):
        return web.json_response({"error": "forbidden"}, status=403)
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def may_read_metrics(request: web.Request) -> bool:
    """The bearer token when one is set, from anywhere; else the machine itself (or anyone, if so set)."""
    settings = request.app[SETTINGS]
    token = settings.secrets.metrics_token
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if settings.server.metrics_from == "anywhere":
        return True
    try:
        return ipaddress.ip_address(client_address(request)).is_loopback
    except ValueError:
        return False


def create_app(
    settings: Settings, *, classifier: Classifier | None = None, transcriber: Transcriber | None = None
) -> web.Application:
    """Everything on one port; `classifier` and `transcriber` let tests put scripted ones behind the
    protocols."""
    app = web.Application(client_max_size=settings.server.max_upload_bytes, middlewares=[errors_middleware])
    app[SETTINGS] = settings
    app.on_response_prepare.append(public_headers)
    app.cleanup_ctx.extend(
        [
            database_ctx,
            media_ctx,
            classifier_ctx(classifier),
            outbox_ctx,
            knowledge_ctx,
            voice_app.transcriber_ctx(transcriber),
            pipeline_ctx,
            voice_app.worker_ctx,
            housekeeping_ctx,
            followups_ctx,
            retention_ctx,
            broadcasts_ctx,
            opendata_ctx,
        ]
    )
    app.router.add_get("/healthz", healthz)
    media.add_routes(app)
    my_data_download.add_routes(app)  # the citizen's one-time export link (issue 15)
    transparency.add_routes(app)  # /transparencia (issue 16)
    opendata_routes.add_routes(app)  # /datos/ (issue 16)
    app.router.add_get("/metrics", metrics)

    async def hand_off(message: InboundMessage) -> Outcome:
        return await app[PIPELINE].handle(message)

    for connector in registry.enabled_connectors(settings):
        connector.add_routes(app, hand_off)
    app.add_subapp("/inbox/", inbox_app())
    return app
