"""Find my server and deep links, in Chromium against the simulator."""

import pytest

from app.core.lookup import shard_for_guild

from .conftest import fleet_of, wait_for_source

pytestmark = pytest.mark.e2e
FLEET = fleet_of("running", "running", "running", "running", guilds=10, members=100)
# A large real-looking snowflake on shard 5 of 8 (cluster 2): beyond 2**53 on purpose.
GUILD = next(g for g in range(2**62, 2**62 + 2**32, 2**22) if shard_for_guild(g, 8) == 5)


@pytest.fixture
def fleet_page(watched, fleet):
    fleet.put_fleet(FLEET)
    return watched.page, fleet


def result(page):
    return page.evaluate("""() => {
        const r = document.getElementById('lookup-result');
        return {shard: r.dataset.foundShard, cluster: r.dataset.foundCluster, text: r.innerText,
                invalid: document.getElementById('guild-input').getAttribute('aria-invalid')};
    }""")


def test_lookup_by_id_and_by_link(fleet_page):
    page, fleet = fleet_page
    page.goto(fleet.site + "/?cluster=9")
    wait_for_source(page, "live")
    page.fill("#guild-input", f"  {GUILD} ")
    page.press("#guild-input", "Enter")
    page.wait_for_function("document.getElementById('lookup-result').dataset.foundShard === '5'")
    found = result(page)
    assert found["cluster"] == "2" and found["invalid"] == "false"
    assert "shard 5 of 8" in found["text"] and "Cluster 2: Running" in found["text"]
    assert page.locator('[data-found="true"]').get_attribute("data-shard-id") == "5"
    assert page.evaluate("location.search") == f"?cluster=9&guild={GUILD}"
    assert page.get_attribute('[data-lang-link="de"]', "href") == f"/de/?cluster=9&guild={GUILD}"

    page.fill("#guild-input", "0x1234")
    page.click(".lookup__button")
    page.wait_for_function("document.getElementById('guild-input').ariaInvalid === 'true'")
    assert result(page)["shard"] == "" and result(page)["cluster"] == ""
    assert page.locator('[data-found="true"]').count() == 0
    assert page.evaluate("location.search") == "?cluster=9"

    page.fill("#guild-input", f"https://discord.com/channels/{GUILD}/381887113391505410")
    page.press("#guild-input", "Enter")
    page.wait_for_function("document.getElementById('lookup-result').dataset.foundShard === '5'")
    assert result(page)["cluster"] == "2"


def test_deep_links_run_the_lookup_and_highlight_a_cluster(fleet_page):
    page, fleet = fleet_page
    page.goto(fleet.site + f"/de/?guild={GUILD}&cluster=3")
    wait_for_source(page, "live")
    page.wait_for_function("document.getElementById('lookup-result').dataset.foundShard === '5'")
    assert page.input_value("#guild-input") == str(GUILD)
    assert "Shard 5 von 8" in result(page)["text"]
    assert "cluster--highlighted" in page.get_attribute('[data-cluster-id="3"]', "class")
    assert "cluster--highlighted" not in page.get_attribute('[data-cluster-id="2"]', "class")


def test_hostile_deep_link_is_only_text(fleet_page):
    page, fleet = fleet_page
    page.goto(fleet.site + "/?guild=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&cluster=%3Cb%3E")
    wait_for_source(page, "live")
    assert page.input_value("#guild-input") == "<img src=x onerror=alert(1)>"
    assert result(page)["invalid"] == "true" and result(page)["shard"] == ""
    assert page.locator("main img, main b").count() == 0
