"""The live loop's schedule, on a simulated clock.

The socket here is an in-memory double of the StatusSocket interface (the real one is
exercised over loopback in tests/integration); sleeping advances the clock instead of
waiting, so each test covers minutes of page life in milliseconds, deterministically.
"""

import asyncio

from app.core.config import RuntimeConfig
from app.core.live import LiveStatus

GOOD = [
    {
        "id": 0,
        "status": "running",
        "shardList": [0],
        "createdAt": 1,
        "guilds": 1,
        "members": 1,
        "shards": [{"id": 0, "ping": 20, "status": 0}],
    }
]


class FakeSocket:
    def __init__(self, answer=GOOD):
        self.answer = answer
        self.handlers = {}
        self.emits: list[int] = []  # clock time of each request
        self.clock = None

    async def connect(self, url, auth):
        assert auth == {"token": "t0k"}

    async def emit_with_ack(self, event, timeout_s):
        assert event == "get-cluster-status"
        self.emits.append(self.clock.now)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def on(self, event, handler):
        self.handlers.setdefault(event, []).append(handler)

    def fire(self, event, data=None):
        for handler in self.handlers.get(event, []):
            handler(data)

    async def close(self):
        pass


class Clock:
    def __init__(self):
        self.now = 1_000_000

    def __call__(self):
        return self.now


def run_for(live: LiveStatus, clock: Clock, seconds: float, events=None):
    """Run the loop for ``seconds`` of simulated time; ``events`` maps a time offset (s)
    to a callable run once the clock passes it."""
    events = dict(sorted((events or {}).items()))
    start = clock.now
    sleeps: list[float] = []

    async def fake_sleep(delay):
        sleeps.append(delay)
        target = clock.now + int(delay * 1000)
        for offset in list(events):
            at = start + int(offset * 1000)
            if at <= target:
                clock.now = max(clock.now, at)
                events.pop(offset)(live)
                if live._wake.is_set():
                    live._wake.clear()
                    return
        clock.now = target
        if clock.now - start >= seconds * 1000:
            live.stop()

    live._sleep = fake_sleep

    async def token():
        return "t0k"

    live.fetch_token = token
    asyncio.run(live.run())
    return sleeps


def make(answer=GOOD, **config):
    clock = Clock()
    socket = FakeSocket(answer)
    socket.clock = clock
    snapshots = []
    live = LiveStatus(
        RuntimeConfig(**config),
        fetch_token=None,
        socket=socket,
        on_change=snapshots.append,
        now_ms=clock,
    )
    return live, socket, clock, snapshots


def test_one_request_per_interval_while_visible():
    live, socket, clock, _ = make()
    run_for(live, clock, 60)
    assert [t - socket.emits[0] for t in socket.emits] == [0, 15_000, 30_000, 45_000]
    assert live.snapshot.source == "live"


def test_error_answers_do_not_turn_into_a_request_storm():
    live, socket, clock, _ = make({"success": False, "error": "db down"})
    run_for(live, clock, 60)
    assert len(socket.emits) == 4
    assert live.snapshot.notice == "db down"


def test_timeouts_count_as_a_failure_and_wait_for_the_next_interval():
    live, socket, clock, _ = make(TimeoutError("no ack"))
    run_for(live, clock, 60)
    assert len(socket.emits) == 4


def test_hidden_tab_sends_nothing_and_catches_up_once_on_return():
    live, socket, clock, _ = make()
    hidden_for = 3 * 3600
    run_for(
        live,
        clock,
        hidden_for + 5,
        events={
            1: lambda lv: lv.set_visible(False),
            hidden_for: lambda lv: lv.set_visible(True),
        },
    )
    first, *rest = socket.emits
    assert len(rest) == 1  # one catch-up, no burst for the hours missed
    assert rest[0] - first == hidden_for * 1000


def test_hidden_is_shown_as_paused():
    live, _socket, clock, snapshots = make()
    run_for(live, clock, 5, events={1: lambda lv: lv.set_visible(False)})
    assert snapshots[-1].source == "paused"


def test_return_within_the_interval_does_not_ask_early():
    live, socket, clock, _ = make()
    run_for(
        live,
        clock,
        10,
        events={
            2: lambda lv: lv.set_visible(False),
            4: lambda lv: lv.set_visible(True),
        },
    )
    assert len(socket.emits) == 1


def test_disconnected_loop_idles_instead_of_spinning_and_reconnect_asks_at_once():
    live, socket, clock, snapshots = make()
    sleeps = run_for(
        live,
        clock,
        120,
        events={
            1: lambda lv: socket.fire("disconnect"),
            100: lambda lv: socket.fire("connect"),
        },
    )
    during_drop = sleeps[1:-3]
    assert during_drop and min(during_drop) >= 1  # no tight loop while the socket is down
    assert any(s.source == "reconnecting" for s in snapshots)
    assert socket.emits[1] - socket.emits[0] == 100_000  # asked on reconnect, not later
    assert live.snapshot.source == "live"


def test_a_push_updates_without_a_request():
    live, socket, clock, _ = make()
    pushed = [{"id": 4, "status": "stopped", "shardList": [], "createdAt": 1}]
    run_for(live, clock, 5, events={2: lambda lv: socket.fire("cluster-status", pushed)})
    assert len(socket.emits) == 1
    assert [c.id for c in live.snapshot.clusters] == [4]
