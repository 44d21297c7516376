"""The simulator speaks the wire contract over real sockets."""

import json

import pytest
import socketio

from shared_types import parse_status_payload
from simulator.client import PythonSocketIOClient
from simulator.fleet import SimulatedFleet

from .conftest import api, http_json, token_fetcher, ws

pytestmark = pytest.mark.integration
NOW = 1_800_000_000_000


async def connected_client(sim):
    token = await token_fetcher(api(sim) + "/token")()
    client = PythonSocketIOClient()
    await client.connect(ws(sim), {"token": token})
    return client


async def test_ack_carries_a_valid_fleet(simulator):
    client = await connected_client(simulator)
    try:
        payload = await client.emit_with_ack("get-cluster-status", timeout_s=5)
    finally:
        await client.close()
    parsed = parse_status_payload(payload)
    assert parsed.problems == [] and parsed.error is None
    assert [c.id for c in parsed.clusters] == [0, 1, 2]
    assert sum(len(c.shard_list) for c in parsed.clusters) == 12


async def test_a_bad_token_is_refused(simulator):
    client = PythonSocketIOClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(ws(simulator), {"token": "forged"})


async def test_control_override_is_served_verbatim_until_deleted(simulator):
    client = await connected_client(simulator)
    try:
        body = {"success": False, "error": "<b>maintenance</b>"}
        status, _ = await http_json("PUT", api(simulator) + "/control/fleet", json.dumps(body))
        assert status == 200
        assert await client.emit_with_ack("get-cluster-status", timeout_s=5) == body
        await http_json("DELETE", api(simulator) + "/control/fleet")
        restored = await client.emit_with_ack("get-cluster-status", timeout_s=5)
        assert isinstance(restored, list) and len(restored) == 3
    finally:
        await client.close()


async def test_control_fleet_returns_the_current_fleet_and_stats_count_sockets(simulator):
    status, fleet = await http_json("GET", api(simulator) + "/control/fleet")
    assert status == 200 and parse_status_payload(fleet).problems == []
    client = await connected_client(simulator)
    try:
        _, stats = await http_json("GET", api(simulator) + "/control/stats")
        assert stats["connected_sockets"] == 1
    finally:
        await client.close()


def test_fleet_changes_like_a_real_bot():
    fleet = SimulatedFleet(
        clusters=4, shards_per_cluster=4, seed=3, now_ms=NOW, restart_chance=0.2, drop_chance=0.2
    )
    seen_cluster, seen_shard, seen_no_ping = set(), set(), False
    for tick in range(200):
        fleet.tick(NOW + tick * 1000)
        wire = fleet.to_wire()
        assert parse_status_payload(wire).problems == []
        for cluster in wire:
            seen_cluster.add(cluster["status"])
            for shard in cluster.get("shards", []):
                seen_shard.add(shard["status"])
                seen_no_ping |= shard["ping"] == -1
    assert seen_cluster == {"running", "starting"}
    assert {0, 2} <= seen_shard  # Ready and Reconnecting at least
    assert seen_no_ping


async def test_the_running_simulator_moves_its_fleet_and_pushes():
    import asyncio

    from simulator.server import Simulator

    sim = Simulator(api_port=0, ws_port=0, seed=2, tick_seconds=0.05, push_seconds=0.1)
    await sim.start()
    client = await connected_client(sim)
    pushes = []
    client.on("cluster-status", pushes.append)
    try:
        before = sim.state.fleet.to_wire()
        await asyncio.sleep(0.6)
        assert sim.state.fleet.to_wire() != before  # pings jitter at least
        assert pushes and parse_status_payload(pushes[-1]).problems == []
    finally:
        await client.close()
        await sim.stop()


async def test_control_simulation_resizes_the_fleet_and_sets_pushes(simulator):
    import asyncio

    client = await connected_client(simulator)
    pushes = []
    client.on("cluster-status", pushes.append)
    try:
        body = {"clusters": 8, "shards_per_cluster": 2, "seed": 3, "push_seconds": 0.1}
        status, answer = await http_json(
            "PUT", api(simulator) + "/control/simulation", json.dumps(body)
        )
        assert (status, answer) == (200, {"shards": 16})
        parsed = parse_status_payload(await client.emit_with_ack("get-cluster-status", 5))
        assert [len(c.shard_list) for c in parsed.clusters] == [2] * 8
        await asyncio.sleep(0.5)
        assert pushes and len(parse_status_payload(pushes[-1]).clusters) == 8
        for bad, message in (
            ({"clusters": 0}, "clusters must be an integer from 1 to 20000"),
            ({"shards_per_cluster": True}, "shards_per_cluster must be an integer"),
            ({"push_seconds": -1}, "push_seconds must be 0 (no pushes) or from 0.05"),
            ({"push_seconds": 1e-300}, "push_seconds must be 0 (no pushes) or from 0.05"),
            ({"clusters": 20_000, "shards_per_cluster": 1_000}, "at most 100,000 shards"),
            ({"size": 3}, "unknown keys: size"),
            ([], "body must be a JSON object"),
        ):
            status, answer = await http_json(
                "PUT", api(simulator) + "/control/simulation", json.dumps(bad)
            )
            assert status == 400 and message in answer["error"]
        status, answer = await http_json("PUT", api(simulator) + "/control/simulation", "{")
        assert status == 400 and answer["error"].startswith("body is not JSON")
    finally:
        await client.close()
