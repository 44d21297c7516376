"""The live data loop: token, socket, refresh schedule, fallback. No browser in here.

Everything outside comes in through small interfaces, so CPython tests drive this with a
python-socketio client and the browser with a shim over socket.io-client:

    live = LiveStatus(config, fetch_token=..., socket=..., on_change=render)
    asyncio.ensure_future(live.run())
    live.set_visible(False)                 # from the visibilitychange adapter
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from shared_types import ClusterStatus, parse_status_payload

from .config import RuntimeConfig
from .sample import sample_fleet

log = logging.getLogger("status.live")

STATUS_REQUEST = "get-cluster-status"
STATUS_PUSH = "cluster-status"


class StatusSocket(Protocol):
    """The one door to the Socket.IO server."""

    async def connect(self, url: str, auth: dict[str, str]) -> None:
        """Connect; raise on failure. Called again after a drop, on the same object: the
        socket never reconnects by itself (the loop does, with backoff and a new token)."""

    async def emit_with_ack(self, event: str, timeout_s: float) -> Any:
        """Emit ``event`` and return the acknowledgement's payload; raise on timeout."""

    def on(self, event: str, handler: Callable[[Any], None]) -> None:
        """Events: "disconnect" and the server's pushes. Registered once."""

    async def close(self) -> None: ...


def backoff_delay(attempt: int, *, base_s: float, cap_s: float, rng=random) -> float:
    """Exponential backoff with full jitter: a server restart does not bring every open
    page back in the same second (uniform over [0, min(cap, base * 2**attempt)])."""
    return rng.uniform(0, min(cap_s, base_s * 2 ** min(attempt, 16)))


@dataclass
class Snapshot:
    """What the page shows right now; the renderer turns it into a PageView."""

    source: str = "connecting"
    clusters: list[ClusterStatus] | None = None
    updated_ms: int | None = None
    notice: str | None = None  # the server's error text ("" if it gave none)
    unreadable: bool = False  # the last answer was not a fleet at all
    ignored_entries: int = 0


def _wall_ms() -> int:
    return int(time.time() * 1000)


