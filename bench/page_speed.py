"""How fast the page gets to live data, beside the runtime's own floor, and what a refresh
costs at scale. Debian Chromium against the built site served by `npx wrangler dev`
(compressed as Cloudflare would) and the simulator, all on loopback.

    make bench            # or: .venv/bin/python -m bench.page_speed --runs 5

Start-up, per run, interleaved (the order flips every run):
  the page and the floor (/bench-floor/: the same Pyodide through the same PyScript with
  the same hints, running one line of Python), each cold (fresh profile) then warm (the
  same profile, reloaded). Our overhead = the page's time to live data minus the floor's
  time to Python, paired within a run.
Update cost, per run: one page, the simulated fleet resized to 16, 1,024 and 16,384 shards
  with pushes coming fast and every ping changing; per refresh, the time from the payload
  reaching Python to the patched page (convert + parse + render + DOM patch), measured in
  the page. Memory (JS heap after a GC, Pyodide's wasm heap, Python objects) after 10 and
  after 100 refreshes at 1,024 shards.

Prints medians with min/max and writes every figure to bench/results/page_speed.json.
Figures, not assertions: this machine is shared and noisy, so compare runs side by side.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, http, started_backend
from tests.wrangler_dev import wrangler_dev

RESULTS = Path(__file__).resolve().parent / "results"
BROWSER_ARGS = [*CHROMIUM_ARGS, "--enable-precise-memory-info", "--js-flags=--expose-gc"]
# shards -> (clusters, shards per cluster, seconds between pushes)
UPDATE_SIZES = {16: (4, 4, 0.25), 1_024: (64, 16, 0.25), 16_384: (1_024, 16, 1.0)}
UPDATES_PER_SIZE = 30
WARMUP_UPDATES = 3  # the first refreshes after a resize build the new cards: not a refresh
MEMORY_SIZE, MEMORY_EARLY, MEMORY_LATE = 1_024, 10, 100

START_FIGURES_JS = """() => {
  const mark = n => (performance.getEntriesByName(n)[0] || {}).startTime ?? null;
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  // Same-origin files only: the token and the socket are data, not the page's bytes.
  const files = performance.getEntriesByType('resource')
    .filter(r => r.name.startsWith(location.origin));
  const python = mark('status:python-start');
  return {
    fcp_ms: fcp ? fcp.startTime : null,
    python_ms: python,
    imported_ms: mark('status:imported'),
    page_ready_ms: mark('status:page-ready'),
    live_ms: mark('status:first-live') ?? python,
    requests: files.length + 1,
    transfer_bytes: files.reduce((a, r) => a + r.transferSize, nav.transferSize),
    decoded_bytes: files.reduce((a, r) => a + r.decodedBodySize, nav.decodedBodySize),
  };
}"""
READY_JS = {
    "page": "document.documentElement.dataset.source === 'live'",
    "floor": "performance.getEntriesByName('status:python-start').length > 0",
}


def _wait_ready(page, kind: str) -> None:
    page.wait_for_function(READY_JS[kind], timeout=180_000)
    page.wait_for_timeout(300)  # let late resource entries land


def measure_start(browser_type, url: str, kind: str) -> dict:
    """One cold visit (fresh profile) and one warm one (the same profile, reloaded)."""
    with tempfile.TemporaryDirectory() as profile:
        context = browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = context.new_page()
            page.goto(url)
            _wait_ready(page, kind)
            cold = page.evaluate(START_FIGURES_JS)
            page.reload()
            _wait_ready(page, kind)
            warm = page.evaluate(START_FIGURES_JS)
        finally:
            context.close()
    return {"cold": cold, "warm": warm}


def _updates(page) -> dict:
    return json.loads(page.evaluate("() => window.statusDebugUpdates()"))


def _wait_refreshes(page, count: int, timeout_s: float = 600) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        state = _updates(page)
        if state["refreshes"] >= count:
            return state
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {state['refreshes']} refreshes of {count} arrived")
        time.sleep(0.2)


def _memory(page) -> dict:
    page.evaluate("() => window.gc()")
    stats = json.loads(page.evaluate("() => window.statusDebugStats()"))
    return {
        "js_heap_bytes": page.evaluate("() => performance.memory.usedJSHeapSize"),
        "wasm_heap_bytes": stats.get("wasm_heap_bytes"),
        "python_objects": stats["python_objects"],
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_updates(browser, backend, url: str) -> dict:
    page = browser.new_page()
    figures: dict = {}
    try:
        page.goto(url)
        _wait_ready(page, "page")
        for shards, (clusters, per_cluster, push_s) in UPDATE_SIZES.items():
            http(
                "PUT",
                f"{backend.api}/control/simulation",
                {
                    "clusters": clusters,
                    "shards_per_cluster": per_cluster,
                    "seed": 5,
                    "push_seconds": push_s,
                },
            )
            start = _wait_refreshes(page, _updates(page)["refreshes"] + WARMUP_UPDATES)
            base = start["refreshes"]
            entry: dict = {}
            if shards == MEMORY_SIZE:
                _wait_refreshes(page, base + MEMORY_EARLY)
                entry["memory_early"] = _memory(page)
            state = _wait_refreshes(page, base + UPDATES_PER_SIZE)
            costs = state["update_ms"][-(state["refreshes"] - base) :]
            if shards == MEMORY_SIZE:
                _wait_refreshes(page, base + MEMORY_LATE)
                entry["memory_late"] = _memory(page)
            entry.update(
                p50_ms=statistics.median(costs),
                p95_ms=_percentile(costs, 0.95),
                refreshes=len(costs),
            )
            figures[shards] = entry
    finally:
        page.close()
        http(
            "PUT",
            f"{backend.api}/control/simulation",
            {"clusters": 4, "shards_per_cluster": 4, "push_seconds": 0},
        )
    return figures


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(starts: list[dict], updates: list[dict]) -> dict:
    summary: dict = {}
    for kind in ("page", "floor") if starts else ():
        for visit in ("cold", "warm"):
            for key in starts[0][kind][visit]:
                values = [r[kind][visit][key] for r in starts if r[kind][visit][key] is not None]
                if values:
                    summary[f"{kind}.{visit}.{key}"] = spread(values)
    for visit in ("cold", "warm") if starts else ():
        summary[f"overhead.{visit}_ms"] = spread(
            [r["page"][visit]["live_ms"] - r["floor"][visit]["python_ms"] for r in starts]
        )
        summary[f"overhead.{visit}_bytes"] = spread(
            [
                r["page"][visit]["transfer_bytes"] - r["floor"][visit]["transfer_bytes"]
                for r in starts
            ]
        )
    if starts:
        summary["warm_over_cold"] = spread(
            [r["page"]["warm"]["live_ms"] / r["page"]["cold"]["live_ms"] for r in starts]
        )
    if not updates:
        return summary
    for shards in UPDATE_SIZES:
        for key in ("p50_ms", "p95_ms"):
            summary[f"update.{shards}.{key}"] = spread([u[shards][key] for u in updates])
    for moment in ("memory_early", "memory_late"):
        for key in ("js_heap_bytes", "wasm_heap_bytes", "python_objects"):
            values = [u[MEMORY_SIZE][moment][key] for u in updates]
            if None not in values:
                summary[f"memory.{moment}.{key}"] = spread(values)
    for key in ("js_heap_bytes", "wasm_heap_bytes", "python_objects"):
        late = [u[MEMORY_SIZE]["memory_late"][key] for u in updates]
        early = [u[MEMORY_SIZE]["memory_early"][key] for u in updates]
        if None not in late + early:
            summary[f"memory.growth.{key}"] = spread(
                [a / b - 1 for a, b in zip(late, early, strict=True)]
            )
    return summary


def print_table(summary: dict) -> None:
    def row(label: str, key: str, unit: str = "ms", scale: float = 1.0) -> None:
        s = summary.get(key)
        if s is None:
            return
        fmt = {
            "ms": "{:.0f} ms",
            "s": "{:.2f} s",
            "KB": "{:.0f} KB",
            "%": "{:+.1%}",
            "x": "{:.2f}",
            "n": "{:.0f}",
            "ms1": "{:.1f} ms",
        }[unit]
        cells = [fmt.format(s[k] * scale) for k in ("median", "min", "max")]
        print(f"| {label} | {cells[0]} | {cells[1]} – {cells[2]} |")

    print("| figure | median | min – max |")
    print("|---|---|---|")
    for visit in ("cold", "warm"):
        row(f"{visit}: first contentful paint", f"page.{visit}.fcp_ms")
        row(f"{visit}: floor, Python running", f"floor.{visit}.python_ms", "s", 1e-3)
        row(f"{visit}: page, Python running", f"page.{visit}.python_ms", "s", 1e-3)
        row(f"{visit}: page, imports done", f"page.{visit}.imported_ms", "s", 1e-3)
        row(
            f"{visit}: page, templates and catalogs ready", f"page.{visit}.page_ready_ms", "s", 1e-3
        )
        row(f"{visit}: page, live data", f"page.{visit}.live_ms", "s", 1e-3)
        row(f"{visit}: **our overhead** (live − floor)", f"overhead.{visit}_ms")
        row(f"{visit}: floor bytes (as sent)", f"floor.{visit}.transfer_bytes", "KB", 1e-3)
        row(f"{visit}: page bytes (as sent)", f"page.{visit}.transfer_bytes", "KB", 1e-3)
        row(f"{visit}: **our bytes** (page − floor)", f"overhead.{visit}_bytes", "KB", 1e-3)
        row(f"{visit}: floor requests", f"floor.{visit}.requests", "n")
        row(f"{visit}: page requests", f"page.{visit}.requests", "n")
    row("warm live ÷ cold live", "warm_over_cold", "x")
    for shards in UPDATE_SIZES:
        row(f"update at {shards:,} shards, p50", f"update.{shards}.p50_ms", "ms1")
        row(f"update at {shards:,} shards, p95", f"update.{shards}.p95_ms", "ms1")
    row(f"JS heap after {MEMORY_EARLY} refreshes", "memory.memory_early.js_heap_bytes", "KB", 1e-3)
    row(f"JS heap after {MEMORY_LATE}", "memory.memory_late.js_heap_bytes", "KB", 1e-3)
    row(f"wasm heap after {MEMORY_EARLY}", "memory.memory_early.wasm_heap_bytes", "KB", 1e-3)
    row(f"wasm heap after {MEMORY_LATE}", "memory.memory_late.wasm_heap_bytes", "KB", 1e-3)
    row(f"JS heap, {MEMORY_EARLY} → {MEMORY_LATE}", "memory.growth.js_heap_bytes", "%")
    row(f"wasm heap, {MEMORY_EARLY} → {MEMORY_LATE}", "memory.growth.wasm_heap_bytes", "%")
    row(f"Python objects, {MEMORY_EARLY} → {MEMORY_LATE}", "memory.growth.python_objects", "%")


def machine() -> dict:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "chromium": chromium.strip(),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-updates", action="store_true", help="start-up figures only")
    parser.add_argument("--skip-start", action="store_true", help="update figures only")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        backend = started_backend(
            project / "dist",
            "--bench-floor",
            "--poll-seconds",
            "1",
            simulator_args=("--tick-seconds", "0.2"),
        )
        starts, updates = [], []
        try:
            with wrangler_dev(project) as site, sync_playwright() as playwright:
                for run in range(0 if args.skip_start else args.runs):
                    order = ("floor", "page") if run % 2 == 0 else ("page", "floor")
                    urls = {"floor": site + "/bench-floor/", "page": site + "/"}
                    result = {k: measure_start(playwright.chromium, urls[k], k) for k in order}
                    starts.append(result)
                    print(
                        f"run {run + 1}: live {result['page']['cold']['live_ms']:.0f} ms, "
                        f"floor {result['floor']['cold']['python_ms']:.0f} ms",
                        flush=True,
                    )
                if not args.skip_updates:
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM, args=BROWSER_ARGS
                    )
                    try:
                        for run in range(args.runs):
                            updates.append(measure_updates(browser, backend, site + "/"))
                            print(
                                f"updates run {run + 1}: "
                                + ", ".join(
                                    f"{n}: p95 {u['p95_ms']:.1f} ms" for n, u in updates[-1].items()
                                ),
                                flush=True,
                            )
                    finally:
                        browser.close()
        finally:
            backend.stop()
    summary = summarize(starts, updates)
    print_table(summary)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "page_speed.json"
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "runs": args.runs,
                "summary": summary,
                "starts": starts,
                "updates": updates,
            },
            indent=2,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
