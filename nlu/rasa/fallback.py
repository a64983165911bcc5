"""Rasa first, the built-in classifier when Rasa is slow, down or talks nonsense; a breaker in between."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from prometheus_client import Counter, Gauge

from nlu.base import Parse
from nlu.builtin import BuiltinClassifier
from nlu.rasa.client import RasaClassifier, RasaError

log = logging.getLogger(__name__)

# In the default registry, so the service's /metrics shows them next to bot/metrics.py's.
FALLBACKS = Counter(
    "ventanilla_nlu_fallbacks_total",
    "Messages the built-in classifier parsed because Rasa could not",
    ["reason"],  # timeout | unreachable | http_error | bad_answer | error | circuit_open
)
RASA_PARSES = Counter("ventanilla_nlu_rasa_parses_total", "Messages Rasa parsed")
RASA_UP = Gauge("ventanilla_nlu_rasa_up", "1 while Rasa is used, 0 while the breaker skips it")

DEFAULT_FAILURES_TO_OPEN = 2  # consecutive failures before Rasa is skipped for a while
DEFAULT_COOLDOWN = 10.0  # seconds Rasa is skipped before one message tries it again
LOG_EVERY = 60.0  # seconds between two log lines about the same kind of failure

Clock = Callable[[], float]


class CircuitBreaker:
    """Closed (use Rasa) → open after N failures in a row (skip it) → after a cool-down one trial call."""

    def __init__(
        self,
        failures_to_open: int = DEFAULT_FAILURES_TO_OPEN,
        cooldown: float = DEFAULT_COOLDOWN,
        clock: Clock = time.monotonic,
    ) -> None:
        self.failures_to_open, self.cooldown, self.clock = failures_to_open, cooldown, clock
        self.failures = 0
        self.opened_at: float | None = None
        self.trial_running = False

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self.opened_at >= self.cooldown else "open"

    def allow(self) -> bool:
        """Whether this call may go to Rasa; in half-open state only one call at a time does."""
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self.trial_running:
            self.trial_running = True
            return True
        return False

    def succeeded(self) -> bool:
        """Record a good answer; True when it closed an open breaker (Rasa is back)."""
        recovered = self.opened_at is not None
        self.failures, self.opened_at, self.trial_running = 0, None, False
        return recovered

    def failed(self) -> bool:
        """Record a failure; True when it (re)opened the breaker."""
        self.failures += 1
        self.trial_running = False
        if self.opened_at is not None or self.failures >= self.failures_to_open:
            self.opened_at = self.clock()
            return True
        return False

    def abandoned(self) -> None:
        """The call was cancelled before an answer: neither a success nor a failure."""
        self.trial_running = False


class RateLimitedLog:
    """At most one warning per kind of event every `every` seconds, saying how many were left out."""

    def __init__(self, every: float = LOG_EVERY, clock: Clock = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self._last: dict[str, float] = {}
        self._skipped: dict[str, int] = {}

    def warning(self, kind: str, message: str, *args: object) -> None:
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            self._skipped[kind] = self._skipped.get(kind, 0) + 1
            return
        skipped = self._skipped.pop(kind, 0)
        self._last[kind] = now
        suffix = f" ({skipped} more like it since the last report)" if skipped else ""
        log.warning(message + suffix, *args)


class FallbackClassifier:
    """The classifier `nlu.backend: rasa` gets: every message is parsed, by Rasa whenever it can be."""

    def __init__(
        self,
        rasa: RasaClassifier,
        builtin: BuiltinClassifier,
        *,
        breaker: CircuitBreaker | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.rasa, self.builtin = rasa, builtin
        self.breaker = breaker or CircuitBreaker(clock=clock)
        self.logs = RateLimitedLog(clock=clock)
        RASA_UP.set(1)

    async def parse(self, text: str) -> Parse:
        if self.rasa.answers_locally(text):  # a button or nothing: says nothing about Rasa's health
            return await self.rasa.parse(text)
        if not self.breaker.allow():
            return self._fallback(text, "circuit_open")
        try:
            parse = await self.rasa.parse(text)
        except RasaError as error:
            return self._failed(text, error.reason, str(error))
        except Exception as error:  # a bug in the mapping must cost Rasa's answer, never the message
            log.exception("unexpected error parsing with Rasa")
            return self._failed(text, "error", repr(error))
        except BaseException:  # cancelled: says nothing about Rasa's health
            self.breaker.abandoned()
            raise
        if self.breaker.succeeded():
            RASA_UP.set(1)
            log.warning("Rasa at %s answers again; using it", self.rasa.url)
        RASA_PARSES.inc()
        return parse

    def _failed(self, text: str, reason: str, detail: str) -> Parse:
        if self.breaker.failed():
            RASA_UP.set(0)
            self.logs.warning(
                "breaker",
                "Rasa at %s failed (%s); the built-in classifier answers for the next %.0f s",
                self.rasa.url,
                detail,
                self.breaker.cooldown,
            )
        else:
            self.logs.warning(
                reason, "Rasa at %s failed (%s); the built-in classifier answered", self.rasa.url, detail
            )
        return self._fallback(text, reason)

    def _fallback(self, text: str, reason: str) -> Parse:
        FALLBACKS.labels(reason).inc()
        return self.builtin.parse_sync(text)

    async def close(self) -> None:
        """Close Rasa's connection pool (call it on application clean-up)."""
        await self.rasa.close()
