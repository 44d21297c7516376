"""Many pages against one simulator, through the page's own loop (app.core.live) with
python-socketio as the socket: restart the WebSocket server and watch them come back.

    .venv/bin/python -m bench.load_reconnect --clients 200 --down-seconds 5

Loopback only, bounded in clients and time. Prints how the reconnects spread and writes
bench/results/load_reconnect.json; tests/integration/test_load.py asserts on the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import time
from pathlib import Path

import aiohttp

from app.core.config import RuntimeConfig
from app.core.live import LiveStatus
from simulator.client import PythonSocketIOClient
from simulator.server import Simulator

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run_load(clients: int = 200, down_seconds: float = 5.0, deadline_s: float = 90.0):
    # Every page logs each failed try; 200 pages would drown the report.
    logging.getLogger("status.live").setLevel(logging.ERROR)
    sim = Simulator(api_port=0, ws_port=0, clusters=4, shards_per_cluster=4, seed=5)
    await sim.start()
    config = RuntimeConfig(
        api_url=f"http://127.0.0.1:{sim.api_port}",
        ws_url=f"http://127.0.0.1:{sim.ws_port}",
        poll_seconds=5,
    )
    session = aiohttp.ClientSession()

    async def fetch_token() -> str:
        async with session.get(config.token_url) as response:
            response.raise_for_status()
            return (await response.json())["token"]

    pages, tasks = [], []
    for _ in range(clients):
        live = LiveStatus(
            config,
            fetch_token=fetch_token,
            socket=PythonSocketIOClient(),
            on_change=lambda _snapshot: None,
        )
        pages.append(live)
        tasks.append(asyncio.create_task(live.run()))

    async def until(predicate, limit: float) -> float:
        started = time.monotonic()
        while not predicate():
            if time.monotonic() - started > limit:
                raise TimeoutError("load run did not converge")
            await asyncio.sleep(0.05)
        return time.monotonic() - started

    def all_live() -> bool:
        return all(p.connected and p.snapshot.source == "live" for p in pages)

    try:
        await until(all_live, deadline_s)
        max_sockets = len(sim.state.connected)
        await sim.ws_down()
        await until(lambda: not any(p.connected for p in pages), 10)
        await asyncio.sleep(down_seconds)
        up_at = time.time()
        connects_before = len(sim.state.connect_times)
        await sim.ws_up()
        recovery_s = await until(all_live, deadline_s)
        reconnects = [t - up_at for t in sim.state.connect_times[connects_before:]]
        middle_80 = percentile(reconnects, 0.9) - percentile(reconnects, 0.1)
        result = {
            "clients": clients,
            "down_seconds": down_seconds,
            "sockets_before_restart": max_sockets,
            "sockets_after": len(sim.state.connected),
            "reconnects": len(reconnects),
            "reconnect_p10_s": round(percentile(reconnects, 0.1), 2),
            "reconnect_median_s": round(statistics.median(reconnects), 2),
            "reconnect_p90_s": round(percentile(reconnects, 0.9), 2),
            "middle_80_percent_spread_s": round(middle_80, 2),
            "all_live_after_s": round(recovery_s, 2),
            "refused_during_restart": sim.state.refused,
            "histogram_per_second": _histogram(reconnects),
        }
    finally:
        for live in pages:
            live.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(p.socket.close() for p in pages), return_exceptions=True)
        await session.close()
        await sim.stop()
    return result


def _histogram(times: list[float]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in times:
        key = str(int(t))
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: int(kv[0])))


def report(result: dict) -> None:
    for key, value in result.items():
        if key != "histogram_per_second":
            print(f"{key:<30}{value}")
    print("reconnects per second after the server came back:")
    for second, count in result["histogram_per_second"].items():
        print(f"  {second:>3} s  {'#' * count} {count}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "load_reconnect.json").write_text(json.dumps(result, indent=2))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--down-seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    report(asyncio.run(run_load(args.clients, args.down_seconds)))


if __name__ == "__main__":
    main()
