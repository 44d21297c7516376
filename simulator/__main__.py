"""Run the simulated backend (and optionally serve dist/) until interrupted.

python -m simulator --api-port 3000 --ws-port 4000 --clusters 4 --shards-per-cluster 4 --seed 1
python -m simulator --serve dist --http-port 8000     # what `make serve` runs
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from pathlib import Path

from .server import Simulator
from .static import start_static_server


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="bind address (loopback by default)")
    parser.add_argument("--api-port", type=int, default=3000)
    parser.add_argument("--ws-port", type=int, default=4000)
    parser.add_argument("--clusters", type=int, default=4)
    parser.add_argument("--shards-per-cluster", type=int, default=4)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--token-path", default="/token")
    parser.add_argument(
        "--push-seconds",
        type=float,
        default=0.0,
        help="also push cluster-status every N seconds (0: never)",
    )
    parser.add_argument(
        "--tick-seconds",
        type=float,
        default=1.0,
        help="the simulated fleet changes this often (pings jitter every tick)",
    )
    parser.add_argument(
        "--serve",
        type=Path,
        default=None,
        metavar="DIST",
        help="also serve this built site, with its _headers applied",
    )
    parser.add_argument("--http-port", type=int, default=8000)
    return parser.parse_args(argv)


async def main(args: argparse.Namespace) -> None:
    simulator = Simulator(
        host=args.host,
        api_port=args.api_port,
        ws_port=args.ws_port,
        clusters=args.clusters,
        shards_per_cluster=args.shards_per_cluster,
        seed=args.seed,
        token_path=args.token_path,
        push_seconds=args.push_seconds,
        tick_seconds=args.tick_seconds,
    )
    await simulator.start()
    print(
        f"simulator: token API  http://{args.host}:{simulator.api_port}{args.token_path}",
        flush=True,
    )
    print(f"simulator: Socket.IO  http://{args.host}:{simulator.ws_port}", flush=True)
    if args.serve:
        server = start_static_server(args.serve, args.host, args.http_port)
        print(f"\n  Status page: http://localhost:{server.server_port}/\n", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await simulator.stop()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(parse_args()))
