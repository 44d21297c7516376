"""The page in real Chromium, against a build served over HTTP and the real simulator."""

import pytest

from .conftest import BOOT_TIMEOUT_MS, POLL_SECONDS, fleet_of, wait_for_source

pytestmark = pytest.mark.e2e
ONE_POLL_MS = (POLL_SECONDS + 1.5) * 1000  # one interval plus the ack's round trip


def wait_overall(page, overall, timeout=ONE_POLL_MS):
    page.wait_for_function(
        "o => document.querySelector('[data-overall]').dataset.overall === o",
        arg=overall,
        timeout=timeout,
    )


def test_live_simulator_data_appears(watched, backend):
    page = watched.page
    response = page.goto(backend.site + "/")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    # The prerendered shell paints before Python: checking state and skeletons.
    assert page.get_attribute("html", "data-source") == "connecting"
    assert page.locator(".cluster--skeleton").count() == 4
    wait_for_source(page, "live")
    assert page.locator("[data-cluster-id]").count() == 4
    # 4 shards a cluster; one restarting through `starting` sends no shard states.
    not_running = page.locator('[data-cluster-id]:not([data-cluster-status="running"])').count()
    assert page.locator("[data-shard-id]").count() == 16 - 4 * not_running
    assert page.locator(".cluster--skeleton").count() == 0
    updated = int(page.get_attribute("html", "data-updated"))
    assert abs(updated - page.evaluate("Date.now()")) < 10_000
    state = page.get_attribute("[data-shard-id]", "data-shard-state")
    assert state in {"Ready", "Connecting", "Reconnecting", "Identifying", "Resuming"}
    assert page.get_attribute("[data-overall]", "data-overall") in {"operational", "degraded"}


def test_changed_fleet_shows_within_one_poll_with_title_and_favicon(watched, fleet):
    page = watched.page
    page.goto(fleet.site + "/")
    wait_for_source(page, "live")
    for statuses, overall, title, announced in [
        (("stopped", "stopped"), "outage", "Outage", "Major outage"),
        (("running", "running"), "operational", "Operational", "All systems operational"),
        (("running", "starting", "stopped"), "degraded", "Degraded", "Partially degraded"),
    ]:
        fleet.put_fleet(fleet_of(*statuses))
        wait_overall(page, overall)
        assert page.title().startswith(title)
        assert page.text_content("#announcer") == announced  # polite live region
        assert page.get_attribute("#favicon", "data-state") == overall
        assert page.get_attribute("#favicon", "href").startswith("data:image/png")
        cards = page.locator("[data-cluster-id]")
        assert cards.count() == len(statuses)
        assert [
            cards.nth(i).get_attribute("data-cluster-status") for i in range(len(statuses))
        ] == list(statuses)


def test_pings_and_awaiting_heartbeat(watched, fleet):
    page = watched.page
    fleet.put_fleet(fleet_of("running"))
    page.goto(fleet.site + "/")
    wait_for_source(page, "live")
    waiting = page.locator('[data-shard-id="1"]')
    assert waiting.get_attribute("data-ping") == "-1"
    assert "awaiting heartbeat" in waiting.locator(".shard__tip").text_content()


