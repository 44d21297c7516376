"""Find my server: the shard maths on published vectors and edge snowflakes, input
validation, link parsing, and the total-shards rule."""

import pytest

from app.core.lookup import (
    DM_LINK,
    EMPTY,
    MAX_SNOWFLAKE,
    NOT_AN_ID,
    TOO_LARGE,
    cluster_for_shard,
    parse_guild_query,
    shard_for_guild,
    total_shards,
)
from shared_types import ClusterStatus


@pytest.mark.parametrize(
    ("guild_id", "shards", "expected"),
    [
        # Discord's documented snowflake 175928847299117063: its timestamp part
        # (id >> 22) is 41944705796 ms, per the developer docs' breakdown.
        (175928847299117063, 1, 0),
        (175928847299117063, 2, 0),
        (175928847299117063, 16, 4),  # 41944705796 % 16
        (175928847299117063, 1000, 796),
        (81384788765712384, 1, 0),  # a single shard serves everything
        (81384788765712384, 7, (81384788765712384 >> 22) % 7),
        (2**22 - 1, 4, 0),  # low 22 bits all ones: timestamp 0
        (2**22, 4, 1),
        (2**53, 1000, (2**53 >> 22) % 1000),  # beyond float precision
        (2**53 + 1, 1000, (2**53 >> 22) % 1000),  # would collide with 2**53 as a float
        (2**63 - 1, 1024, (2**41 - 1) % 1024),  # signed 64-bit max
        (2**63, 1024, (2**41) % 1024),  # one past: breaks signed arithmetic
        (MAX_SNOWFLAKE, 1024, (2**42 - 1) % 1024),
        (MAX_SNOWFLAKE, 3, (2**42 - 1) % 3),
    ],
)
def test_shard_maths_is_exact(guild_id, shards, expected):
    assert shard_for_guild(guild_id, shards) == expected


def test_a_float_step_would_give_a_wrong_shard_for_large_ids():
    # 2**62 - 1 rounds up to 2**62 as a float, which crosses into the next timestamp:
    # the exact answer and a float-based one differ, so this vector catches a float step.
    guild_id = 2**62 - 1
    assert shard_for_guild(guild_id, 2) == 1  # (2**40 - 1) % 2
    assert (int(float(guild_id)) >> 22) % 2 == 0


@pytest.mark.parametrize(
    ("text", "guild_id"),
    [
        ("81384788765712384", 81384788765712384),
        ("  81384788765712384\n", 81384788765712384),
        ("12345678901234567", 12345678901234567),  # 17 digits
        ("18446744073709551615", MAX_SNOWFLAKE),  # 20 digits, the largest
        ("https://discord.com/channels/81384788765712384/381887113391505410", 81384788765712384),
        (
            "https://discord.com/channels/81384788765712384/381887113391505410/9999",
            81384788765712384,
        ),
        ("https://ptb.discord.com/channels/81384788765712384/1", 81384788765712384),
        ("https://canary.discordapp.com/channels/81384788765712384/1", 81384788765712384),
    ],
)
def test_valid_inputs(text, guild_id):
    assert parse_guild_query(text).guild_id == guild_id


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", EMPTY),
        ("   ", EMPTY),
        ("+81384788765712384", NOT_AN_ID),
        ("-81384788765712384", NOT_AN_ID),
        ("0x120ab3c4d5e6f7a8", NOT_AN_ID),
        ("813847887 65712384", NOT_AN_ID),
        ("81384788765712384a", NOT_AN_ID),
        ("1234567890123456", NOT_AN_ID),  # 16 digits
        ("123456789012345678901", NOT_AN_ID),  # 21 digits
        ("８１３８４７８８７６５７１２３８４", NOT_AN_ID),  # full-width digits
        ("18446744073709551616", TOO_LARGE),  # 2**64
        ("99999999999999999999", TOO_LARGE),
        ("https://discord.com/channels/@me/381887113391505410", DM_LINK),
        ("https://evil.example/channels/81384788765712384/1", NOT_AN_ID),
        ("https://discord.com/channels/8138478876571238x/1", NOT_AN_ID),
        ("00000000000000001", NOT_AN_ID),  # leading zeros would not round-trip
        ("081384788765712384", NOT_AN_ID),
        ("81384788765712384" + " " * 190 + "x", NOT_AN_ID),  # refused whole, never cut
        ("9" * 5000, NOT_AN_ID),
    ],
)
def test_invalid_inputs_say_why_and_give_no_id(text, error):
    query = parse_guild_query(text)
    assert query.guild_id is None and query.error == error


