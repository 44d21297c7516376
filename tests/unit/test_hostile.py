"""Every hostile payload kind, from the wire to the rendered HTML: the valid part shows,
the rest is counted, nothing becomes markup, nothing crashes."""

import pytest

from app.core.formatting import LocaleFormat
from app.core.i18n import load_translations
from app.core.render import Renderer
from app.core.shard_states import SHARD_STATE_TABLES
from app.core.view import build_page_view
from shared_types import parse_status_payload

NOW = 1_800_000_000_000
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
GOOD = {
    "id": 1,
    "status": "running",
    "shardList": [0, 1],
    "createdAt": NOW - 3_600_000,
    "guilds": 10,
    "members": 20,
    "shards": [{"id": 0, "ping": 30, "status": 0}, {"id": 1, "ping": 40, "status": 0}],
}


def with_good(*bad):
    return [*bad, GOOD]


def shard(**fields):
    return {**GOOD, "shards": [{"id": 0, "ping": 30, "status": 0, **fields}]}


CASES = {
    # payload, valid cluster ids expected, entries ignored, page-level flags
    "null": (None, [], 0, "unreadable"),
    "number": (42, [], 0, "unreadable"),
    "string": (XSS, [], 0, "unreadable"),
    "object": ({"clusters": [GOOD]}, [], 0, "unreadable"),
    "error envelope": ({"success": False, "error": XSS}, [], 0, "error"),
    "error without text": ({"success": False}, [], 0, "error"),
    "envelope with bad data": ({"success": True, "data": XSS}, [], 0, "unreadable"),
    "missing fields": (with_good({"id": 2}), [1], 1, None),
    "id as string": (with_good({**GOOD, "id": "2"}), [1], 1, None),
    "id as float": (with_good({**GOOD, "id": 2.5}), [1], 1, None),
    "id as boolean": (with_good({**GOOD, "id": True}), [1], 1, None),
    "guilds as string": (with_good({**GOOD, "id": 2, "guilds": "10"}), [1], 1, None),
    "members as float": (with_good({**GOOD, "id": 2, "members": 1.5}), [1], 1, None),
    "negative guilds": (with_good({**GOOD, "id": 2, "guilds": -1}), [1], 1, None),
    "absurd members": (with_good({**GOOD, "id": 2, "members": 10**30}), [1], 1, None),
    "unknown status string": (with_good({**GOOD, "id": 2, "status": XSS}), [1], 1, None),
    "shardList of strings": (with_good({**GOOD, "id": 2, "shardList": ["0"]}), [1], 1, None),
    "duplicate cluster ids": ([GOOD, {**GOOD, "guilds": 999}], [1], 1, None),
    "ping as string": ([shard(ping="30")], [1], 1, None),
    "ping below -1": ([shard(ping=-5)], [1], 1, None),
    "shard status as boolean": ([shard(status=False)], [1], 1, None),
    "shard not in shardList": (
        [{**GOOD, "shards": [*GOOD["shards"], {"id": 77, "ping": 1, "status": 0}]}],
        [1],
        1,
        None,
    ),
    "shard of markup": ([{**GOOD, "shards": [XSS, *GOOD["shards"]]}], [1], 1, None),
    "entry of markup": (with_good(XSS), [1], 1, None),
    "unknown shard status number": ([shard(status=99)], [1], 0, None),
    "createdAt 0": ([{**GOOD, "createdAt": 0}], [1], 0, None),
    "createdAt in the future": ([{**GOOD, "createdAt": NOW + 10**9}], [1], 0, None),
    "createdAt in seconds": ([{**GOOD, "createdAt": (NOW - 3_600_000) // 1000}], [1], 0, None),
    "control characters in status": (
        with_good({**GOOD, "id": 3, "status": "running\x00"}),
        [1],
        1,
        None,
    ),
}


def live_view(parsed):
    """The page view of a parsed answer, as the page would build it."""
    return build_page_view(
        parsed.clusters,
        now_ms=NOW,
        source="live",
        updated_ms=NOW,
        poll_interval_ms=15_000,
        table=SHARD_STATE_TABLES["discordjs"],
        fmt=LocaleFormat("en"),
        notice=parsed.error,
        unreadable=parsed.unreadable,
        ignored_entries=len(parsed.problems),
    )


@pytest.fixture(scope="module")
def renderer(catalog_dir):
    return Renderer("en", load_translations("en", catalog_dir))


@pytest.mark.parametrize("name", CASES)
def test_hostile_payload(renderer, name):
    payload, valid_ids, ignored, flag = CASES[name]
    parsed = parse_status_payload(payload)
    assert [c.id for c in parsed.clusters] == valid_ids
    assert len(parsed.problems) == ignored + (1 if flag == "unreadable" else 0)
    assert parsed.unreadable == (flag == "unreadable")
    assert (parsed.error is not None) == (flag == "error")
    view = live_view(parsed)
    html = renderer.banner(view) + "".join(renderer.cluster_card(c) for c in view.clusters)
    assert "<script" not in html and "<img" not in html
    if valid_ids:
        assert 'data-cluster-id="1"' in html
    if ignored:
        assert f"{ignored} entr" in html  # "1 entry in the status data was malformed"
    if flag == "error" and payload.get("error"):
        assert "&lt;script&gt;" in html


def test_uptime_is_unknown_for_implausible_created_at(renderer):
    for created_at in (0, NOW + 10**9, (NOW - 3_600_000) // 1000):
        view = live_view(parse_status_payload([{**GOOD, "createdAt": created_at}]))
        assert view.clusters[0].uptime_text is None
        assert "years" not in renderer.cluster_card(view.clusters[0])
