"""Where things are: the repository (put on sys.path, so `tests.support` helpers import), the bench, docs."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DOCS = REPO / "docs"
HOST = "127.0.0.1"  # every server of the bench listens here, and only here

for folder in (HERE.parent, REPO):  # bench/ (citizens.py), then the repository (tests.support)
    if str(folder) not in sys.path:
        sys.path.append(str(folder))  # after the bench's own folder: its modules keep their plain names


def ventanilla_command() -> list[str]:
    """The `ventanilla` entry point of the interpreter running the bench (the project's .venv)."""
    beside = Path(sys.executable).parent / "ventanilla"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "bot.cli"]
