"""The fault matrix: each simulator fault applied and lifted while one page stays open.

During each fault the page must say what it knows (data-source, data-overall); after it,
the page must be live again without a reload, with one socket to the server throughout.
The build uses short timings (2 s poll, 5 s ack timeout, 0.5-2 s backoff) so that
"older than two intervals" arrives in seconds.
"""

import time

import pytest

from .conftest import BOOT_TIMEOUT_MS, PageWatch, fleet_of, started_backend

pytestmark = pytest.mark.e2e
FLEET = fleet_of("running", "running", "running", guilds=100, members=1000)
STALE_WITHIN_MS = 12_000  # two 2 s intervals and slack (the age itself is checked)
RECOVER_WITHIN_MS = 12_000  # backoff cap 2 s, token, connect, one ack, and slack


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    backend = started_backend(
        tmp_path_factory.mktemp("dist-faults"),
        "--ack-timeout-seconds",
        "5",
        "--backoff-base-seconds",
        "0.5",
        "--backoff-cap-seconds",
        "2",
    )
    backend.put_fleet(FLEET)
    yield backend
    backend.stop()


@pytest.fixture(scope="module")
def page(browser, faults):
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(faults.site + "/")
    page.wait_for_function(
        "document.documentElement.dataset.source === 'live'", timeout=BOOT_TIMEOUT_MS
    )
    page.max_sockets = 0
    yield page
    context.close()
    assert watch.foreign_requests() == []
    # Browser network errors are expected under faults; Python must never have crashed.
    crashes = [e for e in watch.errors if "Traceback" in e or e.startswith("pageerror")]
    assert crashes == []


def state(page):
    return page.evaluate("""() => ({
        source: document.documentElement.dataset.source,
        overall: document.querySelector('[data-overall]').dataset.overall,
        title: document.title,
        favicon: document.getElementById('favicon').dataset.state,
    })""")


