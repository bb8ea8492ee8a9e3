"""One source of measure ids: every table's ids are a class of ``pipeline.measures.ids`` registered in
``definitions.TABLES``; the public edition's rules (``suppression.Sel``) and the report's views name
figures by them alone; and ``report/`` mirrors ``measures/``, one view per table."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib
import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.measures import ids
from pipeline.measures.definitions import TABLES
from pipeline.measures.ids import MeasureId
from pipeline.measures.tables import build_tables
from pipeline.report import figures, suppression
from pipeline.report.suppression import Sel, cells, derivations, sums
from tests.builders import child, council, episode, load, write_extract
from tests.unit.test_definitions import tables_with_every_measure

REPORT = Path(suppression.__file__).parent
D = dt.date(2020, 10, 31)
REGISTERED = {(source.table, measure) for source in TABLES for measure in source.measures}


def id_classes() -> list[type[MeasureId]]:
    return [c for c in vars(ids).values() if isinstance(c, type) and issubclass(c, MeasureId) and c is not MeasureId]


def test_every_class_of_ids_is_a_table_registered_once() -> None:
    assert [source.ids for source in TABLES] == id_classes()  # report order, each once
    assert len({source.table for source in TABLES}) == len(TABLES)
    assert ids.ToxicTrio.table() == "toxic_trio" and ids.DataQuality.table() == "data_quality"
    for cls in id_classes():
        assert list(cls), f"{cls.__name__} has no measure ids"
        # the member is its id in capitals, so that a search for the id finds it
        assert [m.name for m in cls] == [m.value.upper() for m in cls], cls.__name__


def test_a_member_is_its_id_as_text() -> None:
    assert ids.Headline.CLA_COUNT == "cla_count" and f"{ids.Trend.STARTED}" == "started"
    assert ids.Headline.CLA_COUNT == ids.Trend.CLA_COUNT  # one id in two tables: the same text


def every_sel(as_at: dt.date) -> Iterator[Sel]:
    for rule in sums(as_at):
        yield from rule.parts
    for follows in derivations():
        yield from (follows.source, follows.target)


def test_every_sel_names_a_measure_of_its_table_and_selects_figures(tmp_path: Path) -> None:
    """A selector that selects nothing switches its disclosure rule off without a word: on a run that writes
    every measure, each selects at least one figure (so a misspelt group, column or table fails here)."""
    tables = tables_with_every_measure(tmp_path)
    found = cells(tables.frames)
    selectors = list(every_sel(tables.as_at))
    assert len(selectors) > 40
    for sel in selectors:
        assert (sel.table, sel.measure) in REGISTERED
        assert sel.select(found, tables.as_at).height > 0, f"selects nothing: {sel}"


def test_a_selector_that_selects_nothing_is_caught(tmp_path: Path) -> None:
    found = cells(tables_with_every_measure(tmp_path).frames)
    assert Sel(ids.Reconciliation.OWN_COUNT, group="cla_31_march").select(found, D).height == 1
    assert Sel(ids.Reconciliation.OWN_COUNT, group="cla_31_mar").select(found, D).height == 0


def measure_ids_named(path: Path) -> Iterator[tuple[str, str, int]]:
    """(class, member, line) of every ``Class.MEMBER`` a module writes, where Class is a class of ``ids``."""
    classes = {c.__name__ for c in id_classes()}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
            continue
        if node.value.id in classes and not node.attr.startswith("_") and node.attr != "table":
            yield node.value.id, node.attr, node.lineno


def test_every_measure_the_report_names_is_a_measure_of_tables() -> None:
    named = [(path, *found) for path in sorted(REPORT.glob("*.py")) for found in measure_ids_named(path)]
    assert len(named) > 80
    for path, cls, member, line in named:
        measure = getattr(ids, cls).__members__.get(member)
        assert measure is not None, f"{path.name}:{line}: {cls}.{member} is not a measure id"
        assert (measure.table(), measure) in REGISTERED


def test_the_report_reads_figures_only_by_measure_id() -> None:
    """``rows`` and ``row`` take a member (mypy holds the views to it); nothing in report/ filters a frame's
    ``measure`` column by hand, or takes a table's frame by its name."""
    assert typing.get_type_hints(figures.rows)["measure"] is MeasureId
    assert typing.get_type_hints(figures.row)["measure"] is MeasureId
    for path in sorted(REPORT.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert 'tables["' not in text and 'frames.get("' not in text, path.name
        if path.name not in ("figures.py", "suppression.py"):
            assert 'pl.col("measure")' not in text, path.name


def view_modules() -> dict[str, object]:
    return {source.table: importlib.import_module(f"pipeline.report.{source.table}") for source in TABLES}


@pytest.mark.parametrize("table", [source.table for source in TABLES])
def test_each_table_has_its_own_typed_view(table: str) -> None:
    """report/ mirrors measures/: report/<table>.py has ``<table>_view``, returning a frozen dataclass of
    its own (or ``Omitted`` when the table may be left out)."""
    module = view_modules()[table]
    view = getattr(module, f"{table}_view")
    returned = typing.get_type_hints(view)["return"]
    own = [t for t in typing.get_args(returned) or (returned,) if t is not figures.Omitted]
    assert len(own) == 1, f"{table}_view returns {returned}"
    assert dataclasses.is_dataclass(own[0]) and own[0].__dataclass_params__.frozen
    assert own[0].__module__ == module.__name__


def test_only_a_table_a_run_may_leave_out_has_a_view_that_may_be_left_out(tmp_path: Path) -> None:
    """A view asks whether its table is there only when a run can lack it (an optional extract, no
    [published]): for the tables every run writes, such a branch could never be taken."""
    extract = write_extract(tmp_path, [child("0001")], [episode("0001", "01/01/2019")])
    always = set(build_tables(load(extract), council(), D).frames)
    assert always == {"headline", "comparators", "trend", "flows", "discharges", "data_quality", "cohorts", "costs",
                      "trajectory"}  # fmt: skip
    for table, module in view_modules().items():
        returned = typing.get_type_hints(getattr(module, f"{table}_view"))["return"]
        may_be_left_out = figures.Omitted in typing.get_args(returned)
        own = next(t for t in typing.get_args(returned) or (returned,) if t is not figures.Omitted)
        fields = {field.name for field in dataclasses.fields(own)}
        assert may_be_left_out == (table not in always), table
        assert ("present" in fields) == may_be_left_out and "omitted" not in fields, table


def test_a_view_builds_no_other_tables_view() -> None:
    """One view per table: the toxic trio is not inside the ECHo view, nor the trajectory inside the trend's;
    only the document puts the views together."""
    for path in sorted(REPORT.glob("*.py")):
        if path.name == "document.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        called = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.endswith("_view")
        }
        assert called <= defined, f"{path.name} builds another table's view: {sorted(called - defined)}"
    assert not hasattr(view_modules()["data_quality"], "provenance_view")


def test_the_document_has_a_view_for_every_table() -> None:
    from pipeline.report.document import ReportView, view_model

    fields = {field.name for field in dataclasses.fields(ReportView)}
    assert {source.table for source in TABLES} <= fields
    source = inspect.getsource(view_model)
    assert all(f"{source_table}_view(report)" in source for source_table in (s.table for s in TABLES))
