"""`npx wrangler dev` (workerd from npm, offline) serves the built site with _headers."""

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.wrangler_dev import wrangler_dev

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def wrangler_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("wrangler")
    subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(project / "dist")],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    try:
        with wrangler_dev(project) as base:
            yield base, project / "dist"
    except RuntimeError as exc:
        pytest.fail(str(exc))


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
