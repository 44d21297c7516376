"""What the templates show: views from data, hostile strings escaped, locales applied."""

import re

import pytest

from app.core.formatting import LocaleFormat
from app.core.i18n import load_translations
from app.core.render import Renderer
from app.core.sample import sample_fleet
from app.core.shard_states import SHARD_STATE_TABLES
from app.core.view import UiState, build_cluster_view, build_page_view
from shared_types import ClusterStatus, ShardStatusData, parse_status_payload

DJS = SHARD_STATE_TABLES["discordjs"]
NOW = 1_800_000_000_000
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def renderer(catalog_dir):
    return lambda locale="en": Renderer(locale, load_translations(locale, catalog_dir))


def page_view(clusters, locale="en", source="live", updated_ms=NOW, **kwargs):
    return build_page_view(
        clusters,
        now_ms=NOW,
        source=source,
        updated_ms=updated_ms,
        poll_interval_ms=15_000,
        table=DJS,
        fmt=LocaleFormat(locale),
        **kwargs,
    )


def test_banner_carries_the_overall_hook_and_totals(renderer):
    html = renderer().banner(page_view(sample_fleet(NOW)))
    assert 'data-overall="degraded"' in html  # the sample has a starting cluster
    assert "Partially degraded" in html
    assert "3 of 4" in html  # clusters running


def test_card_and_shard_hooks(renderer):
    running = sample_fleet(NOW)[0]
    html = renderer().cluster_card(
        build_cluster_view(running, now_ms=NOW, table=DJS, fmt=LocaleFormat("en"))
    )
    assert 'data-cluster-id="0"' in html
    assert 'data-cluster-status="running"' in html
    assert html.count("data-shard-id=") == 4
    assert 'data-shard-state="Ready"' in html
    assert 'data-ping="38"' in html


def test_shard_awaiting_heartbeat_says_so(renderer):
    cluster = ClusterStatus(
        id=1,
        status="running",
        shard_list=(4,),
        created_at=NOW - 1000,
        guilds=1,
        members=1,
        shards=(ShardStatusData(4, -1, 1),),
    )
    html = renderer().cluster_card(
        build_cluster_view(cluster, now_ms=NOW, table=DJS, fmt=LocaleFormat("en"))
    )
    assert 'data-ping="-1"' in html
    assert "awaiting heartbeat" in html
    assert "-1 ms" not in html


def test_unknown_shard_state_is_shown_as_unknown(renderer):
    cluster = ClusterStatus(
        id=1,
        status="running",
        shard_list=(4,),
        created_at=NOW - 1000,
        guilds=1,
        members=1,
        shards=(ShardStatusData(4, 30, 77),),
    )
    html = renderer().cluster_card(
        build_cluster_view(cluster, now_ms=NOW, table=DJS, fmt=LocaleFormat("en"))
    )
    assert 'data-shard-state="Unknown"' in html
    assert "shard--unknown" in html
    assert "Unknown state" in html


def test_error_text_from_the_server_is_escaped(renderer):
    parsed = parse_status_payload({"success": False, "error": HOSTILE})
    html = renderer().banner(page_view([], notice=parsed.error))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "The status service reported a problem" in html


def test_templates_escape_every_interpolation(renderer):
    # Only the notice carries free text from the wire today; prove autoescape covers the
    # rest too by pushing markup through a formatter-produced field.
    class HostileFormat(LocaleFormat):
        def number(self, value):
            return HOSTILE

        def duration(self, seconds):
            return HOSTILE

    cluster = sample_fleet(NOW)[0]
    view = build_cluster_view(cluster, now_ms=NOW, table=DJS, fmt=HostileFormat("en"))
    html = renderer().cluster_card(view)
    assert "<script>" not in html and "<img" not in html
    pinged = [s for s in view.shards if s.ping_text]  # pings are formatted numbers too
    assert pinged
    assert html.count("&lt;script&gt;") == 3 + len(pinged)  # uptime, guilds, members, tips


def test_sample_data_is_always_labelled(renderer):
    html = renderer().banner(page_view(sample_fleet(NOW), source="sample"))
    assert "Sample data" in html
    assert "notice--sample" in html
    html_de = renderer("de").banner(page_view(sample_fleet(NOW), locale="de", source="sample"))
    assert "Beispieldaten" in html_de


