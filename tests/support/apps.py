"""Freeing the aiohttp apps tests start (tests/conftest.py's autouse fixture, tests/test_memory.py)."""

from __future__ import annotations

import aiohttp.web_app


def forget_finished_apps() -> None:
    """aiohttp caches each app's middleware chain in a module-wide LRU of 1,024 entries, so an app a test
    started outlives it with everything it holds (its engine, pipeline, classifier, event loop): about
    13 MB a test, 13 GB by the end of a run, more than the CI machine survived. A server makes one app,
    so only the tests pay."""
    cached = getattr(aiohttp.web_app, "_cached_build_middleware", None)
    if cached is not None:
        cached.cache_clear()
