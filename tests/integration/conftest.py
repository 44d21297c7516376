"""A real simulator on loopback (free ports) per test, and a CPython token fetcher."""

from __future__ import annotations

import aiohttp
import pytest

from simulator.server import Simulator


@pytest.fixture
async def simulator():
    sim = Simulator(api_port=0, ws_port=0, clusters=3, shards_per_cluster=4, seed=7)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


def api(sim: Simulator) -> str:
    return f"http://127.0.0.1:{sim.api_port}"


def ws(sim: Simulator) -> str:
    return f"http://127.0.0.1:{sim.ws_port}"


async def http_json(method: str, url: str, body=None):
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, url, data=None if body is None else body) as response,
    ):
        return response.status, await response.json(content_type=None)


def token_fetcher(url: str):
    """The CPython twin of app.browser.token.fetch_token."""

    async def fetch() -> str:
        status, body = await http_json("GET", url)
        if status != 200:
            raise ConnectionError(f"token endpoint answered {status}")
        return body["token"]

    return fetch
