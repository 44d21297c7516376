"""PyScript entry: wire the browser adapters to the core loop and start it."""

import asyncio
import gc
import json
from collections import deque

import js

js.performance.mark("status:python-start")  # bench/page_speed.py reads these marks

from app.browser.token import fetch_token
from app.core.config import RuntimeConfig

config = RuntimeConfig.from_mapping(
    json.loads(js.document.getElementById("status-config").textContent)
)
# The first token travels while the heavy imports below (Jinja2, the page) run: the
# await lets the fetch start before they block the loop. Later tries fetch afresh.
_early_token: asyncio.Task | None = asyncio.ensure_future(fetch_token(config.token_url))
await asyncio.sleep(0)  # noqa: F704 - PyScript runs this module with top-level await

from pyodide.ffi import create_proxy

from app.browser.console import log_to_console
from app.browser.page import StatusPage
from app.browser.socket import BrowserSocket
from app.browser.visibility import watch_visibility
from app.core.live import LiveStatus

js.performance.mark("status:imported")
log_to_console()


async def fetch_fresh_token() -> str:
    global _early_token
    if _early_token is not None:
        early, _early_token = _early_token, None
        return await early
    return await fetch_token(config.token_url)


page = StatusPage(config, locale=js.document.documentElement.lang)
js.performance.mark("status:page-ready")  # catalogs loaded, templates compiled
socket = BrowserSocket()
# Milliseconds from a payload's arrival to the patched page, per refresh (bench hook).
update_ms: deque[float] = deque(maxlen=256)
refreshes = 0


def show_and_time(snapshot) -> None:
    global refreshes
    page.show(snapshot)
    arrived, socket.payload_arrived_at = socket.payload_arrived_at, None
    if arrived is not None:  # this show follows a fresh payload (not a state change)
        update_ms.append(js.performance.now() - arrived)
        refreshes += 1


live = LiveStatus(
    config,
    fetch_token=fetch_fresh_token,
    socket=socket,
    on_change=show_and_time,
    now_ms=lambda: int(js.Date.now()),
)
watch_visibility(live.set_visible)
live.set_visible(js.document.visibilityState == "visible")
_running = asyncio.ensure_future(live.run())


async def _tick_every_second() -> None:
    while True:
        await asyncio.sleep(1)
        page.tick()


_ticking = asyncio.ensure_future(_tick_every_second())


def _debug_stats(*_args) -> str:
    """Test hook for bench/soak.py: what could leak, counted from inside Python."""
    gc.collect()
    stats = {"python_objects": len(gc.get_objects()), "page_proxies": len(page._proxies)}
    try:
        import pyodide_js  # the runtime's JS module: its wasm heap is Python's memory

        stats["wasm_heap_bytes"] = int(pyodide_js._module.HEAPU8.byteLength)
    except (ImportError, AttributeError):
        pass
    return json.dumps(stats)


def _debug_updates(*_args) -> str:
    """Test hook for bench/page_speed.py: refresh count and recent update costs (ms)."""
    return json.dumps({"refreshes": refreshes, "update_ms": list(update_ms)})


js.window.statusDebugStats = create_proxy(_debug_stats)
js.window.statusDebugUpdates = create_proxy(_debug_updates)
