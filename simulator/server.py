"""The simulator's two servers: the token API (+ control surface) and Socket.IO.

API port:  GET <token path>     -> {"token": "..."}  (short-lived)
           GET /control/fleet   -> the current ClusterStatus[]
           PUT /control/fleet   -> every later ack and push carries exactly this JSON body
           DELETE /control/fleet-> back to the simulation
           PUT /control/simulation {"clusters": n, "shards_per_cluster": n, "seed": n,
                                    "push_seconds": s} -> a fresh simulated fleet of that
                                    size (bench/page_speed.py's update-cost runs)
           GET /control/stats   -> {"connected_sockets": n, "acks": n, "tokens_issued": n, ...}
           GET|PUT|DELETE /control/faults  -> faults, each reversible (see FAULTS)
WS port:   Socket.IO v4; ``auth: {token}``; ``get-cluster-status`` with ack; pushes
           ``cluster-status`` every ``push_seconds`` when that is above zero.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import socketio
from aiohttp import web

from .fleet import SimulatedFleet

log = logging.getLogger("simulator")

TOKEN_TTL_S = 300
_NO_OVERRIDE = object()

# Fault name -> allowed values. PUT /control/faults {"token": "500"} turns one on,
# DELETE /control/faults/token (or DELETE /control/faults for all) lifts it.
FAULTS = {
    "token": ("500", "401", "slow"),  # token endpoint errors, or answers after token_delay
    "ack": ("delay", "drop"),  # acks late by ack_delay, or never
    "auth": ("refuse",),  # Socket.IO connections refused with an auth error
    "ws": ("down",),  # WebSocket server closed (port too); lifting reopens the same port
}
FAULT_DELAYS = {"token_delay_seconds": 15.0, "ack_delay_seconds": 15.0}


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class SimulatorState:
    fleet: SimulatedFleet
    override: Any = _NO_OVERRIDE
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (monotonic)
    connected: set[str] = field(default_factory=set)
    acks: int = 0
    tokens_issued: int = 0
    connects: int = 0
    refused: int = 0
    faults: dict[str, str] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=lambda: dict(FAULT_DELAYS))
    connect_times: list[float] = field(default_factory=list)  # unix s of each accepted connect
    push_seconds: float = 0.0  # > 0: push cluster-status to every socket this often

    def payload(self) -> Any:
        return self.fleet.to_wire() if self.override is _NO_OVERRIDE else self.override

    def issue_token(self) -> str:
        now = time.monotonic()
        self.tokens = {t: exp for t, exp in self.tokens.items() if exp > now}
        token = secrets.token_urlsafe(24)
        self.tokens[token] = now + TOKEN_TTL_S
        self.tokens_issued += 1
        return token

    def token_valid(self, token: Any) -> bool:
        return isinstance(token, str) and self.tokens.get(token, 0) > time.monotonic()


def _cors(response: web.StreamResponse) -> web.StreamResponse:
    # The page is served from another origin (and port) than the API.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def parse_faults(body: Any) -> tuple[dict[str, str], dict[str, float]]:
    """Validate a PUT /control/faults body; raise ValueError with a clear message."""
    if not isinstance(body, dict):
        raise ValueError('body must be a JSON object, e.g. {"token": "500"}')
    faults, delays = {}, {}
    for key, value in body.items():
        if key in FAULT_DELAYS:
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 <= value <= 3600  # also refuses NaN
            ):
                raise ValueError(f"{key} must be a number of seconds from 0 to 3600")
            delays[key] = float(value)
        elif key in FAULTS:
            if value not in FAULTS[key]:
                raise ValueError(f"{key} must be one of {', '.join(FAULTS[key])}")
            faults[key] = value
        else:
            raise ValueError(f"unknown fault {key!r}; known: {', '.join([*FAULTS, *FAULT_DELAYS])}")
    return faults, delays


SIMULATION_LIMITS = {"clusters": 20_000, "shards_per_cluster": 1_000}
MAX_SIMULATED_SHARDS = 100_000  # the bench's largest fleet is 16,384; 5M took 1 GB
MIN_PUSH_SECONDS = 0.05  # faster spins a core for nothing


def parse_simulation(body: Any) -> tuple[SimulatedFleet, float | None]:
    """Validate a PUT /control/simulation body into a fresh fleet (and push interval)."""
    if not isinstance(body, dict):
        raise ValueError(
            'body must be a JSON object, e.g. {"clusters": 64, "shards_per_cluster": 16}'
        )
    unknown = set(body) - {*SIMULATION_LIMITS, "seed", "push_seconds"}
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    sizes = {}
    for key, limit in SIMULATION_LIMITS.items():
        value = body.get(key, 4)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise ValueError(f"{key} must be an integer from 1 to {limit}")
        sizes[key] = value
    if sizes["clusters"] * sizes["shards_per_cluster"] > MAX_SIMULATED_SHARDS:
        raise ValueError(f"at most {MAX_SIMULATED_SHARDS:,} shards in all")
    seed = body.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError("seed must be an integer")
    push = body.get("push_seconds")
    if push is not None and (
        isinstance(push, bool)
        or not isinstance(push, int | float)
        or not (push == 0 or MIN_PUSH_SECONDS <= push <= 3600)
    ):
        raise ValueError(
            f"push_seconds must be 0 (no pushes) or from {MIN_PUSH_SECONDS} to 3600 seconds"
        )
    fleet = SimulatedFleet(**sizes, seed=seed, now_ms=_now_ms())
    return fleet, None if push is None else float(push)


def build_api_app(
    state: SimulatorState,
    token_path: str = "/token",
    on_faults_changed: Callable[[], Awaitable[None]] | None = None,
) -> web.Application:
    async def token(_request: web.Request) -> web.Response:
        mode = state.faults.get("token")
        if mode == "slow":
            await asyncio.sleep(state.delays["token_delay_seconds"])
        elif mode in ("500", "401"):
            return _cors(web.json_response({"error": "simulated fault"}, status=int(mode)))
        return _cors(web.json_response({"token": state.issue_token()}))

    async def faults_changed() -> web.Response:
        if on_faults_changed is not None:
            await on_faults_changed()
        return _cors(web.json_response({"faults": state.faults, **state.delays}))

    async def get_faults(_request: web.Request) -> web.Response:
        return _cors(web.json_response({"faults": state.faults, **state.delays}))

    async def put_faults(request: web.Request) -> web.Response:
        try:
            faults, delays = parse_faults(json.loads(await request.text()))
        except (json.JSONDecodeError, ValueError) as exc:
            return _cors(web.json_response({"error": str(exc)}, status=400))
        state.faults.update(faults)
        state.delays.update(delays)
        return await faults_changed()

    async def delete_faults(request: web.Request) -> web.Response:
        name = request.match_info.get("name")
        if name is None:
            state.faults.clear()
            state.delays = dict(FAULT_DELAYS)
        elif name in FAULTS:
            state.faults.pop(name, None)
        else:
            return _cors(web.json_response({"error": f"unknown fault {name!r}"}, status=404))
        return await faults_changed()

    async def get_fleet(_request: web.Request) -> web.Response:
        return _cors(web.json_response(state.fleet.to_wire()))

    async def put_fleet(request: web.Request) -> web.Response:
        try:
            state.override = json.loads(await request.text())
        except json.JSONDecodeError as exc:
            return _cors(web.json_response({"error": f"body is not JSON: {exc}"}, status=400))
        return _cors(web.json_response({"override": True}))

    async def delete_fleet(_request: web.Request) -> web.Response:
        state.override = _NO_OVERRIDE
        return _cors(web.json_response({"override": False}))

    async def put_simulation(request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.text())
        except json.JSONDecodeError as exc:
            return _cors(web.json_response({"error": f"body is not JSON: {exc}"}, status=400))
        try:
            fleet, push_seconds = parse_simulation(body)
        except ValueError as exc:
            return _cors(web.json_response({"error": str(exc)}, status=400))
        state.fleet, state.override = fleet, _NO_OVERRIDE
        if push_seconds is not None:
            state.push_seconds = push_seconds
        return _cors(web.json_response({"shards": sum(len(c.shards) for c in fleet.clusters)}))

    async def stats(_request: web.Request) -> web.Response:
        return _cors(
            web.json_response(
                {
                    "connected_sockets": len(state.connected),
                    "acks": state.acks,
                    "tokens_issued": state.tokens_issued,
                    "connects": state.connects,
                    "refused": state.refused,
                }
            )
        )

    # Big enough for a PUT of a 10,000-cluster fleet.
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_get(token_path, token)
    app.router.add_get("/control/fleet", get_fleet)
    app.router.add_put("/control/fleet", put_fleet)
    app.router.add_delete("/control/fleet", delete_fleet)
    app.router.add_get("/control/stats", stats)
    app.router.add_put("/control/simulation", put_simulation)
    app.router.add_get("/control/faults", get_faults)
    app.router.add_put("/control/faults", put_faults)
    app.router.add_delete("/control/faults", delete_faults)
    app.router.add_delete("/control/faults/{name}", delete_faults)
    return app


def build_socket_server(state: SimulatorState) -> socketio.AsyncServer:
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*", logger=False)

    @sio.event
    async def connect(sid, _environ, auth):
        token = auth.get("token") if isinstance(auth, dict) else None
        if state.faults.get("auth") == "refuse" or not state.token_valid(token):
            state.refused += 1
            raise socketio.exceptions.ConnectionRefusedError("invalid or expired token")
        state.connected.add(sid)
        state.connects += 1
        state.connect_times.append(time.time())

    @sio.event
    async def disconnect(sid, *_args):
        state.connected.discard(sid)

    @sio.on("get-cluster-status")
    async def get_cluster_status(_sid, *_args):
        mode = state.faults.get("ack")
        if mode == "drop":
            await asyncio.sleep(3600)  # never in time; cancelled when the server stops
        elif mode == "delay":
            await asyncio.sleep(state.delays["ack_delay_seconds"])
        state.acks += 1
        return state.payload()

    return sio


class Simulator:
    """Both servers plus the fleet's clock, on loopback by default."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        api_port: int = 3000,
        ws_port: int = 4000,
        clusters: int = 4,
        shards_per_cluster: int = 4,
        seed: int | None = None,
        token_path: str = "/token",
        tick_seconds: float = 1.0,
        push_seconds: float = 0.0,
    ):
        self.host, self.api_port, self.ws_port = host, api_port, ws_port
        self.tick_seconds = tick_seconds
        self.state = SimulatorState(
            fleet=SimulatedFleet(
                clusters=clusters,
                shards_per_cluster=shards_per_cluster,
                seed=seed,
                now_ms=_now_ms(),
            ),
            push_seconds=push_seconds,
        )
        self.api_app = build_api_app(self.state, token_path, self._apply_faults)
        self.sio = build_socket_server(self.state)
        self.ws_app = web.Application()
        self.sio.attach(self.ws_app)
        self._runners: list[web.AppRunner] = []
        self._ws_site: web.TCPSite | None = None
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        for app, port in ((self.api_app, self.api_port), (self.ws_app, self.ws_port)):
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, self.host, port)
            await site.start()
            self._runners.append(runner)
        self._ws_site = site
        # Port 0 asks the OS for a free port: read back what we got.
        self.api_port = self._runners[0].addresses[0][1]
        self.ws_port = self._runners[1].addresses[0][1]
        self._tasks.append(asyncio.create_task(self._clock()))
        self._tasks.append(asyncio.create_task(self._pusher()))

    async def _apply_faults(self) -> None:
        down = self.state.faults.get("ws") == "down"
        if down and self._ws_site is not None:
            await self.ws_down()
        elif not down and self._ws_site is None:
            await self.ws_up()

    async def ws_down(self) -> None:
        """Close the WebSocket server as a crash would: every client dropped, port closed."""
        for sid in list(self.state.connected):
            await self.sio.disconnect(sid)
        if self._ws_site is not None:
            await self._ws_site.stop()
            self._ws_site = None

    async def ws_up(self) -> None:
        """Reopen on the same port, like a restarted backend."""
        site = web.TCPSite(self._runners[1], self.host, self.ws_port)
        await site.start()
        self._ws_site = site

    async def _clock(self) -> None:
        while True:
            await asyncio.sleep(self.tick_seconds)
            self.state.fleet.tick(_now_ms())

    async def _pusher(self) -> None:
        while True:
            interval = self.state.push_seconds  # read each time: PUT /control/simulation sets it
            await asyncio.sleep(interval if interval > 0 else 0.2)
            if interval > 0 and self.state.push_seconds > 0:
                await self.sio.emit("cluster-status", self.state.payload())

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()
