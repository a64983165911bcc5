"""`RasaClassifier`: a Rasa 3.6 server's `POST /model/parse`, mapped onto our `Parse`."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import aiohttp

from nlu.base import Entity, IntentScore, Parse
from nlu.builtin import NO_INTENT, RANKING_SIZE, BuiltinClassifier
from nlu.entities import extract_entities

DEFAULT_TIMEOUT = 1.5  # seconds for one whole request; a citizen should not wait on a sick server
DEFAULT_POOL_SIZE = 16  # connections kept to the server; 2 cores serve far fewer parses at once
# Entity kinds we extract ourselves (nlu/entities.py), the same whatever the backend: Rasa's version of
# these (say, a case code in lower case from its RegexEntityExtractor) is left out.
OWN_ENTITIES = frozenset({"case_code", "address", "phone_number"})
# A button's "/intent" or "/intent{...}" (Rasa's convention): answered locally, as the built-in does.
_PAYLOAD = re.compile(r"^/[A-Za-z0-9_]+(\{.*\})?$", re.DOTALL)


class RasaError(Exception):
    """No usable answer from Rasa; `reason` is the metric label (timeout, unreachable, http_error…)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


class RasaClassifier:
    """Intent and ranking from Rasa; entities, language and button payloads as the built-in does them.

    `local` is the built-in classifier, used only for what needs no model (payloads, empty text), the
    rule-based entities and the language detector, so a conversation behaves the same on either backend.
    The aiohttp session is opened on first use, inside the running loop; `close()` it when done.
    """

    def __init__(
        self,
        url: str,
        local: BuiltinClassifier,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        self.url = url.rstrip("/")
        self.local = local
        self.timeout = timeout
        self.pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.pool_size),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            )
        return self._session

    async def close(self) -> None:
        """Close the connection pool; safe to call twice, and a later parse opens a new one."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def answers_locally(self, text: str) -> bool:
        """Empty text and our intents' button payloads need no model: no request is made for them."""
        stripped = text.strip()
        if not stripped:
            return True
        return bool(_PAYLOAD.match(stripped)) and stripped[1:].split("{", 1)[0] in self.local.intents

    async def parse(self, text: str) -> Parse:
        """What Rasa understood of `text`; RasaError when it is slow, down or answers nonsense."""
        if self.answers_locally(text):
            if not text.strip():
                return Parse(text=text, intent=NO_INTENT, confidence=0.0)
            return self.local.parse_sync(text)
        answer = await self.request(text)
        return self.to_parse(text, answer)

    async def request(self, text: str) -> dict[str, Any]:
        """Rasa's raw parse JSON for `text`."""
        try:
            async with self._client().post(f"{self.url}/model/parse", json={"text": text}) as response:
                if response.status != 200:
                    raise RasaError("http_error", f"HTTP {response.status}")
                body = await response.read()
        except TimeoutError as exc:
            raise RasaError("timeout", f"no answer in {self.timeout} s") from exc
        except aiohttp.ClientError as exc:  # refused, reset, server gone mid-answer, bad HTTP
            raise RasaError("unreachable", f"{exc.__class__.__name__}: {exc}") from exc
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise RasaError("bad_answer", f"not JSON: {body[:80]!r}") from exc
        if not isinstance(answer, dict):
            raise RasaError("bad_answer", f"not an object: {body[:80]!r}")
        return answer

    def to_parse(self, text: str, answer: dict[str, Any]) -> Parse:
        """Map Rasa's parse JSON onto `Parse`; RasaError("bad_answer") when it lacks an intent."""
        intent = _score(answer.get("intent"))
        if intent is None:
            raise RasaError("bad_answer", f"no usable intent in {str(answer.get('intent'))[:80]}")
        ranking = [s for s in map(_score, answer.get("intent_ranking") or []) if s is not None]
        ranking = sorted(ranking or [intent], key=lambda s: -s.confidence)[:RANKING_SIZE]
        ours = extract_entities(text, phone_region=self.local.phone_region)
        theirs = [e for e in map(_entity, answer.get("entities") or []) if e is not None]
        extra = [e for e in theirs if e.entity not in OWN_ENTITIES and not _overlaps(e, ours)]
        return Parse(
            text=text,
            intent=intent.intent,
            confidence=intent.confidence,
            ranking=tuple(ranking),
            entities=tuple(sorted((*ours, *extra), key=lambda e: (e.start, e.end))),
            language=self.local.model.languages.detect(text),
        )


def _score(raw: Any) -> IntentScore | None:
    """{"name": str, "confidence": number in [0, 1]} as an IntentScore, else None."""
    if not isinstance(raw, dict):
        return None
    name, confidence = raw.get("name"), raw.get("confidence")
    if not isinstance(name, str) or not name or isinstance(confidence, bool):
        return None
    if not isinstance(confidence, int | float) or not math.isfinite(confidence):
        return None
    return IntentScore(name, min(1.0, max(0.0, float(confidence))))


def _entity(raw: Any) -> Entity | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("entity"), str):
        return None
    start, end = raw.get("start"), raw.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end:
        return None
    value, extractor = raw.get("value"), raw.get("extractor")
    return Entity(raw["entity"], "" if value is None else str(value), start, end, str(extractor or "rasa"))


def _overlaps(entity: Entity, others: tuple[Entity, ...]) -> bool:
    return any(entity.start < other.end and other.start < entity.end for other in others)