def test_sample_data_is_not_marked_stale_by_age(renderer):
    view = page_view(sample_fleet(NOW), source="sample", updated_ms=NOW - 3_600_000)
    assert view.source == "sample"
    assert view.overall == "degraded"


def test_old_live_data_is_stale_and_never_operational(renderer):
    running = [c for c in sample_fleet(NOW) if c.running]
    fresh = page_view(running, updated_ms=NOW - 1_000)
    assert fresh.overall == "operational"
    old = page_view(running, updated_ms=NOW - 31_000)
    assert old.overall == "stale" and old.source == "stale"
    assert old.fleet_overall == "operational"
    html = renderer().banner(old)
    assert 'data-overall="stale"' in html
    assert "All systems operational" not in html


def test_german_page_uses_german_words_and_numbers(renderer):
    html = renderer("de").banner(page_view(sample_fleet(NOW), locale="de"))
    assert "Teilweise eingeschränkt" in html
    assert "Mitglieder" in html
    assert re.search(r"\d{1,3}\.\d{3}", html)  # 1.234 grouping


def ready_cluster(ready: int, owned: int) -> ClusterStatus:
    """Cluster 0, running, owning shards 0..owned-1 of which the first ``ready`` report."""
    return ClusterStatus(
        id=0,
        status="running",
        shard_list=tuple(range(owned)),
        created_at=NOW - 60_000,
        guilds=1,
        members=1,
        shards=tuple(ShardStatusData(id=i, ping=30, status=0) for i in range(ready)),
    )


def test_totals_counts_are_grouped_for_the_locale(renderer):
    big = ready_cluster(ready=1_500, owned=2_048)
    html = renderer("de").banner(page_view([big], locale="de"))
    assert "1.500 von 2.048" in html  # shards ready, German grouping


def test_uptime_only_for_a_sane_created_at(renderer):
    fmt = LocaleFormat("en")
    base = sample_fleet(NOW)[0]
    for created_at in (0, NOW + 60_000):
        weird = ClusterStatus(
            id=0,
            status="running",
            shard_list=base.shard_list,
            created_at=created_at,
            guilds=1,
            members=1,
            shards=base.shards,
        )
        assert build_cluster_view(weird, now_ms=NOW, table=DJS, fmt=fmt).uptime_text is None
    assert build_cluster_view(base, now_ms=NOW, table=DJS, fmt=fmt).uptime_text == "1 day 2 hr"


def test_selected_shard_is_expanded_and_popover_renders(renderer):
    cluster = sample_fleet(NOW)[1]
    view = build_cluster_view(
        cluster, now_ms=NOW, table=DJS, fmt=LocaleFormat("en"), ui=UiState(selected=(1, 6))
    )
    html = renderer().cluster_card(view)
    assert html.count('aria-expanded="true"') == 1
    shard = next(s for s in view.shards if s.id == 6)
    popover = renderer().shard_popover(shard, view)
    assert "Shard 6" in popover and "Reconnecting" in popover and "awaiting heartbeat" in popover


def test_document_title_follows_the_state(renderer):
    assert renderer().document_title("outage") == "Outage · SupportMail Status"
    assert renderer("fr").document_title("operational") == "Opérationnel · État de SupportMail"


def test_unreadable_answer_and_textless_error_are_said_in_the_locale(renderer):
    html = renderer("de").banner(page_view([], locale="de", unreadable=True))
    assert "Daten gesendet, die diese Seite nicht lesen kann" in html
    html = renderer("fr").banner(page_view([], locale="fr", notice=""))
    assert "Le service d’état signale un problème." in html


