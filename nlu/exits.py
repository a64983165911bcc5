"""How an `nlu` command ends: its exit codes, and the one line that says why it failed.

Its own module so that `nlu/commands.py` and `nlu/rasa/commands.py` share it without importing each
other (tests/test_module_boundaries.py)."""

from __future__ import annotations

import sys

EXIT_FAILED = 1
EXIT_UNAVAILABLE = 2


def fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"ventanilla nlu: {message}", file=sys.stderr)
    return code
