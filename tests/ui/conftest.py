"""Helpers for headless widget tests: read what a page shows without a browser."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as widgets
import pytest

from toolkit.domain.codes import Flag

TAG = re.compile(r"<[^>]+>")
HREF = re.compile(r'href="([^"]*)"')


def walk(widget: Any) -> Iterator[Any]:
    """The widget and all its descendants, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def widget_states(root: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """The synced state of every widget the page references: everything its browser could read."""
    instances = widgets.widget._instances
    todo, seen = [root.model_id], set()
    while todo:
        model_id = todo.pop()
        if model_id in seen:
            continue
        seen.add(model_id)
        state = instances[model_id].get_state()
        todo += re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(state, ensure_ascii=False, default=str))
        yield model_id, state


def widget_texts(root: Any) -> Iterator[str]:
    """:func:`widget_states` as JSON text, one widget each."""
    for _model_id, state in widget_states(root):
        yield json.dumps(state, ensure_ascii=False, default=str)


def fill(form: Any, truth: Any) -> None:
    """Enter ``truth`` into the form the way a learner would."""
    flags = set(truth.flags)
    signature = next(f for f in (Flag.REAL_NAME, Flag.ANONYMOUS, Flag.IMPERSONATION) if f in flags)
    form.signature.value = signature.value
    form.reporter_name.value = truth.reporter.name or ""
    form.reporter_phone.value = truth.reporter.phone or ""
    form.no_accused.value = not truth.accused
    if truth.accused:
        a = truth.accused[0]
        form.accused_name.value, form.accused_post.value = a.name, a.post
        form.accused_unit.value, form.accused_level.value = a.unit, a.level.value
    form.category.value = truth.category.value
    form.problem_type.value = truth.problem_type
    form.repeat.value = Flag.REPEAT in flags
    form.repeat_of.value = truth.repeat_of or ""
    form.no_substance.value = Flag.NO_SUBSTANCE in flags
    form.route_action.value = truth.route.action.value
    form.route_unit.value = truth.route.unit
    form.copy_to.value = truth.route.copy_to or ""
    form.disposal.value = truth.disposal.value if truth.disposal else ""
    due = truth.due_dict()
    for code, box in form.due_applies.items():
        box.value = code in due
        form.due_dates[code].value = due.get(code)


def talk(panel: Any, conv: Any, *, model: bool = True) -> list[str]:
    """Click a reply at every turn of a conversation panel (the model reply, or the first faulty one)."""
    clicked = []
    for turn in conv.turns:
        wanted = turn.model if model else next(o for o in turn.options if o.fault is not None)
        button = next(b for b in panel._options.children if b.description.startswith(wanted.id.upper() + "."))
        button.click()
        clicked.append(wanted.id)
    assert panel.finished
    return clicked


def shown(widget: Any) -> bool:
    display = getattr(getattr(widget, "layout", None), "display", None)
    return display != "none"


def page_html(widget: Any) -> str:
    """The HTML of every visible HTML/Label widget (stylesheets left out), one per line."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        if not shown(node):
            return
        value = getattr(node, "value", None)
        if isinstance(value, str) and not value.startswith("<style"):
            parts.append(value)
        description = getattr(node, "description", None)
        if isinstance(description, str) and description:
            parts.append(html.escape(description))
        for child in getattr(node, "children", ()):
            visit(child)

    visit(widget)
    return "\n".join(parts)


def page_text(widget: Any) -> str:
    """The visible text of a widget tree: tags stripped, entities decoded."""
    return html.unescape(TAG.sub(" ", page_html(widget)))


def page_links(widget: Any) -> list[str]:
    """Every href in the widget tree, decoded."""
    return [html.unescape(href) for href in HREF.findall(page_html(widget))]


@pytest.fixture
def text_of() -> Callable[[Any], str]:
    return page_text


@pytest.fixture
def html_of() -> Callable[[Any], str]:
    return page_html


@pytest.fixture
def links_of() -> Callable[[Any], list[str]]:
    return page_links
