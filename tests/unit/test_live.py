"""The live loop's schedule, on a simulated clock.

The socket here is an in-memory double of the StatusSocket interface (the real one is
exercised over loopback in tests/integration); sleeping advances the clock instead of
waiting, so each test covers minutes of page life in milliseconds, deterministically.
"""

import asyncio

from app.core.config import RuntimeConfig
from app.core.live import LiveStatus, backoff_delay

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
        self.connect_times: list[int] = []
        self.tokens: list[str] = []
        self.down = False
        self.clock = None

    async def connect(self, url, auth):
        self.connect_times.append(self.clock.now)
        self.tokens.append(auth["token"])
        if self.down:
            raise ConnectionError("refused")

    def go_down(self):
        self.down = True
        self.fire("disconnect")

    def come_back(self):
        self.down = False

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

    issued = iter(range(10**6))

    async def token():
        return f"token-{next(issued)}"

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


def test_drop_reconnects_with_backoff_a_fresh_token_and_asks_at_once():
    live, socket, clock, snapshots = make()
    live.rng.seed(4)
    run_for(
        live,
        clock,
        200,
        events={
            1: lambda lv: socket.go_down(),
            100: lambda lv: socket.come_back(),
        },
    )
    attempts = [t - 1_001_000 for t in socket.connect_times[1:]]  # after the drop
    failed = [t for t in attempts if t < 99_000]
    assert 3 <= len(failed) <= 10  # backing off, not hammering (2 s base, 60 s cap)
    gaps = [b - a for a, b in zip(failed, failed[1:], strict=False)]
    assert max(gaps) > 8_000  # the windows grow
    assert len(set(socket.tokens)) == len(socket.tokens)  # a new token for every try
    reconnected_at = socket.connect_times[-1]
    assert reconnected_at - 1_100_000 <= 60_000  # within one capped window of recovery
    assert socket.emits[1] == reconnected_at  # asked at once on reconnect
    sources = [s.source for s in snapshots]
    assert "reconnecting" in sources and "sample" not in sources
    assert live.snapshot.source == "live"


def test_backoff_is_full_jitter_under_the_cap():
    import random

    rng = random.Random(1)
    delays = [backoff_delay(a, base_s=2, cap_s=60, rng=rng) for a in range(12) for _ in range(50)]
    assert all(0 <= d <= 60 for d in delays)
    first = [backoff_delay(0, base_s=2, cap_s=60, rng=rng) for _ in range(200)]
    assert max(first) <= 2 and min(first) < 0.2  # full jitter: from zero up to the window
    late = [backoff_delay(10, base_s=2, cap_s=60, rng=rng) for _ in range(200)]
    assert max(late) > 50  # capped at 60, not 2048


def test_a_push_updates_without_a_request():
    live, socket, clock, _ = make()
    pushed = [{"id": 4, "status": "stopped", "shardList": [], "createdAt": 1}]
    run_for(live, clock, 5, events={2: lambda lv: socket.fire("cluster-status", pushed)})
    assert len(socket.emits) == 1
    assert [c.id for c in live.snapshot.clusters] == [4]


def test_a_first_answer_that_is_an_error_is_not_left_connecting():
    live, _socket, clock, _ = make({"success": False, "error": "db down"})
    run_for(live, clock, 5)
    assert live.snapshot.source == "unreachable"
    assert live.snapshot.notice == "db down"
    assert live.snapshot.clusters is None


def test_sample_fallback_stays_labelled_through_every_retry():
    live, socket, clock, snapshots = make()
    socket.down = True
    run_for(live, clock, 300)
    assert len(socket.connect_times) > 3
    assert {s.source for s in snapshots[1:]} == {"sample"}


def test_without_fallback_the_page_says_unreachable_and_keeps_trying():
    live, socket, clock, snapshots = make(mock_fallback=False)
    socket.down = True
    run_for(live, clock, 300)
    assert len(socket.connect_times) > 3
    assert snapshots[-1].source == "unreachable" and snapshots[-1].clusters is None


def test_a_server_that_drops_every_socket_gets_backoff_not_a_storm():
    live, socket, clock, _ = make()
    live.rng.seed(2)

    async def drop_instead_of_answering(event, timeout_s):
        socket.emits.append(clock.now)
        socket.fire("disconnect")  # as when the browser cannot decode the ack
        raise ConnectionError("dropped")

    socket.emit_with_ack = drop_instead_of_answering
    run_for(live, clock, 120)
    assert 4 <= len(socket.connect_times) <= 12  # backing off: not one per few ms
    gaps = [b - a for a, b in zip(socket.connect_times, socket.connect_times[1:], strict=False)]
    assert max(gaps) > 10_000
