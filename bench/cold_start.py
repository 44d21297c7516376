"""Cold start to live data, in Debian Chromium against the built site and the simulator.

    make bench            # or: .venv/bin/python -m bench.cold_start --runs 5

Each run uses a fresh browser profile (nothing cached). Prints medians with min/max and
writes every figure to bench/results/cold_start.json. Figures, not assertions: this
machine is shared and noisy, so compare runs made side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, started_backend

RESULTS = Path(__file__).resolve().parent / "results"

FIGURES_JS = """() => {
  const mark = n => (performance.getEntriesByName(n)[0] || {}).startTime ?? null;
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const res = performance.getEntriesByType('resource');
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    fcp_ms: fcp ? fcp.startTime : null,
    python_start_ms: mark('status:python-start'),
    imported_ms: mark('status:imported'),
    page_ready_ms: mark('status:page-ready'),
    first_live_ms: mark('status:first-live'),
    requests: res.length + 1,
    transfer_bytes: res.reduce((a, r) => a + r.transferSize, nav.transferSize),
  };
}"""


def measure(browser_type, url: str) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        context = browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(
            "document.documentElement.dataset.source === 'live'", timeout=120_000
        )
        figures = page.evaluate(FIGURES_JS)
        context.close()
    figures["ours_after_python_ms"] = figures["first_live_ms"] - figures["python_start_ms"]
    return figures


def summarize(runs: list[dict]) -> dict:
    keys = runs[0].keys()
    return {
        k: {
            "median": statistics.median(r[k] for r in runs),
            "min": min(r[k] for r in runs),
            "max": max(r[k] for r in runs),
        }
        for k in keys
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        backend = started_backend(Path(scratch) / "dist", "--poll-seconds", "15")
        try:
            with sync_playwright() as playwright:
                runs = [measure(playwright.chromium, backend.site + "/") for _ in range(args.runs)]
        finally:
            backend.stop()
    summary = summarize(runs)
    print(f"cold start, {args.runs} runs, fresh profile each (ms / bytes):")
    print(f"{'figure':<22}{'median':>12}{'min':>12}{'max':>12}")
    for key, row in summary.items():
        print(f"{key:<22}{row['median']:>12.0f}{row['min']:>12.0f}{row['max']:>12.0f}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "cold_start.json"
    out.write_text(
        json.dumps({"date": time.strftime("%Y-%m-%d"), "runs": runs, "summary": summary}, indent=2)
    )
    print(f"written: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
