"""StatusSocket over the JS ``socket.io-client`` (loaded as /runtime/socket.io-*.min.js).

One JS socket per page, created on first connect and reused for every reconnect, with
its listeners attached once. It never reconnects by itself: app.core.live does, with
backoff and a fresh token. Proxies handed to JS are kept alive here; payloads are
converted to Python once, here.

    socket = BrowserSocket()
    await socket.connect("http://localhost:4000", {"token": token})
    payload = await socket.emit_with_ack("get-cluster-status", timeout_s=10)
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import js
from pyodide.ffi import create_proxy, to_js

CONNECT_TIMEOUT_MS = 10_000


def _to_py(value: Any) -> Any:
    """JS payload -> Python. One JSON string across the bridge and the C parser: several
    times faster than a deep ``to_py()`` for a big fleet. Socket.IO payloads are JSON
    anyway; what cannot round-trip (too deep for Python) becomes None, i.e. unreadable."""
    if not hasattr(value, "to_py"):
        return value
    try:
        return json.loads(js.JSON.stringify(value))
    except (ValueError, RecursionError):
        return None


def _js_options(options: dict) -> Any:
    return to_js(options, dict_converter=js.Object.fromEntries)


class BrowserSocket:
    def __init__(self) -> None:
        self._socket = None
        self._handlers: dict[str, list[Callable[[Any], None]]] = {}
        self._proxies: list = []  # JS holds these; dropping them would free the callbacks
        self._pending: asyncio.Future | None = None
        # performance.now() when the latest payload reached Python, before converting
        # it: main.py times each refresh (convert + parse + render + patch) from here.
        self.payload_arrived_at: float | None = None

    def on(self, event: str, handler: Callable[[Any], None]) -> None:
        self._handlers.setdefault(event, []).append(handler)

    def _proxy(self, callback):
        proxy = create_proxy(callback)
        self._proxies.append(proxy)
        return proxy

    def _dispatch(self, event: str, *args) -> None:
        if event != "disconnect":  # socket.io's own event carries a reason, not data
            self.payload_arrived_at = js.performance.now()
        payload = _to_py(args[0]) if args else None
        for handler in self._handlers.get(event, []):
            handler(payload)

    def _settle(self, outcome: str, *args) -> None:
        if self._pending is not None and not self._pending.done():
            self._pending.set_result((outcome, args[0] if args else None))

    def _create(self, url: str):
        socket = js.io(
            url,
            _js_options(
                {
                    "autoConnect": False,
                    "reconnection": False,
                    "transports": ["websocket"],  # long-polling would need more CSP
                    "timeout": CONNECT_TIMEOUT_MS,
                }
            ),
        )
        socket.on("connect", self._proxy(lambda *a: self._settle("connect", *a)))
        socket.on("connect_error", self._proxy(lambda *a: self._settle("error", *a)))
        for event in self._handlers:
            socket.on(event, self._proxy(lambda *a, e=event: self._dispatch(e, *a)))
        return socket

    async def connect(self, url: str, auth: dict[str, str]) -> None:
        if self._socket is None:
            self._socket = self._create(url)
        self._socket.auth = _js_options(auth)
        self._pending = asyncio.get_running_loop().create_future()
        self._socket.connect()
        outcome, detail = await self._pending
        if outcome == "error":
            self._socket.disconnect()  # stop this attempt; the loop decides when to retry
            message = getattr(detail, "message", None) or "connection refused"
            raise ConnectionError(str(message))

    async def emit_with_ack(self, event: str, timeout_s: float) -> Any:
        if self._socket is None or not self._socket.connected:
            raise ConnectionError("not connected")
        try:
            result = await self._socket.timeout(int(timeout_s * 1000)).emitWithAck(event)
        except Exception as exc:  # JsException on timeout: one failure like any other
            raise TimeoutError(str(exc)) from exc
        self.payload_arrived_at = js.performance.now()
        return _to_py(result)

    async def close(self) -> None:
        if self._socket is not None:
            self._socket.disconnect()
