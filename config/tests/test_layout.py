"""The apps form a pipeline: catalog <- profiles <- recommender. catalog imports neither of the
others (nor curator), and no module imports itself through others.

Every project .py file is parsed with `ast`; imports anywhere in a file count, inside functions
too. `from package import name` counts as importing `package/name.py` when that file exists.
"""

import ast
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_PROJECT = {".venv", "node_modules", "staticfiles", "var"}
OTHER_APPS = ("profiles", "recommender", "curator")


@dataclass(frozen=True)
class Import:
    path: str  # the importing file, relative to the project root
    line: int
    name: str  # the module as written, made absolute; for `from m import x`, "m.x"
    statement: str  # as written, for messages


def project_files() -> dict[str, str]:
    """Module name -> file path (relative, with slashes) for every project .py file."""
    modules = {}
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in NOT_PROJECT and not d.startswith(".")]
        for file in files:
            if not file.endswith(".py"):
                continue
            path = (Path(folder) / file).relative_to(ROOT)
            parts = list(path.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            if parts:
                modules[".".join(parts)] = path.as_posix()
    return modules


def imports_of(module: str, path: str) -> list[Import]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                Import(path, node.lineno, alias.name, f"import {alias.name}")
                for alias in node.names
            ]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, *([node.module] if node.module else [])])
            # `from package import name` names the submodule when there is one.
            found += [
                Import(path, node.lineno, f"{base}.{alias.name}", ast.unparse(node))
                for alias in node.names
            ]
    return found


def resolve(name: str, modules: dict[str, str]) -> str | None:
    """The project module an imported name lives in (the longest module prefix), if any."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> tuple[dict[str, set[str]], list[Import]]:
    modules = project_files()
    graph, every_import = {}, []
    for module, path in modules.items():
        found = imports_of(module, path)
        every_import += found
        targets = {resolve(i.name, modules) for i in found} - {None, module}
        graph[path] = {modules[t] for t in targets}
    return graph, every_import


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of files that import each other, directly or through a loop (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def one_cycle(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A loop through the group's first file, by the shortest way back (breadth first)."""
    start, members = group[0], set(group)
    came_from = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for other in sorted(graph[node] & members):
                if other == start:
                    path = [node]
                    while came_from[path[-1]] is not None:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if other not in came_from:
                    came_from[other] = node
                    following.append(other)
        frontier = following
    return group


def cycles_report(groups: list[list[str]], graph: dict[str, set[str]]) -> str:
    return "\n".join(
        f"  {len(group)} files import each other: {', '.join(group)}\n"
        f"    for example {' -> '.join(one_cycle(group, graph))}"
        for group in groups
    )


def catalog_leaks(every_import: list[Import]) -> list[Import]:
    return [
        i
        for i in every_import
        if i.path.startswith("catalog/") and i.name.split(".")[0] in OTHER_APPS
    ]


def leaks_report(leaks: list[Import]) -> str:
    ordered = sorted(leaks, key=lambda i: (i.path, i.line))
    lines = dict.fromkeys(f"  {i.path}:{i.line}: {i.statement}" for i in ordered)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def imports():
    return import_graph()


def test_catalog_imports_nothing_from_profiles_recommender_or_curator(imports):
    _, every_import = imports
    leaks = catalog_leaks(every_import)
    assert not leaks, "catalog must stand alone, but:\n" + leaks_report(leaks)


def test_no_import_cycle(imports):
    graph, _ = imports
    groups = strongly_connected(graph)
    assert not groups, "import cycles:\n" + cycles_report(groups, graph)


def test_the_checks_see_function_level_imports_and_submodules(imports):
    graph, _ = imports
    # profiles.views.onboarding imports `from profiles.services import ...` (the package) and
    # conftest.py imports recommender.catalogue_facts inside a fixture.
    assert "profiles/services/__init__.py" in graph["profiles/views/onboarding.py"]
    assert "recommender/catalogue_facts.py" in graph["conftest.py"]
    assert "recommender/views/home.py" in graph["recommender/urls.py"]


def test_a_loop_is_found_and_reported_file_by_file():
    graph = {"a.py": {"b.py"}, "b.py": {"c.py"}, "c.py": {"a.py"}, "d.py": {"a.py"}}
    groups = strongly_connected(graph)
    assert groups == [["a.py", "b.py", "c.py"]]
    assert one_cycle(groups[0], graph) == ["a.py", "b.py", "c.py", "a.py"]
    assert "a.py -> b.py -> c.py -> a.py" in cycles_report(groups, graph)
