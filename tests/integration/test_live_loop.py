"""app.core.live driven over real sockets: the same loop the browser runs, with the
python-socketio client behind the same StatusSocket interface."""

import asyncio
import json
import socket

import pytest

from app.core.config import RuntimeConfig
from app.core.live import LiveStatus, Snapshot
from simulator.client import PythonSocketIOClient

from .conftest import api, http_json, token_fetcher, ws

pytestmark = pytest.mark.integration


async def eventually(predicate, timeout=5.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Harness:
    def __init__(self, api_url, ws_url, **config):
        self.config = RuntimeConfig(api_url=api_url, ws_url=ws_url, **config)
        self.socket = PythonSocketIOClient()
        self.snapshots: list[Snapshot] = []
        self.live = LiveStatus(
            self.config,
            fetch_token=token_fetcher(self.config.token_url),
            socket=self.socket,
            on_change=self.snapshots.append,
        )

    @property
    def latest(self) -> Snapshot:
        return self.live.snapshot

    async def __aenter__(self):
        self.task = asyncio.create_task(self.live.run())
        return self

    async def __aexit__(self, *_exc):
        self.live.stop()
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self.socket.close()


def harness(sim, **config):
    config = {"poll_seconds": 1, "ack_timeout_seconds": 2, **config}
    return Harness(api(sim), ws(sim), **config)


async def test_live_data_arrives_and_follows_a_changed_fleet(simulator):
    async with harness(simulator) as h:
        await eventually(lambda: h.latest.source == "live")
        assert [c.id for c in h.latest.clusters] == [0, 1, 2]
        fleet = [{"id": 9, "status": "stopped", "shardList": [0], "createdAt": 1}]
        await http_json("PUT", api(simulator) + "/control/fleet", json.dumps(fleet))
        # within one poll interval (1 s here) plus slack
        await eventually(lambda: [c.id for c in h.latest.clusters] == [9], timeout=2.5)
        assert h.latest.clusters[0].status == "stopped"


async def test_a_push_is_applied_without_waiting_for_the_poll(simulator):
    async with harness(simulator, poll_seconds=60) as h:
        await eventually(lambda: h.latest.source == "live")
        pushed = [{"id": 5, "status": "starting", "shardList": [1, 2], "createdAt": 10}]
        await simulator.sio.emit("cluster-status", pushed)
        await eventually(lambda: [c.id for c in h.latest.clusters] == [5], timeout=2)


async def test_no_requests_while_hidden_and_one_catch_up_on_return(simulator):
    async with harness(simulator) as h:
        await eventually(lambda: h.latest.source == "live")
        h.live.set_visible(False)
        assert h.latest.source == "paused"
        acks_when_hidden = simulator.state.acks
        await asyncio.sleep(2.5)  # more than two intervals
        assert simulator.state.acks == acks_when_hidden
        h.live.set_visible(True)
        await eventually(lambda: simulator.state.acks == acks_when_hidden + 1, timeout=1)
        assert h.latest.source == "live"


async def test_an_error_envelope_keeps_the_last_fleet_and_says_why(simulator):
    async with harness(simulator) as h:
        await eventually(lambda: h.latest.source == "live")
        body = {"success": False, "error": "shard manager restarting"}
        await http_json("PUT", api(simulator) + "/control/fleet", json.dumps(body))
        await eventually(lambda: h.latest.notice == "shard manager restarting", timeout=2.5)
        assert [c.id for c in h.latest.clusters] == [0, 1, 2]


async def test_malformed_entries_are_counted_and_the_rest_shown(simulator):
    async with harness(simulator) as h:
        await eventually(lambda: h.latest.source == "live")
        body = [
            {"id": 1, "status": "running"},
            {"id": 2, "status": "stopped", "shardList": [], "createdAt": 5},
        ]
        await http_json("PUT", api(simulator) + "/control/fleet", json.dumps(body))
        await eventually(lambda: h.latest.ignored_entries == 1, timeout=2.5)
        assert [c.id for c in h.latest.clusters] == [2]


async def test_unreachable_token_endpoint_shows_labelled_sample_data():
    dead = f"http://127.0.0.1:{free_port()}"
    h = Harness(dead, dead, poll_seconds=1)
    async with h:
        await eventually(lambda: h.latest.source == "sample")
        assert len(h.latest.clusters) == 4


async def test_without_fallback_an_unreachable_backend_is_said_so():
    dead = f"http://127.0.0.1:{free_port()}"
    h = Harness(dead, dead, poll_seconds=1, mock_fallback=False)
    async with h:
        await eventually(lambda: h.latest.source == "unreachable")
        assert h.latest.clusters is None