def cluster(cid, shard_list):
    return ClusterStatus(id=cid, status="stopped", shard_list=tuple(shard_list), created_at=1)


def test_total_shards_configured_or_derived():
    clusters = [cluster(0, [0, 1, 2]), cluster(1, [5, 3])]
    assert total_shards(clusters, None).total == 6 and not total_shards(clusters, None).configured
    assert total_shards(clusters, 64).total == 64 and total_shards(clusters, 64).configured
    assert total_shards([], None).total is None


def test_cluster_is_found_by_shard_list_not_arithmetic():
    clusters = [cluster(0, [0, 2, 4]), cluster(1, [1, 3, 5])]  # interleaved on purpose
    assert cluster_for_shard(clusters, 3).id == 1
    assert cluster_for_shard(clusters, 4).id == 0
    assert cluster_for_shard(clusters, 9) is None


def test_deep_link_parameters_are_parsed_strictly():
    from app.core.deeplink import parse_deep_link, with_guild

    link = parse_deep_link("?guild=81384788765712384&cluster=2")
    assert link.guild_text == "81384788765712384" and link.cluster_id == 2
    assert parse_deep_link("?cluster=<script>").cluster_id is None
    assert parse_deep_link("?cluster=-1").cluster_id is None
    assert parse_deep_link("?cluster=1e3").cluster_id is None
    assert parse_deep_link("").guild_text is None
    assert len(parse_deep_link("?guild=" + "9" * 5000).guild_text) == 5000  # not cut down
    many = "&".join(f"p{i}=1" for i in range(5000)) + "&guild=81384788765712384"
    assert parse_deep_link("?" + many).guild_text == "81384788765712384"
    assert with_guild("?cluster=2&x=%3Cb%3E", 81384788765712384) == (
        "?cluster=2&x=%3Cb%3E&guild=81384788765712384"
    )
    assert with_guild("?guild=1&cluster=2", None) == "?cluster=2"
    assert with_guild("?guild=1", None) == ""


def test_lookup_view_and_its_hooks(catalog_dir):
    from app.core.formatting import LocaleFormat
    from app.core.i18n import load_translations
    from app.core.lookup import build_lookup_view
    from app.core.render import Renderer
    from app.core.shard_states import SHARD_STATE_TABLES
    from shared_types import ShardStatusData

    running = ClusterStatus(
        id=1,
        status="running",
        shard_list=(2, 3),
        created_at=1,
        guilds=1,
        members=1,
        shards=(ShardStatusData(2, -1, 1), ShardStatusData(3, 5, 0)),
    )
    clusters = [cluster(0, [0, 1]), running]
    args = {
        "configured_total": None,
        "table": SHARD_STATE_TABLES["discordjs"],
        "fmt": LocaleFormat("en"),
    }
    renderer = Renderer("en", load_translations("en", catalog_dir))
    guild = next(g for g in range(2**60, 2**60 + 2**30, 2**22) if shard_for_guild(g, 4) == 2)
    view = build_lookup_view(parse_guild_query(str(guild)), clusters, **args)
    assert view.found == (1, 2)
    html = renderer.lookup_result(view)
    assert 'data-found-shard="2"' in html and 'data-found-cluster="1"' in html
    assert "shard 2 of 4 (counted from the clusters’ shard lists)" in html
    assert "Connecting" in html and "awaiting heartbeat" in html
    configured = build_lookup_view(
        parse_guild_query(str(guild)), clusters, **{**args, "configured_total": 8}
    )
    assert "(as configured)" in renderer.lookup_result(configured)
    bad = renderer.lookup_result(build_lookup_view(parse_guild_query("12ab"), clusters, **args))
    assert 'data-found-shard=""' in bad and 'data-found-cluster=""' in bad
    assert "not a server ID" in bad
    idle = renderer.lookup_result(None)
    assert 'data-found-shard=""' in idle
    waiting = build_lookup_view(parse_guild_query(str(guild)), None, **args)
    assert waiting.waiting and "Waiting for status data" in renderer.lookup_result(waiting)
