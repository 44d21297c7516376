"""Tell the live loop when the tab is hidden or shown (visibilitychange, focus)."""

from __future__ import annotations

from collections.abc import Callable

import js
from pyodide.ffi import create_proxy

_kept: list = []


def watch_visibility(on_change: Callable[[bool], None]) -> None:
    def report(*_args):
        on_change(js.document.visibilityState == "visible")

    proxy = create_proxy(report)
    _kept.append(proxy)
    js.document.addEventListener("visibilitychange", proxy)
    js.window.addEventListener("focus", proxy)
