"""The house's shape, checked: no import cycle between product modules, SQL only in `storage/`, and no
module growing past about 300 lines (issue 13, part 6).

Imports are read from the source (ast), function-level ones included, since a cycle hidden inside a
function still ties two modules together; imports under `if TYPE_CHECKING:` are left out (types only).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "connectors", "inbox", "nlu", "storage")
MAX_LINES = 300
# Over the limit and named here with their size today, to be split, never to grow: the models and the
# text catalogues are long by nature; the rest are on the list.
LONG_BY_NATURE = {"storage/models.py", "bot/texts.py", "inbox/words.py"}
STILL_TO_SPLIT = {
    "bot/dialogue.py": 660,
    "nlu/addresses.py": 518,
    "bot/report_flow.py": 479,
    "bot/words.py": 367,
    "bot/settings.py": 372,
    "bot/pipeline.py": 330,
    "connectors/open311/openapi.py": 322,
}


def product_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


class _Imports(ast.NodeVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.orelse:
                self.visit(statement)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.names.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        assert node.level == 0, "relative imports are not used in this house"
        if node.module:
            self.names.add(node.module)
            self.names.update(f"{node.module}.{alias.name}" for alias in node.names)


def imported(path: Path) -> set[str]:
    visitor = _Imports()
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return visitor.names


def import_graph() -> dict[str, set[str]]:
    """Module → the product modules it imports (a package's `__init__` counts: importing a submodule
    runs it)."""
    modules = product_modules()
    graph = {}
    for name, path in modules.items():
        edges: set[str] = set()
        for target in imported(path):
            parts = target.split(".")
            edges.update(
                prefix for k in range(1, len(parts) + 1) if (prefix := ".".join(parts[:k])) in modules
            )
        graph[name] = edges - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_between_product_modules() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_sql_lives_in_storage_only() -> None:
    """Outside `storage/`, nothing imports SQLAlchemy: sessions, engines and the database's errors come
    from `storage.engine`, and every query is a function in `storage/`."""
    offenders = {
        name
        for name, path in product_modules().items()
        if not name.startswith("storage") and any(n.split(".")[0] == "sqlalchemy" for n in imported(path))
    }
    assert offenders == set()


def test_no_module_grows_past_about_300_lines() -> None:
    too_long = {}
    for path in product_modules().values():
        relative = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        allowed = STILL_TO_SPLIT.get(relative, MAX_LINES)
        if relative not in LONG_BY_NATURE and lines > allowed:
            too_long[relative] = lines
    assert too_long == {}
