"""A confusion-matrix picture (PNG) of gold against predicted intents, drawn with matplotlib (Agg)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlu.evaluate import confusion_matrix


class PlotUnavailable(RuntimeError):
    """matplotlib is not installed."""


def _pyplot() -> Any:
    # Imported by name so neither the application nor mypy needs matplotlib unless a picture is drawn.
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ImportError as exc:
        raise PlotUnavailable(
            "drawing the confusion matrix needs matplotlib: pip install matplotlib"
        ) from exc
    matplotlib.use("Agg")  # no display: files only
    return importlib.import_module("matplotlib.pyplot")


def write_confusion_png(gold: Sequence[str], predicted: Sequence[str], path: Path, title: str) -> Path:
    """Rows are gold intents, columns predicted; colour is the share of the row, numbers are counts."""
    plt = _pyplot()
    names, counts = confusion_matrix(gold, predicted, sorted(set(gold) | set(predicted)))
    shares = [[c / max(1, sum(row)) for c in row] for row in counts]
    size = max(6.0, 0.42 * len(names) + 3)
    figure, axes = plt.subplots(figsize=(size, size * 0.9), dpi=110)
    image = axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(len(names)), names, rotation=60, ha="right", fontsize=8)
    axes.set_yticks(range(len(names)), names, fontsize=8)
    axes.set_xlabel("predicted intent")
    axes.set_ylabel("gold intent")
    axes.set_title(title, fontsize=10)
    for row, line in enumerate(counts):
        for column, count in enumerate(line):
            if count:
                colour = "white" if shares[row][column] > 0.5 else "black"
                axes.text(column, row, str(count), ha="center", va="center", fontsize=6, color=colour)
    figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02, label="share of the gold intent")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    plt.close(figure)
    return path
