"""PyScript entry: wire the browser adapters to the core loop and start it."""

import asyncio
import gc
import json

import js

js.performance.mark("status:python-start")  # bench/cold_start.py reads these marks

from pyodide.ffi import create_proxy

from app.browser.console import log_to_console
from app.browser.page import StatusPage
from app.browser.socket import BrowserSocket
from app.browser.token import fetch_token
from app.browser.visibility import watch_visibility
from app.core.config import RuntimeConfig
from app.core.live import LiveStatus

js.performance.mark("status:imported")
log_to_console()
config = RuntimeConfig.from_mapping(
    json.loads(js.document.getElementById("status-config").textContent)
)
page = StatusPage(config, locale=js.document.documentElement.lang)
js.performance.mark("status:page-ready")  # catalogs loaded, templates compiled
live = LiveStatus(
    config,
    fetch_token=lambda: fetch_token(config.token_url),
    socket=BrowserSocket(),
    on_change=page.show,
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


js.window.statusDebugStats = create_proxy(_debug_stats)
