"""The participation commands: `surveys create|send|results`, `alerts send`, `opendata export`.

Only the arguments live here; each command's work is in its own module (bot/survey_commands.py,
bot/broadcast_commands.py, bot/opendata_commands.py)."""

from __future__ import annotations

import argparse
from typing import Any

from bot import broadcast_commands, opendata_commands, survey_commands
from bot.followup_commands import _moment


def add_participation_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `surveys`, `alerts` and `opendata` on the application's sub-parsers."""
    surveys = subparsers.add_parser("surveys", help="surveys for the citizens opted into a topic")
    survey = surveys.add_subparsers(dest="surveys_command", required=True, metavar="{create,send,results}")
    create = survey.add_parser("create", help="add a survey defined in a YAML file (docs/participation.md)")
    create.add_argument("file", help="the survey's YAML file")
    create.set_defaults(func=survey_commands.create_command)
    send = survey.add_parser("send", help="send a survey to its topic's citizens (serve paces it out)")
    send.add_argument("survey", help="the survey's id or slug")
    send.add_argument("--now", type=_moment, help="as if it were this ISO 8601 time (rehearsals, tests)")
    send.set_defaults(func=broadcast_commands.survey_send_command)
    results = survey.add_parser("results", help="a survey's results, counts under min_cell hidden")
    results.add_argument("survey", help="the survey's id or slug")
    results.add_argument("--csv", action="store_true", help="as CSV on standard output")
    results.set_defaults(func=survey_commands.results_command)

    alerts = subparsers.add_parser("alerts", help="short notices to the citizens opted into a topic")
    alert = alerts.add_subparsers(dest="alerts_command", required=True, metavar="{send}")
    alert_send = alert.add_parser("send", help="send an alert (water cut, road closed) to a topic's citizens")
    alert_send.add_argument("--topic", required=True, help="a topic of participation.topics")
    alert_send.add_argument("--area", help="only the citizens of this area (a key of areas:)")
    alert_send.add_argument("--text", required=True, help="the alert in Spanish")
    alert_send.add_argument("--text-en", help="the alert in English (default: the Spanish text)")
    alert_send.add_argument("--now", type=_moment, help="as if it were this ISO 8601 time (tests)")
    alert_send.set_defaults(func=broadcast_commands.alert_send_command)

    opendata = subparsers.add_parser("opendata", help="the open data files served at /datos/")
    data = opendata.add_subparsers(dest="opendata_command", required=True, metavar="{export}")
    export = data.add_parser("export", help="write today's files now, up to this moment")
    export.add_argument("--now", type=_moment, help="as if it were this ISO 8601 time (rehearsals, tests)")
    export.set_defaults(func=opendata_commands.export_command)
