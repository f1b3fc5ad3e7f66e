"""The package stands on its own: `logclf` imports nothing from the repository around it, and the
training code has no import cycle (function-local imports included, since they only hide one)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in the file (top level, functions, TYPE_CHECKING blocks)."""
    package = module_name(path).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return found


def python_files(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "dataset" not in p.parts)


def first_party_top_level() -> set[str]:
    """The repository's own top-level modules and packages (what the wheel must not depend on)."""
    names = {p.stem for p in ROOT.glob("*.py")} | {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    return names - {"logclf"}


def test_logclf_imports_nothing_outside_itself():
    outside = first_party_top_level()
    assert {"server", "classify", "processor_regex", "training", "bench", "tests"} <= outside  # the check sees them
    offenders = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("logclf")
        for name in imported_modules(path)
        if name.split(".")[0] in outside
    }
    assert not offenders, sorted(offenders)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` (module -> modules it imports), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def import_graph(folders: list[str]) -> dict[str, set[str]]:
    files = [p for folder in folders for p in python_files(folder)]
    modules = {module_name(p) for p in files}
    return {module_name(p): {m for m in imported_modules(p) if m in modules and m != module_name(p)} for p in files}


@pytest.mark.parametrize("folders", [["training", "logclf/training"], ["logclf"]], ids=["training", "logclf"])
def test_no_import_cycles(folders):
    graph = import_graph(folders)
    assert len(graph) > 5
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    source = "def f():\n    from logclf.training import train\n"
    tree_imports = {n.module for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
    assert tree_imports == {"logclf.training"}
