"""E2e fixtures: a build served over HTTP with its _headers, the simulator as a real
process, and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
POLL_SECONDS = 2
BOOT_TIMEOUT_MS = 60_000
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_build(out: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(out), *args],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def http(method: str, url: str, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read() or b"null")


class Backend:
    """The simulator process serving the build; stopped by its PID."""

    def __init__(self, dist: Path, simulator_args: tuple[str, ...] = ()):
        self.api_port, self.ws_port, self.http_port = free_port(), free_port(), free_port()
        self.dist = dist
        self.simulator_args = simulator_args
        self.process: subprocess.Popen | None = None

    @property
    def api(self) -> str:
        return f"http://localhost:{self.api_port}"

    @property
    def site(self) -> str:
        return f"http://localhost:{self.http_port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "simulator",
                "--serve",
                str(self.dist),
                "--http-port",
                str(self.http_port),
                "--api-port",
                str(self.api_port),
                "--ws-port",
                str(self.ws_port),
                "--clusters",
                "4",
                "--shards-per-cluster",
                "4",
                "--seed",
                "1",
                *self.simulator_args,
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                http("GET", f"http://127.0.0.1:{self.api_port}/control/stats")
                urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("simulator did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def put_fleet(self, body) -> None:
        http("PUT", f"{self.api}/control/fleet", body)

    def resume_fleet(self) -> None:
        http("DELETE", f"{self.api}/control/fleet")

    def put_faults(self, body) -> None:
        http("PUT", f"{self.api}/control/faults", body)

    def lift_faults(self, name: str | None = None) -> None:
        http("DELETE", f"{self.api}/control/faults" + (f"/{name}" if name else ""))

    def stats(self) -> dict:
        return http("GET", f"{self.api}/control/stats")


def started_backend(dist: Path, *build_args: str, simulator_args: tuple[str, ...] = ()) -> Backend:
    """Build a site into ``dist`` for a fresh simulator's ports and start the simulator
    serving it (2 s poll unless ``build_args`` say otherwise)."""
    backend = Backend(dist, simulator_args)
    run_build(
        dist,
        "--api-url",
        backend.api,
        "--ws-url",
        f"http://localhost:{backend.ws_port}",
        "--poll-seconds",
        str(POLL_SECONDS),
        *build_args,
    )
    backend.start()
    return backend


@pytest.fixture(scope="session")
def backend(tmp_path_factory):
    backend = started_backend(tmp_path_factory.mktemp("dist-live"))
    yield backend
    backend.stop()


@pytest.fixture
def fleet(backend):
    """Control of the simulated fleet; the simulation resumes after each test."""
    yield backend
    backend.resume_fleet()


@pytest.fixture(scope="session")
def unreachable_site(tmp_path_factory):
    """A build whose token endpoint and socket point at closed ports."""
    from simulator.static import start_static_server

    dist = tmp_path_factory.mktemp("dist-dead")
    dead = f"http://localhost:{free_port()}"
    run_build(dist, "--api-url", dead, "--ws-url", dead, "--poll-seconds", str(POLL_SECONDS))
    server = start_static_server(dist, port=0)
    yield f"http://localhost:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Every request and console error of one page, for the always-on assertions."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if not url.startswith("data:") and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture
def watched(browser):
    """A fresh page; after the test, no request left localhost and no console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = PageWatch(page)
    yield watch
    context.close()
    assert watch.foreign_requests() == []
    allowed = getattr(watch, "allowed_errors", ())
    unexpected = [e for e in watch.errors if not any(a in e for a in allowed)]
    assert unexpected == []


def wait_for_source(page, source: str, timeout_ms: int = BOOT_TIMEOUT_MS) -> None:
    page.wait_for_function(
        "s => document.documentElement.dataset.source === s", arg=source, timeout=timeout_ms
    )


@pytest.fixture(scope="session")
def plain_http_server(backend):
    """The README's preview: `python -m http.server -d dist`, no _headers applied."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            "-d",
            str(backend.dist),
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("http.server did not start") from None
            time.sleep(0.1)
    yield f"http://localhost:{port}"
    process.terminate()
    process.wait(timeout=10)


def fleet_of(*statuses, guilds=1_234, members=56_789):
    """A fixed fleet for PUT /control/fleet: two shards a cluster (one Ready with a ping,
    one Connecting awaiting its heartbeat), cluster i owning shards 2i and 2i+1."""
    clusters = []
    for cid, status in enumerate(statuses):
        entry = {
            "id": cid,
            "status": status,
            "shardList": [cid * 2, cid * 2 + 1],
            "createdAt": 1_700_000_000_000,
        }
        if status == "running":
            entry.update(
                guilds=guilds,
                members=members,
                shards=[
                    {"id": cid * 2, "ping": 40, "status": 0},
                    {"id": cid * 2 + 1, "ping": -1, "status": 1},
                ],
            )
        clusters.append(entry)
    return clusters
