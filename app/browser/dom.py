"""Patch the DOM in place from freshly rendered HTML, so focus, hover and an open
popover survive a refresh. A small morph: same tag and child count -> sync attributes
and text; anything else -> replace that subtree.

    morph(existing_element, parse_html('<div class="x">new</div>'))
"""

from __future__ import annotations

import js

try:  # Pyodide >= 0.28 gives JS null its own object instead of None
    from pyodide.ffi import jsnull
except ImportError:  # pragma: no cover - older runtimes
    jsnull = None

ELEMENT, TEXT = 1, 3


def element_or_none(value):
    """querySelector, closest and friends answer JS null: make that Python None."""
    return None if value is None or value is jsnull else value


def parse_html(html: str):
    """Parse one element's HTML (already escaped by Jinja2) into a detached element."""
    template = js.document.createElement("template")
    template.innerHTML = html.strip()
    return element_or_none(template.content.firstElementChild)


def _sync_attributes(current, desired) -> None:
    wanted = {}
    for attr in desired.attributes:
        wanted[attr.name] = attr.value
    for attr in list(current.attributes):
        if attr.name not in wanted:
            current.removeAttribute(attr.name)
    for name, value in wanted.items():
        if current.getAttribute(name) != value:
            current.setAttribute(name, value)


def morph(current, desired) -> None:
    if current.nodeName != desired.nodeName:
        current.replaceWith(desired)
        return
    _sync_attributes(current, desired)
    old_children = list(current.childNodes)
    new_children = list(desired.childNodes)
    if len(old_children) != len(new_children):
        current.replaceChildren(*new_children)
        return
    for old, new in zip(old_children, new_children, strict=True):
        if old.nodeType == TEXT and new.nodeType == TEXT:
            if old.nodeValue != new.nodeValue:
                old.nodeValue = new.nodeValue
        elif old.nodeType == ELEMENT and new.nodeType == ELEMENT:
            morph(old, new)
        else:
            old.replaceWith(new)
