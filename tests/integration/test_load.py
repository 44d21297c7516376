"""200 pages' worth of the app's own loop (CPython, python-socketio) against one
simulator: a WebSocket server restart must not bring them back in the same second, and
every one of them must come back, with exactly one socket each."""

import pytest

from bench.load_reconnect import report, run_load

pytestmark = pytest.mark.integration


async def test_reconnects_spread_out_and_every_page_returns():
    result = await run_load(clients=200, down_seconds=5)
    report(result)  # printed with -s, and written to bench/results/load_reconnect.json
    assert result["sockets_before_restart"] == 200
    assert result["reconnects"] == 200  # one reconnect per page: no extra sockets
    assert result["sockets_after"] == 200
    assert result["middle_80_percent_spread_s"] >= 5
