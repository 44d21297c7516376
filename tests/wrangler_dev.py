"""`npx wrangler dev` (workerd from npm, offline) serving a built site, as Cloudflare would:
_headers applied, text and wasm compressed. Used by tests/integration/test_wrangler.py and
bench/page_speed.py.

    with wrangler_dev(project_dir) as base:   # project_dir/dist holds the build
        urllib.request.urlopen(base + "/")
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRANGLER = ROOT / "node_modules" / ".bin" / "wrangler"
START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def wrangler_dev(project: Path) -> Iterator[str]:
    """Serve ``project/dist`` on 127.0.0.1 until the block ends; yield the base URL.
    Raises RuntimeError (with wrangler's log) when it does not start."""
    if not WRANGLER.exists():
        raise RuntimeError("wrangler is missing: run `make setup`")
    shutil.copy(ROOT / "wrangler.jsonc", project / "wrangler.jsonc")
    port = free_port()
    env = {**os.environ, "WRANGLER_SEND_METRICS": "false", "CI": "true", "NO_COLOR": "1"}
    log_path = project / "wrangler.log"
    with log_path.open("w") as log:
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
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=2)
                    break
                except (urllib.error.URLError, ConnectionError):
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        raise RuntimeError(
                            "wrangler dev did not start:\n" + log_path.read_text()
                        ) from None
                    time.sleep(0.5)
            yield base
        finally:
            process.terminate()  # stopped by its PID
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
