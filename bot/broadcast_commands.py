"""`ventanilla surveys send ID` and `alerts send` (issue 16: being built)."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def survey_send_command(args: argparse.Namespace, settings: Settings) -> int:
    raise NotImplementedError


def alert_send_command(args: argparse.Namespace, settings: Settings) -> int:
    raise NotImplementedError
