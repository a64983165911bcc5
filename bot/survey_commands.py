"""`ventanilla surveys create FILE.yml` and `surveys results ID [--csv]` (issue 16: being built)."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def create_command(args: argparse.Namespace, settings: Settings) -> int:
    raise NotImplementedError


def results_command(args: argparse.Namespace, settings: Settings) -> int:
    raise NotImplementedError