def test_an_absurd_fleet_renders_a_bounded_number_of_cards(renderer):
    from app.core.view import MAX_RENDERED_SHARDS

    fleet = [
        ClusterStatus(
            id=i,
            status="running",
            shard_list=(i * 4, i * 4 + 1, i * 4 + 2, i * 4 + 3),
            created_at=NOW - 1000,
            guilds=1,
            members=2,
            shards=tuple(ShardStatusData(i * 4 + k, 30, 0) for k in range(4)),
        )
        for i in range(10_000)
    ]
    view = page_view(fleet)
    assert sum(len(c.shards) for c in view.clusters) == MAX_RENDERED_SHARDS
    assert view.clusters_hidden == 10_000 - MAX_RENDERED_SHARDS // 4
    assert view.totals.clusters_total == 10_000 and view.totals.guilds == 10_000
    html = renderer().banner(view)
    assert "Showing 1,024 of 10,000 clusters; the totals count all of them." in html
    html_de = renderer("de").banner(page_view(fleet, locale="de"))
    assert "1.024 von 10.000 Clustern werden angezeigt" in html_de


def test_cluster_views_compare_by_value_so_unchanged_cards_skip_rendering():
    fmt = LocaleFormat("en")
    cluster = sample_fleet(NOW)[0]
    first = build_cluster_view(cluster, now_ms=NOW, table=DJS, fmt=fmt)
    assert first == build_cluster_view(cluster, now_ms=NOW + 500, table=DJS, fmt=fmt)
    assert first != build_cluster_view(
        cluster, now_ms=NOW, table=DJS, fmt=fmt, ui=UiState(selected=(0, 1))
    )


def test_legend_counts_every_shard_and_the_filter_keeps_matching_ones(renderer):
    fleet = sample_fleet(NOW)  # 12 running shards: 11 Ready, shard 6 Reconnecting
    view = page_view(fleet)
    assert [(e.state.name, e.count) for e in view.legend] == [("Ready", 11), ("Reconnecting", 1)]
    filtered = page_view(fleet, ui=UiState(filter_state="Reconnecting"))
    assert [c.id for c in filtered.clusters] == [1]
    assert [s.id for s in filtered.clusters[0].shards] == [6]
    assert [(e.state.name, e.count) for e in filtered.legend] == [
        ("Ready", 11),
        ("Reconnecting", 1),
    ]  # counts stay fleet-wide
    html = renderer().banner(filtered)
    assert 'data-legend-state="Reconnecting" aria-pressed="true"' in html
    assert "data-legend-clear" in html
    assert "data-legend-clear" not in renderer().banner(view)


def test_each_grid_has_exactly_one_tab_stop_and_it_can_move(renderer):
    fleet = sample_fleet(NOW)
    view = page_view(fleet)
    for cluster in view.clusters:
        if cluster.shards:
            assert [s.id for s in cluster.shards if s.tabbable] == [cluster.shards[0].id]
    moved = page_view(fleet, ui=UiState(active=((0, 2),)))
    assert [s.id for s in moved.clusters[0].shards if s.tabbable] == [2]
    html = renderer().cluster_card(moved.clusters[0])
    assert html.count('tabindex="0"') == 1 and html.count('tabindex="-1"') == 3
    gone = page_view(fleet, ui=UiState(active=((0, 99),)))  # a shard no longer there
    assert [s.id for s in gone.clusters[0].shards if s.tabbable] == [0]


def test_last_updated_is_relative_with_the_full_time_as_tooltip(renderer):
    view = page_view(sample_fleet(NOW), updated_ms=NOW - 12_000)
    html = renderer().banner(view)
    assert 'Updated <span class="source__ago"' in html and "12 seconds ago</span>" in html
    assert f'data-updated-ms="{NOW - 12_000}"' in html
    assert 'role="tooltip">Jan 15, 2027' in html and "GMT" in html
    html_de = renderer("de").banner(
        page_view(sample_fleet(NOW), locale="de", updated_ms=NOW - 95_000)
    )
    assert "Aktualisiert <span" in html_de and "vor 2 Minuten</span>" in html_de
    assert LocaleFormat("en").age(0) == "1 second ago"


def test_one_huge_cluster_is_bounded_too(renderer):
    from app.core.view import MAX_RENDERED_SHARDS

    huge = ready_cluster(ready=30_000, owned=30_000)
    view = page_view([huge])
    assert len(view.clusters[0].shards) == MAX_RENDERED_SHARDS
    assert view.clusters[0].shards_hidden == 30_000 - MAX_RENDERED_SHARDS
    assert "25904 more shards are not shown." in renderer().cluster_card(view.clusters[0])
