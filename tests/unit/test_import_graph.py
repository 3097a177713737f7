"""No module of pos_app imports, directly or through others, a module that imports it back.

The graph is grimp's (import-linter's): it counts every import statement, those under `if TYPE_CHECKING:` and inside
functions too, so a circle hidden behind either still fails here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Set

import grimp
import pytest


def import_circles(modules: Iterable[str], imports_of: Callable[[str], Set[str]]) -> list[list[str]]:
    """Each group of modules that import each other in a circle (a strongly connected component of two or more
    modules), as one such circle: `[a, b, c, a]`. Iterative Tarjan, so a deep package cannot overflow the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(imports_of(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, pending = work[-1]
            if pending:
                imported = pending.pop()
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, sorted(imports_of(imported))))
                elif imported in on_stack:
                    low[module] = min(low[module], index[imported])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return [_one_circle(component, imports_of) for component in sorted(components)]


def _one_circle(component: list[str], imports_of: Callable[[str], Set[str]]) -> list[str]:
    """A shortest circle through the component's first module, staying inside the component."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for imported in sorted(imports_of(module) & members):
            if imported == start:
                path = [module]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if imported not in came_from:
                came_from[imported] = module
                queue.append(imported)
    raise AssertionError(f"{component} is not a circle")  # pragma: no cover: Tarjan found it


def _graph_of(edges: Mapping[str, Iterable[str]]) -> tuple[set[str], Callable[[str], Set[str]]]:
    modules = set(edges) | {m for targets in edges.values() for m in targets}
    return modules, lambda module: set(edges.get(module, ()))


@pytest.fixture(scope="module")
def pos_app_graph() -> grimp.ImportGraph:
    return grimp.build_graph("pos_app", cache_dir=None)


def test_no_two_modules_of_pos_app_import_each_other_in_a_circle(pos_app_graph: grimp.ImportGraph) -> None:
    circles = import_circles(pos_app_graph.modules, pos_app_graph.find_modules_directly_imported_by)

    assert not circles, "Import circles in pos_app:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_the_graph_holds_the_imports_made_only_for_type_checking(pos_app_graph: grimp.ImportGraph) -> None:
    # grimp reads every import statement; this test would miss a TYPE_CHECKING circle if it stopped doing so
    assert pos_app_graph.modules, "grimp found no modules of pos_app"
    assert "pos_app.mediation.registry" in pos_app_graph.find_modules_directly_imported_by("pos_app.mediation.services")


def test_a_circle_of_two_modules_is_named() -> None:
    modules, imports_of = _graph_of({"p.a": ["p.b"], "p.b": ["p.a", "p.c"], "p.c": []})

    assert import_circles(modules, imports_of) == [["p.a", "p.b", "p.a"]]


def test_a_longer_circle_is_named_through_each_of_its_modules() -> None:
    modules, imports_of = _graph_of({"p.a": ["p.b"], "p.b": ["p.c"], "p.c": ["p.a"], "p.d": ["p.a"]})

    assert import_circles(modules, imports_of) == [["p.a", "p.b", "p.c", "p.a"]]


def test_imports_that_only_point_one_way_are_no_circle() -> None:
    modules, imports_of = _graph_of({"p.a": ["p.b", "p.c"], "p.b": ["p.c"], "p.c": []})

    assert import_circles(modules, imports_of) == []
