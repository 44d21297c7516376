"""DOM helpers: parse our rendered HTML, and patch the page in place from it so focus,
hover and an open popover survive a refresh (the morph itself is static/patch.js).

    morph(existing_element, '<div class="x">new</div>')
"""

from __future__ import annotations

import js

try:  # Pyodide >= 0.28 gives JS null its own object instead of None
    from pyodide.ffi import jsnull
except ImportError:  # pragma: no cover - older runtimes
    jsnull = None


def element_or_none(value):
    """querySelector, closest and friends answer JS null: make that Python None."""
    return None if value is None or value is jsnull else value


def parse_html(html: str):
    """Parse one element's HTML (already escaped by Jinja2) into a detached element."""
    template = js.document.createElement("template")
    template.innerHTML = html.strip()
    return element_or_none(template.content.firstElementChild)


def morph(current, html: str) -> None:
    """Patch ``current`` in place to match ``html`` (static/patch.js: in JS, because a
    tree walk from Python pays a bridge crossing for every node and attribute)."""
    js.window.statusMorph(current, html)
