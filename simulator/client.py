"""The app's StatusSocket interface over python-socketio's AsyncClient (CPython).

The browser uses app.browser.socket over socket.io-client; tests and load runs use this,
so both drive the same app.core.live loop.

    socket = PythonSocketIOClient()
    await socket.connect("http://127.0.0.1:4000", {"token": token})
    payload = await socket.emit_with_ack("get-cluster-status", timeout_s=10)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import socketio


class PythonSocketIOClient:
    def __init__(self) -> None:
        # The app's loop reconnects (backoff, fresh token); the client must not.
        self.client = socketio.AsyncClient(reconnection=False, logger=False)

    async def connect(self, url: str, auth: dict[str, str]) -> None:
        await self.client.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)

    async def emit_with_ack(self, event: str, timeout_s: float) -> Any:
        return await self.client.call(event, timeout=timeout_s)

    def on(self, event: str, handler: Callable[[Any], None]) -> None:
        self.client.on(event, handler)

    async def close(self) -> None:
        await self.client.disconnect()
