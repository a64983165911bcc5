"""The results side by side: a text table for the terminal, a Markdown one for docs, and a PNG plot."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loadgen import Result, from_json


@dataclass
class Row:
    """One target: its web chat and Twilio results, and what the provider received during the Twilio run."""

    key: str
    label: str
    rest: Result | None = None
    twilio: Result | None = None
    replies: int | None = None  # replies the outbox got to the fake Twilio during and after the Twilio run
    drain_seconds: float | None = None  # after the load stopped, until the last queued reply went out
    # CPU time of the target (all its processes, and its PostgreSQL server's) per message answered
    rest_cpu_ms: float | None = None
    twilio_cpu_ms: float | None = None
    database_cpu_ms: dict[str, float | None] = field(default_factory=dict)  # PostgreSQL's share of that
    loadgen_cpu_ms: dict[str, float | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def row_from_json(data: dict[str, Any]) -> Row:
    """A row as `run.py --json` wrote it."""
    fields = dict(data)
    for channel in ("rest", "twilio"):
        if fields.get(channel) is not None:
            fields[channel] = from_json(fields[channel])
    return Row(**fields)


HEADERS = (
    "target", "web chat msgs/s", "p50 ms", "p99 ms", "errors", "CPU ms/msg",
    "Twilio msgs/s", "p50 ms", "p99 ms", "errors", "CPU ms/msg", "outbox lag s",
)  # fmt: skip


def _cells(result: Result | None, cpu_ms: float | None) -> list[str]:
    if result is None:
        return ["n/a", "", "", "", ""]
    cpu = "" if cpu_ms is None else f"{cpu_ms:.1f}"
    figures = [f"{result.msgs_per_s:.1f}", f"{result.p50_ms:.1f}", f"{result.p99_ms:.1f}"]
    return [*figures, str(result.errors), cpu]


def cells(row: Row) -> list[str]:
    lag = "" if row.drain_seconds is None else f"{row.drain_seconds:.1f}"
    return [row.label, *_cells(row.rest, row.rest_cpu_ms), *_cells(row.twilio, row.twilio_cpu_ms), lag]


def text_table(rows: list[Row]) -> str:
    lines = [list(HEADERS), *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]

    def render(line: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))
        )

    out = [render(line) for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(rows: list[Row]) -> str:
    out = ["| " + " | ".join(HEADERS) + " |", "|---" + "|---:" * (len(HEADERS) - 1) + "|"]
    out += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(out)


def _pyplot() -> Any:
    # Imported by name: matplotlib is a dev dependency, needed only for the picture.
    matplotlib = importlib.import_module("matplotlib")
    matplotlib.use("Agg")  # files only, no display
    return importlib.import_module("matplotlib.pyplot")


def plot(rows: list[Row], path: Path, subtitle: str) -> None:
    """Per channel: messages per second, p50/p99 latency, and CPU time per message (all log scale)."""
    plt = _pyplot()
    figure, axes = plt.subplots(3, 2, figsize=(13, 10), gridspec_kw={"width_ratios": [1.25, 1]})
    panels = (("rest", "web chat webhook"), ("twilio", "signed Twilio webhook"))
    for column, (channel, title) in enumerate(panels):
        measured = [row for row in rows if getattr(row, channel) is not None][::-1]  # first row on top
        labels = [row.label for row in measured]
        results: list[Result] = [getattr(row, channel) for row in measured]
        ys = list(range(len(results)))
        rate = axes[0][column]
        bars = rate.barh(ys, [r.msgs_per_s for r in results], color="#2f6f9f")
        for bar, result in zip(bars, results, strict=True):
            note = f" {result.msgs_per_s:,.0f}" + (f"  ({result.errors} errors)" if result.errors else "")
            rate.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, note, va="center", fontsize=8)
        rate.set_xlim(1, max([*(r.msgs_per_s for r in results), 10.0]) * 8)
        _axis(rate, ys, labels, f"{title}: messages per second")
        latency = axes[1][column]
        height = 0.38
        p50 = [r.p50_ms for r in results]
        p99 = [r.p99_ms for r in results]
        latency.barh([y + height / 2 for y in ys], p50, height, label="p50", color="#6aa84f")
        latency.barh([y - height / 2 for y in ys], p99, height, label="p99", color="#cc4125")
        latency.legend(fontsize=8, loc="upper right")
        _axis(latency, ys, labels, f"{title}: latency, ms")
        cpu = axes[2][column]
        spent = [getattr(row, f"{channel}_cpu_ms") or 0.0 for row in measured]
        bars = cpu.barh(ys, spent, color="#8e7cc3")
        for bar, value in zip(bars, spent, strict=True):
            cpu.text(
                bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {value:.1f}", va="center", fontsize=8
            )
        cpu.set_xlim(0.1, max([*spent, 1.0]) * 4)
        _axis(cpu, ys, labels, f"{title}: CPU ms per message (server + its database)")
    figure.suptitle(f"Ventanilla under load — {subtitle}", fontsize=11)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _axis(axis: Any, ys: list[int], labels: list[str], title: str) -> None:
    axis.set_xscale("log")
    axis.set_yticks(ys, labels, fontsize=8)
    axis.set_title(f"{title} (log scale)", fontsize=10)
