"""`npx wrangler dev` (workerd from npm, offline) serves the built site with _headers."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRANGLER = ROOT / "node_modules" / ".bin" / "wrangler"
pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def wrangler_site(tmp_path_factory):
    if not WRANGLER.exists():
        pytest.fail("wrangler is missing: run `make setup`")
    project = tmp_path_factory.mktemp("wrangler")
    subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(project / "dist")],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    shutil.copy(ROOT / "wrangler.jsonc", project / "wrangler.jsonc")
    port = free_port()
    env = {**os.environ, "WRANGLER_SEND_METRICS": "false", "CI": "true", "NO_COLOR": "1"}
    log = (project / "wrangler.log").open("w")
    process = subprocess.Popen(
        [
            str(WRANGLER),
            "dev",
            "--ip",
            "127.0.0.1",
            "--port",
            str(port),
            "--inspector-port",
            str(free_port()),
            "--local",
        ],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "wrangler dev did not start:\n" + (project / "wrangler.log").read_text()
                    )
                time.sleep(0.5)
        yield base, project / "dist"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_pages_come_with_csp_and_no_cache(wrangler_site):
    base, _ = wrangler_site
    for path in ("/", "/de/", "/fr/", "/es/"):
        with urllib.request.urlopen(base + path, timeout=5) as response:
            body = response.read().decode()
            assert response.status == 200
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Cache-Control"] == "no-cache"
            assert f'lang="{path.strip("/") or "en"}"' in body


def test_runtime_and_hashed_assets_are_immutable(wrangler_site):
    base, dist = wrangler_site
    archive = next((dist / "assets").glob("app-*.zip")).name
    for path in (
        f"/assets/{archive}",
        next(
            "/" + p.relative_to(dist).as_posix()
            for p in (dist / "runtime").rglob("pyodide.asm.wasm")
        ),
    ):
        with urllib.request.urlopen(base + path, timeout=10) as response:
            response.read()
            # exactly this: Cloudflare would join a second rule's value with a comma
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_unknown_path_gets_the_404_page(wrangler_site):
    base, _ = wrangler_site
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(base + "/no/such/page", timeout=5)
    assert caught.value.code == 404
    assert "Page not found" in caught.value.read().decode()