class LiveStatus:
    def __init__(
        self,
        config: RuntimeConfig,
        *,
        fetch_token: Callable[[], Awaitable[str]],
        socket: StatusSocket,
        on_change: Callable[[Snapshot], None],
        now_ms: Callable[[], int] = _wall_ms,
        rng: random.Random | None = None,
    ):
        self.config = config
        self.fetch_token = fetch_token
        self.socket = socket
        self.on_change = on_change
        self.now_ms = now_ms
        self.rng = rng or random.Random()
        self.snapshot = Snapshot()
        self.visible = True
        self.connected = False
        self._had_live_data = False
        self._in_flight = False
        self._refresh_now = False
        self._last_attempt_ms: int | None = None
        # Tries since the last answer on a socket: a server that accepts and then drops
        # every socket still gets backoff, not a reconnect storm.
        self._tries_without_answer = 0
        self._wake = asyncio.Event()
        self._stopped = False

    # -- inputs from the browser adapters ------------------------------------------------
    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        self._publish()
        self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    # -- the loop ------------------------------------------------------------------------
    async def run(self) -> None:
        # Listeners once, on the one socket this page ever has: reconnects reuse it.
        self.socket.on("disconnect", self._on_disconnect)
        self.socket.on(STATUS_PUSH, self._on_push)
        while not self._stopped:
            if not self.connected:
                if not self.visible and self._had_live_data:
                    # A hidden tab does not reconnect; it catches up when shown again.
                    self._publish()
                    await self._sleep(self.config.poll_seconds)
                    continue
                if self._tries_without_answer:
                    await self._sleep(self._reconnect_delay())
                    if self._stopped:
                        break
                self._tries_without_answer += 1
                if not await self._connect_once():
                    continue
            if self.visible and self._refresh_due():
                await self.refresh()
            self._publish()  # also lets staleness show when nothing new arrives
            await self._sleep(self._seconds_until_next_wake())

    def _reconnect_delay(self) -> float:
        return backoff_delay(
            self._tries_without_answer - 1,
            base_s=self.config.backoff_base_seconds,
            cap_s=self.config.backoff_cap_seconds,
            rng=self.rng,
        )

    async def _connect_once(self) -> bool:
        """A fresh token every attempt: tokens are short-lived, and one the server
        refused must not be offered again."""
        try:
            token = await asyncio.wait_for(
                self.fetch_token(), timeout=self.config.ack_timeout_seconds
            )
            await self.socket.connect(self.config.ws_url, {"token": token})
        except Exception as exc:  # any failure here means "not reachable"
            log.warning("status service unreachable: %s", exc)
            if self.snapshot.clusters is None and self.config.mock_fallback:
                self._show_sample()  # a starting fallback only: never once data was live
            else:
                if not self._had_live_data and self.snapshot.source != "sample":
                    self.snapshot.source = "unreachable"
                self._publish()
            return False
        self.connected = True
        if self._had_live_data:
            self._refresh_now = True  # back after a drop: ask at once
        return True

    def _show_sample(self) -> None:
        now = self.now_ms()
        self.snapshot = Snapshot(source="sample", clusters=sample_fleet(now), updated_ms=now)
        self._publish()

    def _refresh_due(self) -> bool:
        # Timed from the last *attempt*, not the last success: an error answer or a
        # timeout must not turn into a request every few milliseconds.
        if self._refresh_now or self._last_attempt_ms is None:
            return True
        return self.now_ms() - self._last_attempt_ms >= self.config.poll_interval_ms

    def _seconds_until_next_wake(self) -> float:
        if not (self.visible and self.connected) or self._last_attempt_ms is None:
            # Nothing to ask for now; wake once an interval to let staleness show.
            # Visibility and reconnect events wake the loop earlier.
            return self.config.poll_seconds
        since_attempt_ms = self.now_ms() - self._last_attempt_ms
        return max(0.05, (self.config.poll_interval_ms - since_attempt_ms) / 1000)

    async def _sleep(self, seconds: float) -> None:
        # Cleared after waking, not before sleeping: a wake-up that arrives while a
        # refresh is in flight is not lost.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    async def refresh(self) -> None:
        """One request in flight at most; a slow ack times out and counts as a failure."""
        if self._in_flight:
            return
        self._in_flight = True
        self._refresh_now = False
        self._last_attempt_ms = self.now_ms()
        try:
            payload = await self.socket.emit_with_ack(
                STATUS_REQUEST, self.config.ack_timeout_seconds
            )
        except Exception as exc:  # timeouts and transport errors alike
            log.warning("status request failed: %s", exc)
            return
        finally:
            self._in_flight = False
        self.apply_payload(payload)

    def apply_payload(self, payload: Any) -> None:
        self._tries_without_answer = 0  # the server answered: this connection works
        parsed = parse_status_payload(payload)
        for problem in parsed.problems:
            log.warning("status data: %s", problem)
        now = self.now_ms()
        if not parsed.has_fleet:
            # An error or an unreadable answer is not data: keep what we had (it turns
            # stale in time), say what we heard. Nothing known yet means unreachable.
            if parsed.error is not None:
                log.warning("status service error: %s", parsed.error or "(no text)")
            self.snapshot.notice = parsed.error
            self.snapshot.unreadable = parsed.unreadable
            if not self._had_live_data and self.snapshot.source != "sample":
                self.snapshot.source = "unreachable"
            self._publish()
            return
        self._had_live_data = True
        self.snapshot = Snapshot(
            source=self._live_source(),
            clusters=parsed.clusters,
            updated_ms=now,
            ignored_entries=len(parsed.problems),
        )
        self._publish()

    def _live_source(self) -> str:
        if not self.connected:
            return "reconnecting"
        return "live" if self.visible else "paused"

    def _publish(self) -> None:
        if self._had_live_data:
            self.snapshot.source = self._live_source()
        self.on_change(self.snapshot)

    # -- socket events -------------------------------------------------------------------
    def _on_disconnect(self, _data: Any = None) -> None:
        if not self.connected:
            return
        self.connected = False
        # Even after a healthy connection, wait a jittered moment before the first try:
        # a server restart must not bring every open page back in the same instant.
        self._tries_without_answer = max(self._tries_without_answer, 1)
        self._publish()
        self._wake.set()  # the loop reconnects, with backoff and a fresh token

    def _on_push(self, payload: Any) -> None:
        self.apply_payload(payload)