def wait_until(page, faults, predicate, timeout_ms, what):
    """Poll the page (and the server's socket count) until ``predicate(state)``."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        now = state(page)
        sockets = faults.stats()["connected_sockets"]
        assert sockets <= 1, f"{sockets} sockets for one page while waiting for {what}"
        if predicate(now):
            return now
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: page stayed {now}")
        time.sleep(0.2)


def assert_stale(page, faults):
    now = wait_until(page, faults, lambda s: s["source"] == "stale", STALE_WITHIN_MS, "stale")
    # On time: within a tick (1 s) and a poll of the check (0.2 s) of two intervals,
    # even while the loop is stuck waiting for an ack or a backoff.
    age = page.evaluate("Date.now() - Number(document.documentElement.dataset.updated)")
    assert age <= 2 * 2_000 + 1_600, f"stale shown only at {age} ms"
    assert now["overall"] == "stale"  # never a healthy face on old data
    assert now["title"].startswith("Stale") and now["favicon"] == "stale"
    assert "No fresh data since" in page.inner_text("#banner")


def assert_recovers(page, faults):
    wait_until(
        page,
        faults,
        lambda s: s["source"] == "live" and s["overall"] == "operational",
        RECOVER_WITHIN_MS,
        "recovery to live",
    )
    assert faults.stats()["connected_sockets"] == 1
    assert page.locator("[data-cluster-id]").count() == 3


def test_starts_live_with_one_socket(page, faults):
    assert state(page)["overall"] == "operational"
    assert faults.stats()["connected_sockets"] == 1


@pytest.mark.parametrize("ack", [{"ack": "drop"}, {"ack": "delay", "ack_delay_seconds": 8}])
def test_acks_that_never_come_in_time(page, faults, ack):
    faults.put_faults(ack)
    assert_stale(page, faults)
    faults.lift_faults("ack")
    assert_recovers(page, faults)


def test_websocket_server_down_and_up(page, faults):
    faults.put_faults({"ws": "down"})
    wait_until(
        page, faults, lambda s: s["source"] in ("reconnecting", "stale"), 5_000, "reconnecting"
    )
    assert faults.stats()["connected_sockets"] == 0
    assert_stale(page, faults)
    faults.lift_faults("ws")
    assert_recovers(page, faults)


@pytest.mark.parametrize(
    "fault",
    [
        {"auth": "refuse"},
        {"token": "500"},
        {"token": "401"},
        {"token": "slow", "token_delay_seconds": 8},
    ],
    ids=["auth-refused", "token-500", "token-401", "token-slow"],
)
def test_reconnect_blocked_until_the_fault_lifts(page, faults, fault):
    """A server restart while the token service (or auth) is broken."""
    faults.put_faults({**fault, "ws": "down"})
    wait_until(page, faults, lambda s: s["source"] != "live", 5_000, "drop noticed")
    faults.lift_faults("ws")  # the socket server is back, but the fault stays
    tokens_before = faults.stats()["tokens_issued"]
    assert_stale(page, faults)
    assert faults.stats()["connected_sockets"] == 0
    if "auth" in fault:
        assert faults.stats()["tokens_issued"] > tokens_before  # a fresh token every try
    faults.lift_faults()
    assert_recovers(page, faults)


def test_error_answer_keeps_the_fleet_then_goes_stale(page, faults):
    faults.put_fleet({"success": False, "error": "<img src=x onerror=alert(1)> db down"})
    wait_until(page, faults, lambda s: s["source"] == "stale", STALE_WITHIN_MS, "stale")
    banner = page.inner_text("#banner")
    assert "<img src=x onerror=alert(1)> db down" in banner  # shown as text
    assert page.locator("#banner img").count() == 0
    assert page.locator("[data-cluster-id]").count() == 3  # the last fleet stays, marked stale
    faults.put_fleet(FLEET)
    assert_recovers(page, faults)
    page.wait_for_function(
        "!document.querySelector('#banner').innerText.includes('db down')", timeout=6_000
    )


def test_hostile_fleet_shows_its_valid_part(page, faults):
    hostile = [
        *FLEET,
        {"id": "9<b>", "status": "running"},
        "<script>x</script>",
        {**FLEET[0], "id": 7, "status": "<i>exploding</i>"},
    ]
    faults.put_fleet(hostile)
    page.wait_for_function("document.querySelector('.notice--ignored') !== null", timeout=6_000)
    assert "3 entries in the status data were malformed" in page.inner_text("#banner")
    assert page.locator("[data-cluster-id]").count() == 3
    assert page.locator("main b, main i, main script").count() == 0
    faults.put_fleet(FLEET)
    page.wait_for_function("document.querySelector('.notice--ignored') === null", timeout=6_000)
    assert_recovers(page, faults)


def test_ten_thousand_clusters_do_not_freeze_the_page(page, faults):
    huge = [
        {
            **FLEET[0],
            "id": i,
            "shardList": [i * 2, i * 2 + 1],
            "shards": [
                {"id": i * 2, "ping": 40, "status": 0},
                {"id": i * 2 + 1, "ping": 50, "status": 0},
            ],
        }
        for i in range(10_000)
    ]
    faults.put_fleet(huge)
    page.wait_for_function("document.querySelector('.notice--hidden') !== null", timeout=30_000)
    assert "of 10,000 clusters" in page.inner_text("#banner")
    assert page.locator("[data-cluster-id]").count() == 2048  # 4096 shards' worth of cards
    faults.put_fleet(FLEET)
    page.wait_for_function("document.querySelector('.notice--hidden') === null", timeout=30_000)
    assert_recovers(page, faults)


def test_hidden_tab_pauses_and_catches_up_once(page, faults):
    set_visibility = """v => {
        Object.defineProperty(document, 'visibilityState', {value: v, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }"""
    page.evaluate(set_visibility, "hidden")
    wait_until(page, faults, lambda s: s["source"] in ("paused", "stale"), 3_000, "paused")
    acks = faults.stats()["acks"]
    time.sleep(5)  # more than two intervals: a visible page would have asked twice
    assert faults.stats()["acks"] == acks
    page.evaluate(set_visibility, "visible")
    assert_recovers(page, faults)
    time.sleep(0.5)
    assert faults.stats()["acks"] == acks + 1  # one catch-up, no burst
