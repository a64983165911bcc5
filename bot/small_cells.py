"""Which published counts are hidden: any below `min_cell` (zero too: "none" is a count like "two"), and,
where a group of counts adds up to a total the page also shows, a second one beside a count hidden alone,
since the total minus the others would give it away (the same rule as the surveys' results)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def hidden(counts: Mapping[K, int], groups: Iterable[Sequence[K]], min_cell: int) -> set[K]:
    """The keys to show as "<min_cell": those below it; then, in each group with exactly one hidden, the
    smallest shown other one too, again until no group has one hidden alone (a cell may be in two groups,
    a row and a column)."""
    groups = [list(group) for group in groups]
    keys = set(counts).union(*groups)
    hide = {key for key in keys if counts.get(key, 0) < min_cell}
    changed = True
    while changed:
        changed = False
        for group in groups:
            alone = [key for key in group if key in hide]
            shown = [key for key in group if key not in hide]
            if len(alone) == 1 and shown:
                hide.add(min(shown, key=lambda key: counts.get(key, 0)))
                changed = True
    return hide
