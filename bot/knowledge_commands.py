"""The knowledge base commands: `knowledge check` (is every topic file right?) and `knowledge test` (does the
right topic come first for questions the index has not seen?)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.knowledge import ANSWER
from bot.knowledge_check import WARNING, Finding, check_files
from bot.knowledge_files import Topic, load_topics
from bot.knowledge_reminder_commands import add_remind
from bot.knowledge_test import Measurement, cross_validate, measure
from bot.settings import Settings
from nlu.builtin import nlu_data_dir
from nlu.factory import build_builtin
from nlu.knowledge_index import background_texts

MIN_RATE = 0.9


def add_knowledge_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `knowledge check`, `test` and `remind` on the application's sub-parsers."""
    knowledge = subparsers.add_parser("knowledge", help="the city's topic files: check them, measure them")
    commands = knowledge.add_subparsers(
        dest="knowledge_command", required=True, metavar="{check,test,remind}"
    )
    check = commands.add_parser("check", help="validate every topic file; exit 1 when one has an error")
    check.add_argument("--dir", type=Path, help="the topics' folder (default: knowledge.dir)")
    check.add_argument(
        "--months", type=int, help="list topics not checked for this long (default: stale_months)"
    )
    check.add_argument("--quick", action="store_true", help="skip the index's look for look-alike questions")
    check.set_defaults(func=check_command)
    test = commands.add_parser("test", help="how often the right topic is found for held-out questions")
    test.add_argument("--dir", type=Path, help="the topics' folder (default: knowledge.dir)")
    test.add_argument("--folds", type=int, default=5, help="k of the k-fold split (default 5)")
    test.add_argument("--min", type=float, default=MIN_RATE, help="the least right-first rate per language")
    test.add_argument("--json", action="store_true", help="the figures as JSON on standard output")
    test.set_defaults(func=test_command)
    add_remind(commands)


def _folder(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.dir) if args.dir else settings.knowledge.dir


def check_command(args: argparse.Namespace, settings: Settings) -> int:
    folder = _folder(args, settings)
    months = args.months or settings.knowledge.stale_months
    today = datetime.now(settings.city.zone).date()
    topics, findings = check_files(folder, settings, months=months, today=today)
    if not args.quick and len(topics) > 1:
        findings.extend(look_alikes(topics, settings))
    for finding in sorted(findings, key=lambda f: (f.level != "error", f.file, f.message)):
        print(finding.line())
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    print(f"{len(topics)} topics in {folder}: {errors} errors, {warnings} warnings")
    return 1 if errors else 0


def look_alikes(topics: list[Topic], settings: Settings) -> list[Finding]:
    """Questions of one topic that an index which never saw them answers confidently with another."""
    # A rougher, quicker look than `knowledge test`: three folds and a quarter of the "none" examples
    # (a fifth of the time); the questions it points at are the same kind.
    held = cross_validate(topics, settings, background_texts(nlu_data_dir())[::4], folds=3)
    files = {t.slug: t.path.name for t in topics}
    return [
        Finding(
            WARNING, files[h.topic],
            f"question {h.text!r} is answered as {files[h.found[0]]} ({h.score:.2f}): reword or merge",
        )
        for h in held
        if h.kind == ANSWER and h.found[0] != h.topic
    ]  # fmt: skip


def test_command(args: argparse.Namespace, settings: Settings) -> int:
    folder = _folder(args, settings)
    topics, problems = load_topics(folder)
    for problem in problems:
        print(f"left out: {problem}")
    if len(topics) < 2:
        print(f"{folder}: at least two topics are needed to measure")
        return 1
    if args.folds < 2:
        print("--folds: at least 2")
        return 1
    data_dir = nlu_data_dir()
    classifier = build_builtin(settings)  # the bot weighs each finding against it (bot/knowledge.py)
    result = measure(topics, settings, data_dir, data_dir.parent / "eval", args.folds, classifier.parse_sync)
    failed = [s.language for s in result.languages.values() if s.rate < args.min]
    oos_failed = result.oos_kept < len(result.oos)
    if args.json:
        print(
            json.dumps(
                result.as_json() | {"min": args.min, "passed": not failed and not oos_failed}, indent=2
            )
        )
    else:
        _print(result, args.min)
    return 1 if failed or oos_failed else 0


def _print(result: Measurement, least: float) -> None:
    print(f"Held-out example questions ({result.folds}-fold, titles always learnt):")
    for s in result.languages.values():
        mark = "ok" if s.rate >= least else f"UNDER {least:.0%}"
        print(
            f"  {s.language}: right topic first {s.right_first}/{s.questions} = {s.rate:.1%} ({mark}); "
            f"answered right {s.answered_right}, offered as a choice {s.choice} "
            f"(right one among them {s.choice_right}), wrong answer {s.wrong_answer}, missed {s.missed}"
        )
    if result.worst:
        print("Topics whose questions are found least:")
        for row in result.worst:
            print(f"  {row['topic']}: {row['right_first']}/{row['questions']} first")
            for miss in row["not_found"]:
                print(f"    {miss['question']!r} → {miss['ranked_first']} ({miss['kind']})")
    print(f"Out-of-scope messages (public sets, never learnt): {result.oos_kept}/{len(result.oos)} kept out")
    for o in result.oos:
        if o["kind"] != "nothing":
            print(f"  TAKEN {o['text']!r} → {', '.join(o['topics'])} ({o['kind']} {o['score']:.2f})")
    taken = result.reports_taken
    print(f"Intent test messages (reports, status, small talk): {len(taken)}/{result.intent_messages} taken")
    for t in taken:
        print(f"  {t['intent']}: {t['text']!r} → {', '.join(t['topics'])} ({t['kind']} {t['score']:.2f})")
    for t in result.intent_oos_taken:
        print(
            f"  (out of scope in the intent test set) {t['text']!r} → {', '.join(t['topics'])} ({t['kind']})"
        )
