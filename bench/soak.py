"""Soak: the page in Chromium through minutes of fleet churn and faults.

    .venv/bin/python -m bench.soak --minutes 10

Cycles through faults (acks dropped, WebSocket server down/up, token errors during a
restart, error answers, hostile payloads, hidden tab) with normal churn in between, and
compares JS heap, Python object count, Pyodide's wasm heap and the server's socket count
at the start and the end (each after a GC, with the page live). Not in the default test
run; writes bench/results/soak.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, started_backend

RESULTS = Path(__file__).resolve().parent / "results"
HIDE = """v => {
    Object.defineProperty(document, 'visibilityState', {value: v, configurable: true});
    document.dispatchEvent(new Event('visibilitychange'));
}"""


def sample(page, backend) -> dict:
    page.evaluate("() => window.gc && window.gc()")
    stats = json.loads(page.evaluate("() => window.statusDebugStats()"))
    stats["js_heap_bytes"] = page.evaluate("() => performance.memory.usedJSHeapSize")
    stats["server_sockets"] = backend.stats()["connected_sockets"]
    stats["dom_nodes"] = page.evaluate("() => document.getElementsByTagName('*').length")
    return stats


def wait_live(page, timeout_s: float = 30) -> None:
    page.wait_for_function(
        "document.documentElement.dataset.source === 'live'", timeout=timeout_s * 1000
    )


def faults(backend, page):
    """Each step applies a fault, holds it, lifts it."""
    hostile = [{"id": "x<b>", "status": "running"}, "<script>1</script>", None]

    def hold(seconds):
        time.sleep(seconds)

    def ack_drop():
        backend.put_faults({"ack": "drop"})
        hold(8)
        backend.lift_faults()

    def ws_bounce():
        backend.put_faults({"ws": "down"})
        hold(6)
        backend.lift_faults()

    def token_500_restart():
        backend.put_faults({"token": "500", "ws": "down"})
        hold(2)
        backend.lift_faults("ws")
        hold(6)
        backend.lift_faults()

    def error_answer():
        backend.put_fleet({"success": False, "error": "soak <b>error</b>"})
        hold(6)
        backend.resume_fleet()

    def hostile_payload():
        backend.put_fleet(hostile)
        hold(6)
        backend.resume_fleet()

    def hidden_tab():
        page.evaluate(HIDE, "hidden")
        hold(8)
        page.evaluate(HIDE, "visible")

    return [ack_drop, ws_bounce, token_500_restart, error_answer, hostile_payload, hidden_tab]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        # The fault matrix's timings: 2 s poll, 1.5 s ack timeout, 0.5-2 s backoff.
        backend = started_backend(
            Path(scratch) / "dist",
            "--ack-timeout-seconds",
            "1.5",
            "--backoff-base-seconds",
            "0.5",
            "--backoff-cap-seconds",
            "2",
        )
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[*CHROMIUM_ARGS, "--enable-precise-memory-info", "--js-flags=--expose-gc"],
                )
                page = browser.new_page()
                page.goto(backend.site + "/")
                wait_live(page, 120)
                time.sleep(10)  # let the first refreshes settle before the baseline
                start = sample(page, backend)
                steps, cycles = faults(backend, page), 0
                deadline = time.monotonic() + args.minutes * 60
                max_sockets = start["server_sockets"]
                for step in itertools.cycle(steps):
                    if time.monotonic() > deadline:
                        break
                    step()
                    wait_live(page)
                    max_sockets = max(max_sockets, backend.stats()["connected_sockets"])
                    time.sleep(4)  # normal churn between faults
                    cycles += 1
                wait_live(page)
                time.sleep(5)
                end = sample(page, backend)
                browser.close()
        finally:
            backend.stop()
    print(f"soak: {args.minutes:g} min, {cycles} fault steps, max sockets {max_sockets}")
    print(f"{'figure':<20}{'start':>14}{'end':>14}{'change':>10}")
    for key in start:
        change = (end[key] - start[key]) / start[key] * 100 if start[key] else 0
        print(f"{key:<20}{start[key]:>14}{end[key]:>14}{change:>9.1f}%")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak.json").write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M"),
                "minutes": args.minutes,
                "steps": cycles,
                "max_sockets": max_sockets,
                "start": start,
                "end": end,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
