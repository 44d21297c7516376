"""StatusSocket over the JS ``socket.io-client`` (loaded as /runtime/socket.io-*.min.js).

Keeps the proxies it hands to JS alive and converts payloads to Python once, here.

    socket = BrowserSocket()
    await socket.connect("http://localhost:4000", {"token": token})
    payload = await socket.emit_with_ack("get-cluster-status", timeout_s=10)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import js
from pyodide.ffi import create_proxy, to_js


def _to_py(value: Any) -> Any:
    return value.to_py() if hasattr(value, "to_py") else value


class BrowserSocket:
    def __init__(self) -> None:
        self._socket = None
        self._handlers: dict[str, list[Callable[[Any], None]]] = {}
        self._proxies: list = []  # JS holds these; dropping them would free the callbacks

    def on(self, event: str, handler: Callable[[Any], None]) -> None:
        self._handlers.setdefault(event, []).append(handler)

    def _dispatch(self, event: str):
        def handle(*args):
            payload = _to_py(args[0]) if args else None
            for handler in self._handlers.get(event, []):
                handler(payload)

        proxy = create_proxy(handle)
        self._proxies.append(proxy)
        return proxy

    async def connect(self, url: str, auth: dict[str, str]) -> None:
        options = to_js(
            {"auth": auth, "transports": ["websocket"], "reconnection": True, "timeout": 10_000},
            dict_converter=js.Object.fromEntries,
        )
        socket = js.io(url, options)
        first = asyncio.get_running_loop().create_future()

        def settle(outcome):
            def callback(*args):
                if not first.done():
                    first.set_result((outcome, args[0] if args else None))

            proxy = create_proxy(callback)
            self._proxies.append(proxy)
            return proxy

        socket.once("connect", settle("connect"))
        socket.once("connect_error", settle("error"))
        outcome, detail = await first
        if outcome == "error":
            socket.close()  # no half-open socket left retrying behind our back
            message = getattr(detail, "message", None) or "connection refused"
            raise ConnectionError(str(message))
        self._socket = socket
        for event in self._handlers:
            socket.on(event, self._dispatch(event))

    async def emit_with_ack(self, event: str, timeout_s: float) -> Any:
        if self._socket is None:
            raise ConnectionError("not connected")
        try:
            result = await self._socket.timeout(int(timeout_s * 1000)).emitWithAck(event)
        except Exception as exc:  # JsException on timeout: one failure like any other
            raise TimeoutError(str(exc)) from exc
        return _to_py(result)

    async def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
