"""The stories' pass rate by category, printed at the end of a run that included them."""

from __future__ import annotations

from collections import defaultdict

import pytest

_outcomes: dict[str, list[bool]] = defaultdict(list)
_pending: dict[str, int] = defaultdict(int)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    category = dict(report.user_properties).get("story_category")
    if category is None or report.when != "call":
        return
    if hasattr(report, "wasxfail") and report.skipped:
        _pending[str(category)] += 1  # a known gap, failing as it should: counted, not passed
    _outcomes[str(category)].append(report.passed and not hasattr(report, "wasxfail"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _outcomes:
        return
    write = terminalreporter.write_line
    write("")
    write(f"{'stories by category':<32}{'passed':>8}{'pending':>9}{'total':>8}{'rate':>8}")
    passed_all = total_all = 0
    for category in sorted(_outcomes):
        results = _outcomes[category]
        passed, total = sum(results), len(results)
        passed_all, total_all = passed_all + passed, total_all + total
        write(f"{category:<32}{passed:>8}{_pending[category]:>9}{total:>8}{passed / total:>8.0%}")
    pending = sum(_pending.values())
    write(f"{'all':<32}{passed_all:>8}{pending:>9}{total_all:>8}{passed_all / total_all:>8.0%}")
    write("(pending: a known gap, marked in its story; it must fail until the bot does it)")
