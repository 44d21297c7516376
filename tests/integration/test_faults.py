"""The simulator's fault switches, each applied and lifted over real sockets."""

import asyncio
import json
import time

import pytest
import socketio

from simulator.client import PythonSocketIOClient

from .conftest import api, http_json, token_fetcher, ws

pytestmark = pytest.mark.integration


async def put_faults(sim, body):
    return await http_json("PUT", api(sim) + "/control/faults", json.dumps(body))


async def test_token_endpoint_errors_and_recovers(simulator):
    for code in ("500", "401"):
        status, body = await put_faults(simulator, {"token": code})
        assert status == 200 and body["faults"] == {"token": code}
        status, _ = await http_json("GET", api(simulator) + "/token")
        assert status == int(code)
        await http_json("DELETE", api(simulator) + "/control/faults/token")
        status, body = await http_json("GET", api(simulator) + "/token")
        assert status == 200 and body["token"]


async def test_slow_token_endpoint(simulator):
    await put_faults(simulator, {"token": "slow", "token_delay_seconds": 0.5})
    started = time.monotonic()
    status, _ = await http_json("GET", api(simulator) + "/token")
    assert status == 200 and time.monotonic() - started >= 0.5


async def test_bad_fault_requests_get_a_clear_400(simulator):
    for body, words in [
        ({"token": "418"}, "token must be one of"),
        ({"meteor": "yes"}, "unknown fault"),
        ([1, 2], "JSON object"),
        ({"ack_delay_seconds": -1}, "from 0 to 3600"),
        ({"ack_delay_seconds": 1e308}, "from 0 to 3600"),
    ]:
        status, answer = await put_faults(simulator, body)
        assert status == 400 and words in answer["error"]


async def test_auth_refusal_then_acceptance(simulator):
    await put_faults(simulator, {"auth": "refuse"})
    token = await token_fetcher(api(simulator) + "/token")()
    client = PythonSocketIOClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(ws(simulator), {"token": token})
    await http_json("DELETE", api(simulator) + "/control/faults")
    await client.connect(ws(simulator), {"token": token})
    await client.close()


async def test_acks_delayed_and_dropped(simulator):
    token = await token_fetcher(api(simulator) + "/token")()
    client = PythonSocketIOClient()
    await client.connect(ws(simulator), {"token": token})
    try:
        await put_faults(simulator, {"ack": "delay", "ack_delay_seconds": 0.4})
        started = time.monotonic()
        assert isinstance(await client.emit_with_ack("get-cluster-status", 5), list)
        assert time.monotonic() - started >= 0.4
        await put_faults(simulator, {"ack": "drop"})
        with pytest.raises(socketio.exceptions.TimeoutError):
            await client.emit_with_ack("get-cluster-status", 0.5)
        await http_json("DELETE", api(simulator) + "/control/faults/ack")
        assert isinstance(await client.emit_with_ack("get-cluster-status", 5), list)
    finally:
        await client.close()


async def test_websocket_server_down_and_up_on_the_same_port(simulator):
    port = simulator.ws_port
    token = await token_fetcher(api(simulator) + "/token")()
    client = PythonSocketIOClient()
    client.client.reconnection = False
    await client.connect(ws(simulator), {"token": token})
    await put_faults(simulator, {"ws": "down"})
    for _ in range(100):
        if not client.client.connected:
            break
        await asyncio.sleep(0.02)
    assert not client.client.connected
    _, stats = await http_json("GET", api(simulator) + "/control/stats")
    assert stats["connected_sockets"] == 0
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)
    await http_json("DELETE", api(simulator) + "/control/faults/ws")
    assert simulator.ws_port == port
    fresh = PythonSocketIOClient()
    await fresh.connect(ws(simulator), {"token": token})
    _, stats = await http_json("GET", api(simulator) + "/control/stats")
    assert stats["connected_sockets"] == 1
    await fresh.close()
