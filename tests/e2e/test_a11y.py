"""Accessibility and looks: keyboard path through a big grid, axe-core in both themes
with a popover open, the theme toggle, the legend filter, and the team's screenshots."""

from pathlib import Path

import pytest

from .conftest import ROOT, wait_for_source

pytestmark = pytest.mark.e2e
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "screenshots"
BIG = [
    {
        "id": 0,
        "status": "running",
        "shardList": list(range(64)),
        "createdAt": 1_700_000_000_000,
        "guilds": 5000,
        "members": 400000,
        "shards": [{"id": i, "ping": 30 + i, "status": 0 if i % 9 else 2} for i in range(64)],
    }
]
DEGRADED = [
    {
        "id": 0,
        "status": "running",
        "shardList": [0, 1, 2, 3],
        "createdAt": 1_700_000_000_000,
        "guilds": 2100,
        "members": 180000,
        "shards": [
            {"id": 0, "ping": 41, "status": 0},
            {"id": 1, "ping": 57, "status": 0},
            {"id": 2, "ping": -1, "status": 2},
            {"id": 3, "ping": 63, "status": 0},
        ],
    },
    {
        "id": 1,
        "status": "running",
        "shardList": [4, 5, 6, 7],
        "createdAt": 1_700_000_000_000,
        "guilds": 1980,
        "members": 171000,
        "shards": [{"id": i, "ping": 40 + i, "status": 0} for i in range(4, 8)],
    },
    {"id": 2, "status": "starting", "shardList": [8, 9, 10, 11], "createdAt": 1_700_000_000_000},
    {
        "id": 3,
        "status": "running",
        "shardList": [12, 13, 14, 15],
        "createdAt": 1_700_000_000_000,
        "guilds": 2300,
        "members": 205000,
        "shards": [
            {"id": 12, "ping": 48, "status": 0},
            {"id": 13, "ping": 52, "status": 5},
            {"id": 14, "ping": 47, "status": 0},
            {"id": 15, "ping": 44, "status": 0},
        ],
    },
]


def focused(page) -> str | None:
    return page.evaluate("document.activeElement.dataset.shardId ?? null")


def test_keyboard_path_through_a_grid_of_64_shards(watched, fleet):
    page = watched.page
    fleet.put_fleet(BIG)
    page.goto(fleet.site + "/")
    wait_for_source(page, "live")
    page.focus("#guild-input")
    stops = []
    for _ in range(10):  # Tab from the lookup into the grid, then out of it
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if stops[-1] is None and len(stops) > 1 and stops[-2] is not None:
            break
    assert [s for s in stops if s is not None] == ["0"]  # one tab stop for 64 shards
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "0"
    page.keyboard.press("ArrowRight")
    assert focused(page) == "1"
    page.keyboard.press("End")
    assert focused(page) == "63"
    page.keyboard.press("Home")
    assert focused(page) == "0"
    page.keyboard.press("ArrowDown")
    assert int(focused(page)) > 1  # the next row
    below = focused(page)
    assert page.get_attribute(f'[data-shard-id="{below}"]', "tabindex") == "0"
    assert page.locator('.shard[tabindex="0"]').count() == 1
    assert page.locator(f'[data-shard-id="{below}"] .shard__tip').is_visible()
    page.keyboard.press(" ")
    assert page.locator("#shard-popover").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#shard-popover").is_visible()
    assert focused(page) == below
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.matches('[data-popover-close]')")
    page.keyboard.press("Tab")  # off the end of the popover: closed, back on the shard
    assert not page.locator("#shard-popover").is_visible()
    assert focused(page) == below
    page.keyboard.press("Enter")
    page.focus("#guild-input")
    page.keyboard.press("Escape")  # Escape elsewhere closes, but leaves focus alone
    assert not page.locator("#shard-popover").is_visible()
    assert page.evaluate("document.activeElement.id") == "guild-input"
    page.focus(f'[data-shard-id="{below}"]')
    # the tab stop survives a refresh
    before = page.get_attribute("html", "data-updated")
    page.wait_for_function(
        "b => document.documentElement.dataset.updated !== b", arg=before, timeout=6_000
    )
    assert page.get_attribute(f'[data-shard-id="{below}"]', "tabindex") == "0"


def test_legend_filters_shards_and_clusters(watched, fleet):
    page = watched.page
    fleet.put_fleet(DEGRADED)
    page.goto(fleet.site + "/")
    wait_for_source(page, "live")
    page.click('[data-legend-state="Disconnected"]')
    page.wait_for_function("document.querySelectorAll('[data-shard-id]').length === 1")
    assert page.get_attribute("[data-shard-id]", "data-shard-state") == "Disconnected"
    assert page.locator("[data-cluster-id]").count() == 1
    assert page.get_attribute('[data-legend-state="Disconnected"]', "aria-pressed") == "true"
    page.click("[data-legend-clear]")
    page.wait_for_function("document.querySelectorAll('[data-shard-id]').length === 12")


def test_theme_toggle_persists_across_reload(watched, fleet):
    page = watched.page
    page.goto(fleet.site + "/")
    assert page.get_attribute("html", "data-theme") == "light"  # the system's (emulated)
    page.click("#theme-toggle")
    assert page.get_attribute("html", "data-theme") == "dark"
    assert page.get_attribute("#theme-toggle", "aria-pressed") == "true"
    page.reload()
    assert page.get_attribute("html", "data-theme") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 18, 22)"
    page.set_viewport_size({"width": 360, "height": 740})  # the narrowest phone we support
    wait_for_source(page, "live")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/de/"])
def test_axe_finds_nothing_serious_with_a_popover_open(browser, fleet, scheme, path):
    fleet.put_fleet(DEGRADED)
    # bypass_csp: axe is injected as an inline script, which our own CSP forbids.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(fleet.site + path)
        wait_for_source(page, "live")
        page.click('[data-shard-id="2"]')
        assert page.locator("#shard-popover").is_visible()
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3)}`);
        }""")
        assert violations == []
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 375)])
def test_screenshots_for_the_team(browser, fleet, device, width, scheme):
    """docs/screenshots/ holds the current page: a degraded fleet, a popover open."""
    fleet.put_fleet(DEGRADED)
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, device_scale_factor=1
    )
    page = context.new_page()
    try:
        page.goto(fleet.site + "/")
        wait_for_source(page, "live")
        page.click('[data-shard-id="2"]')
        page.mouse.move(0, 0)
        SHOTS.mkdir(parents=True, exist_ok=True)
        target = SHOTS / f"{device}-{scheme}.png"
        page.screenshot(path=str(target), full_page=True)
        assert Path(target).stat().st_size > 10_000
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width  # no sideways scrolling, down to phone width
    finally:
        context.close()
