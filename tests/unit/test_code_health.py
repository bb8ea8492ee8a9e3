"""No dead names: every function, class and constant a module of pipeline/ defines is used somewhere in
pipeline/ (a name only a test uses is a test's helper, and belongs with the tests). No module much
over the architecture's limit of about 400 lines (docs/architecture.md)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from pipeline.measures.definitions import TABLES

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"
LINES = 450  # "about 400": a module past this is split (cli.py was 560)


def defined(tree: ast.Module) -> list[str]:
    """The module-level names a module defines; a decorated function is used by its decorator (a command)."""
    names = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) or (isinstance(node, ast.FunctionDef) and not node.decorator_list):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [name for name in names if not name.startswith("__")]


def referenced(tree: ast.Module) -> Counter[str]:
    """Every name a module reads, as a name, an attribute or an import."""
    found: Counter[str] = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            found[node.id] += 1
        elif isinstance(node, ast.Attribute):
            found[node.attr] += 1
        elif isinstance(node, ast.alias):
            found[node.name.rpartition(".")[2]] += 1
    return found


def test_every_name_pipeline_defines_is_used() -> None:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PIPELINE.rglob("*.py"))}
    used = sum((referenced(tree) for tree in trees.values()), Counter[str]())
    # a measure's function is found by its name (definitions.TableSource.function) for docs/measures.md
    used.update(source.function(measure).__name__ for source in TABLES for measure in source.measures)
    dead = [f"{path.relative_to(PIPELINE)}: {name}" for path, tree in trees.items() for name in defined(tree)]
    assert [entry for entry in dead if entry.rpartition(": ")[2] not in used] == []


def test_a_dead_name_is_found() -> None:
    tree = ast.parse("ACTIONS = ('replaced',)\nUSED = 1\n\ndef f() -> int:\n    return USED\n")
    assert defined(tree) == ["ACTIONS", "USED", "f"]
    assert [name for name in defined(tree) if not referenced(tree)[name]] == ["ACTIONS", "f"]


def test_no_module_is_much_over_400_lines() -> None:
    sizes = {path.relative_to(PIPELINE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in sorted(PIPELINE.rglob("*.py"))}  # fmt: skip
    assert {name: size for name, size in sizes.items() if size > LINES} == {}
    assert "cli.py" not in sizes and sizes["cli/__init__.py"] < 100  # the command line is a package of its groups
