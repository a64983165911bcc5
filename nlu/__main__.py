"""`python -m nlu train|predict|evaluate`: the `ventanilla nlu` commands without the whole application."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from types import SimpleNamespace

from nlu.commands import add_nlu_commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu", description=__doc__)
    parser.add_argument("--model-dir", type=Path, default=Path("var/nlu"), help="default: var/nlu")
    parser.add_argument("--phone-region", default="CO", help="region of numbers without +code (default CO)")
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
    settings = SimpleNamespace(
        nlu=SimpleNamespace(
            backend="builtin",
            model_dir=args.model_dir,
            rasa_url=os.environ.get("RASA_URL") or "http://127.0.0.1:5005",
        ),
        city=SimpleNamespace(phone_region=args.phone_region),
    )
    code: int = args.func(args, settings)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
