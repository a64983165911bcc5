"""`python -m nlu train|predict|evaluate`: the `ventanilla nlu` commands without the whole application."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.settings import Settings
from bot.settings_base import SettingsError
from bot.settings_loading import load_settings
from nlu.commands import add_nlu_commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu", description=__doc__)
    parser.add_argument(
        "--config", type=Path, help="settings file (default: config.yml, or $VENTANILLA_CONFIG)"
    )
    parser.add_argument("--model-dir", type=Path, help="default: nlu.model_dir in the settings (var/nlu)")
    parser.add_argument("--phone-region", help="region of numbers without +code (default: city.phone_region)")
    top = parser.add_subparsers(dest="command", required=True)
    add_nlu_commands(top)
    argv = list(sys.argv[1:] if argv is None else argv)
    # `python -m nlu evaluate …` reads better than `python -m nlu nlu evaluate …`; accept both.
    verbs = ("train", "predict", "evaluate", "rasa-serve")
    verb = next((i for i, arg in enumerate(argv) if arg in verbs), None)
    if verb is not None and "nlu" not in argv[:verb]:
        argv.insert(verb, "nlu")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        settings = settings_for(args)
    except SettingsError as exc:
        print(f"python -m nlu: {exc}", file=sys.stderr)
        return 2
    code: int = args.func(args, settings)
    return code


def settings_for(args: argparse.Namespace) -> Settings:
    """The application's own settings, so these commands see what `ventanilla nlu` and the bot see;
    `--model-dir` and `--phone-region` override them, validated like any other override."""
    overrides = {}
    if args.model_dir:
        overrides["nlu.model_dir"] = str(args.model_dir.resolve())  # relative to here, not to config.yml
    if args.phone_region:
        overrides["city.phone_region"] = args.phone_region
    return load_settings(args.config, None, **overrides)


if __name__ == "__main__":
    raise SystemExit(main())