def test_a_refresh_patches_shards_and_facts_in_place(watched, fleet):
    """Same card frame, new values: the very same elements get the new state, ping,
    tooltip and facts (static/patch.js), and a reshaped card is rendered anew."""
    page = watched.page
    fleet.put_fleet(fleet_of("running"))
    page.goto(fleet.site + "/")
    wait_for_source(page, "live")
    page.evaluate("document.querySelector('[data-shard-id=\"0\"]').bench_mark = 'kept'")
    changed = fleet_of("running", guilds=4_321)
    changed[0]["shards"][0].update(ping=250, status=5)  # Ready 40 ms -> Disconnected
    changed[0]["shards"][1].update(ping=77, status=0)  # awaiting heartbeat -> Ready
    fleet.put_fleet(changed)
    page.wait_for_function(
        "document.querySelector('[data-shard-id=\"0\"]').dataset.ping === '250'",
        timeout=ONE_POLL_MS,
    )
    first, second = page.locator('[data-shard-id="0"]'), page.locator('[data-shard-id="1"]')
    assert first.evaluate("e => e.bench_mark") == "kept"  # patched, not re-created
    assert first.get_attribute("data-shard-state") == "Disconnected"
    assert first.get_attribute("class") == "shard shard--down"
    assert first.locator(".shard__tip").text_content() == "Shard 0 · Disconnected · 250 ms"
    assert second.get_attribute("class") == "shard shard--ok"
    assert second.locator(".shard__tip").text_content() == "Shard 1 · Ready · 77 ms"
    assert "4,321" in page.inner_text("#cluster-0 .cluster__facts")
    fleet.put_fleet(fleet_of("stopped"))  # a new frame: the card is rendered again
    wait_overall(page, "outage")
    assert page.locator('[data-shard-id="0"]').count() == 0
    assert "2 shards, no live state" in page.inner_text("#cluster-0")


def test_german_page_shows_german_text_and_numbers(watched, fleet):
    page = watched.page
    fleet.put_fleet(fleet_of("running", "running", guilds=12_345, members=1_234_567))
    page.goto(fleet.site + "/de/")
    assert page.get_attribute("html", "lang") == "de"
    assert "Status wird geprüft" in page.inner_text("#banner")  # prerendered, before Python
    wait_for_source(page, "live")
    banner = page.inner_text("#banner")
    assert "Alle Systeme betriebsbereit" in banner
    assert "24.690" in banner  # guilds, German grouping
    assert "2.469.134" in banner  # members
    assert page.title().startswith("Betriebsbereit")


def test_popover_and_focus_survive_a_refresh(watched, fleet):
    page = watched.page
    page.goto(fleet.site + "/")
    wait_for_source(page, "live")
    shard = page.locator("[data-shard-id]").nth(5)
    shard.focus()
    assert shard.locator(".shard__tip").is_visible()  # tooltip on keyboard focus
    shard.press("Enter")
    popover = page.locator("#shard-popover")
    assert popover.is_visible()
    assert shard.get_attribute("aria-expanded") == "true"
    before = page.get_attribute("html", "data-updated")
    page.wait_for_function(
        "b => document.documentElement.dataset.updated !== b", arg=before, timeout=ONE_POLL_MS
    )
    assert popover.is_visible()
    assert shard.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert not popover.is_visible()
    assert page.evaluate("document.activeElement.dataset.shardId") == shard.get_attribute(
        "data-shard-id"
    )
    # click opens, a click outside closes
    shard.click()
    assert popover.is_visible()
    page.mouse.click(5, 5)
    assert not popover.is_visible()


def test_language_switcher_keeps_the_query(watched, backend):
    page = watched.page
    page.goto(backend.site + "/?cluster=1&x=%3Cb%3E")
    wait_for_source(page, "live")
    assert page.get_attribute('[data-lang-link="de"]', "href") == "/de/?cluster=1&x=%3Cb%3E"
    page.click('[data-lang-link="fr"]')
    page.wait_for_url("**/fr/?cluster=1&x=%3Cb%3E")
    assert page.get_attribute("html", "lang") == "fr"


def test_unreachable_token_endpoint_shows_labelled_sample_fleet(watched, unreachable_site):
    watched.allowed_errors = ("ERR_CONNECTION_REFUSED",)
    page = watched.page
    page.goto(unreachable_site + "/")
    wait_for_source(page, "sample", timeout_ms=BOOT_TIMEOUT_MS)
    notice = page.locator(".notice--sample")
    assert notice.is_visible()
    assert "Sample data" in notice.inner_text()
    assert page.locator("[data-cluster-id]").count() == 4
    assert page.title().startswith("Sample data")


def test_plain_http_server_preview_works(watched, plain_http_server):
    page = watched.page
    page.goto(plain_http_server + "/es/")
    wait_for_source(page, "live")
    assert page.locator("[data-cluster-id]").count() == 4
    assert "Clústeres en marcha" in page.inner_text("#banner")
