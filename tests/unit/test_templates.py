"""The templates read only what the views declare: every ``a.b`` a template writes is a field of the frozen
dataclass ``a`` is (mypy checks the views build those fields; this checks the templates use them).

The templates are walked as Jinja2 parses them, from report.html.j2 through its includes, with each
variable typed by ``document.ReportView``: a loop's variable takes the type of the items it runs over,
and a macro's parameters the types of the arguments each call passes. A name the walk cannot type
(``loop``, ``number``, a string) is not checked; StrictUndefined catches those at render time.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any

import jinja2
from jinja2 import nodes

from pipeline.report.document import ReportView, environment

Scope = dict[str, Any]


def options(kind: Any) -> list[Any]:
    """The types a value may have: the members of a union, ``None`` left out."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return [k for k in typing.get_args(kind) if k is not type(None)]
    return [] if kind is None else [kind]


def item_type(kind: Any) -> Any:
    """What a loop over a value of ``kind`` gives (None when unknown)."""
    for option in options(kind):
        origin, args = typing.get_origin(option), typing.get_args(option)
        if origin in (tuple, list, Sequence) and args:
            return args[0]
    return None


class Walk:
    """Every ``variable.field`` of the templates, checked against the dataclass the variable holds."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.macros: dict[str, nodes.Macro] = {}
        for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
            self.macros.update({m.name: m for m in self.parse(name).find_all(nodes.Macro)})
        self.problems: list[str] = []
        self.read: set[tuple[str, str]] = set()  # (dataclass, field) the templates read
        self.names: set[str] = set()  # the variables the templates read
        self.walked: set[tuple[str, tuple[str, ...]]] = set()

    def parse(self, name: str) -> nodes.Template:
        source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        return self.env.parse(source, name)

    def template(self, name: str, scope: Scope) -> None:
        for node in self.parse(name).body:
            if not isinstance(node, nodes.Macro):  # a macro is walked where it is called, with its arguments' types
                self.visit(node, scope, name)

    def visit(self, node: nodes.Node, scope: Scope, where: str) -> None:
        if isinstance(node, nodes.Include) and isinstance(node.template, nodes.Const):
            self.template(node.template.value, scope)
        elif isinstance(node, nodes.For):
            self.visit(node.iter, scope, where)
            inner = {**scope, **self.bind(node.target, item_type(self.type_of(node.iter, scope, where)))}
            for child in node.body:
                self.visit(child, inner, where)
            for child in node.else_:
                self.visit(child, scope, where)
        elif isinstance(node, nodes.Getattr | nodes.Name):
            self.type_of(node, scope, where)
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in self.macros:
            for argument in node.args:
                self.visit(argument, scope, where)
            self.macro(self.macros[node.node.name], [self.type_of(a, scope, where) for a in node.args])
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope, where)

    def macro(self, macro: nodes.Macro, arguments: list[Any]) -> None:
        key = (macro.name, tuple(repr(a) for a in arguments))
        if key in self.walked:
            return
        self.walked.add(key)
        scope = {param.name: kind for param, kind in zip(macro.args, arguments, strict=False)}
        for child in macro.body:
            self.visit(child, scope, f"macro {macro.name}")

    def bind(self, target: nodes.Node, kind: Any) -> Scope:
        if isinstance(target, nodes.Name):
            return {target.name: kind}
        if isinstance(target, nodes.Tuple):
            parts = typing.get_args(kind) if typing.get_origin(kind) is tuple else ()
            return {
                t.name: parts[i] if i < len(parts) and parts[-1] is not Ellipsis else None
                for i, t in enumerate(target.items)
                if isinstance(t, nodes.Name)
            }
        return {}

    def type_of(self, node: nodes.Node, scope: Scope, where: str) -> Any:
        """The type of an expression (None when unknown), checking each field read on the way."""
        if isinstance(node, nodes.Name):
            self.names.add(node.name)
            return scope.get(node.name)
        if not isinstance(node, nodes.Getattr):
            for child in node.iter_child_nodes():
                self.visit(child, scope, where)
            return None
        kinds = [k for k in options(self.type_of(node.node, scope, where)) if dataclasses.is_dataclass(k)]
        if not kinds:
            return None
        found = [typing.get_type_hints(k)[node.attr] for k in kinds if node.attr in typing.get_type_hints(k)]
        if not found:
            names = " | ".join(k.__name__ for k in kinds)
            self.problems.append(f"{where}:{node.lineno}: {names} has no field {node.attr!r}")
            return None
        self.read.update((k.__name__, node.attr) for k in kinds if node.attr in typing.get_type_hints(k))
        return found[0] if len(found) == 1 else typing.Union[tuple(found)]  # noqa: UP007


def walk(env: jinja2.Environment) -> Walk:
    walker = Walk(env)
    walker.template("report.html.j2", typing.get_type_hints(ReportView))
    return walker


def declared(kind: Any) -> Iterator[tuple[str, str]]:
    """(dataclass, field) of every field of the views, through nested views and the items of tuples."""
    for option in options(kind):
        if item_type(option) is not None:
            yield from declared(item_type(option))
        if dataclasses.is_dataclass(option):
            for name, field_type in typing.get_type_hints(option).items():
                yield option.__name__, name
                yield from declared(field_type)


def test_the_templates_read_only_fields_the_views_declare() -> None:
    walker = walk(environment())
    assert walker.problems == []
    # the walk reaches into every view: the sections, their rows, the charts inside them
    assert {("HeadlineView", "summary"), ("TableRow", "label"), ("Chart", "alt"), ("Drawing", "phone")} <= walker.read
    assert {("ToxicTrioView", "levels"), ("Level", "families"), ("SourceRow", "kept")} <= walker.read


def test_a_field_no_view_declares_is_caught(tmp_path: Any) -> None:
    """The check itself: a template reading a field the view lacks, in a loop and in a macro, is reported."""
    loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader(
                {
                    "report.html.j2": "{% from 'macros.j2' import m %}{{ headline.count }}{{ headline.cuont }}"
                    "{% for r in legal.stages %}{{ r.lable }}{% endfor %}{{ m(trend.chart) }}",
                    "macros.j2": "{% macro m(c) %}{{ c.title }}{{ c.tilte }}{% endmacro %}",
                }
            ),
        ]
    )
    walker = walk(jinja2.Environment(loader=loader))
    assert walker.problems == [
        "report.html.j2:1: HeadlineView has no field 'cuont'",
        "report.html.j2:1: TableRow has no field 'lable'",
        "macro m:1: Chart has no field 'tilte'",
    ]


def test_every_field_a_view_declares_is_read_by_a_template() -> None:
    """A field no template reads is a figure computed for nothing (or a template that forgot it)."""
    walker = walk(environment())
    unread = {pair for pair in declared(ReportView) if pair[0] != "ReportView"} - walker.read
    assert sorted(unread) == []
    assert sorted({field.name for field in dataclasses.fields(ReportView)} - walker.names) == []
