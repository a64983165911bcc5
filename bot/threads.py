"""Blocking work off the event loop, a bounded number at once.

Hashing a password (argon2: 64 MiB and tens of milliseconds) or decoding a photo (hundreds of MB for a
big one) must not run on the event loop, nor so many at once that they take the CPU and memory from the
web chat: the rest wait their turn. Semaphores belong to one event loop, so each loop gets its own."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Bounded:
    def __init__(self, at_once: int) -> None:
        self.at_once = at_once
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._slots = weakref.WeakKeyDictionary()

    def slots(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if loop not in self._slots:
            self._slots[loop] = asyncio.Semaphore(self.at_once)
        return self._slots[loop]

    async def run(self, work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        async with self.slots():
            return await asyncio.to_thread(work, *args, **kwargs)
