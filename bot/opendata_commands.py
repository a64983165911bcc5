"""`ventanilla opendata export` (issue 16: being built)."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    raise NotImplementedError
