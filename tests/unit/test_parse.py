"""The wire parser on good and malformed payloads."""

import json
from pathlib import Path

import pytest

from shared_types import parse_status_payload

GOOD = {
    "id": 0,
    "status": "running",
    "shardList": [0, 1],
    "createdAt": 1_700_000_000_000,
    "guilds": 12,
    "members": 340,
    "shards": [{"id": 0, "ping": 41, "status": 0}, {"id": 1, "ping": -1, "status": 1}],
}
STARTING = {"id": 1, "status": "starting", "shardList": [2, 3], "createdAt": 1_700_000_000_000}


def test_bare_list_parses_into_clusters():
    parsed = parse_status_payload([GOOD, STARTING])
    assert parsed.error is None
    assert parsed.problems == []
    assert [c.id for c in parsed.clusters] == [0, 1]
    running = parsed.clusters[0]
    assert running.guilds == 12 and running.members == 340
    assert [(s.id, s.ping, s.status) for s in running.shards] == [(0, 41, 0), (1, -1, 1)]
    assert parsed.clusters[1].shards == ()


def test_success_envelope_is_unwrapped():
    parsed = parse_status_payload({"success": True, "data": [GOOD]})
    assert [c.id for c in parsed.clusters] == [0]


def test_error_envelope_carries_the_error_and_no_clusters():
    parsed = parse_status_payload({"success": False, "error": "database down"})
    assert parsed.clusters == []
    assert parsed.error == "database down"


def test_error_text_is_truncated():
    parsed = parse_status_payload({"success": False, "error": "x" * 5000})
    assert len(parsed.error) == 200


def test_error_text_loses_control_and_bidi_characters():
    hostile = "db\u202edown\x00\x1b[31m\n\tnow\u200b!"
    parsed = parse_status_payload({"success": False, "error": hostile})
    assert parsed.error == "dbdown[31m now!"


@pytest.mark.parametrize("error", [None, 42, {"nested": "x"}, ""])
def test_error_without_usable_text_is_an_empty_error(error):
    parsed = parse_status_payload({"success": False, "error": error})
    assert parsed.error == "" and not parsed.has_fleet


@pytest.mark.parametrize(
    "payload",
    [None, 42, "clusters", {"data": []}, {"success": True}, {"success": True, "data": {}}],
)
def test_payloads_of_the_wrong_shape_are_unreadable_not_a_crash(payload):
    parsed = parse_status_payload(payload)
    assert parsed.clusters == []
    assert parsed.unreadable and not parsed.has_fleet
    assert parsed.error is None  # nothing from the server to show; the detail is a problem
    assert parsed.problems


@pytest.mark.parametrize(
    "bad",
    [
        "not a cluster",
        {**GOOD, "id": "0"},
        {**GOOD, "id": True},
        {**GOOD, "id": 1.5},
        {**GOOD, "status": "exploding"},
        {**GOOD, "shardList": "0,1"},
        {**GOOD, "shardList": [0, "1"]},
        {**GOOD, "shardList": [0, 1, 2**53]},  # JavaScript cannot hold it exactly
        {k: v for k, v in GOOD.items() if k != "createdAt"},
        {**GOOD, "guilds": -5},
        {**GOOD, "members": "many"},
        {**GOOD, "shards": {"0": {}}},
    ],
)
def test_one_malformed_cluster_is_reported_and_skipped(bad):
    parsed = parse_status_payload([bad, {**GOOD, "id": 7}])
    assert [c.id for c in parsed.clusters] == [7]
    assert len(parsed.problems) == 1
    assert "entry 0 skipped" in parsed.problems[0]


def test_malformed_shard_is_skipped_but_its_cluster_stays():
    entry = {**GOOD, "shards": [{"id": 0, "ping": "fast", "status": 0}, GOOD["shards"][1]]}
    parsed = parse_status_payload([entry])
    assert [s.id for s in parsed.clusters[0].shards] == [1]
    assert len(parsed.problems) == 1


def test_duplicate_cluster_ids_keep_the_first():
    parsed = parse_status_payload([GOOD, {**GOOD, "guilds": 999}])
    assert len(parsed.clusters) == 1
    assert parsed.clusters[0].guilds == 12
    assert "duplicate cluster id 0" in parsed.problems[0]


def test_to_wire_round_trips():
    parsed = parse_status_payload([GOOD, STARTING])
    assert [c.to_wire() for c in parsed.clusters] == [GOOD, STARTING]


def test_schema_file_names_the_same_fields_as_the_models():
    schema = json.loads(
        (Path(__file__).parents[2] / "shared_types" / "cluster-status.schema.json").read_text()
    )
    cluster_props = set(schema["$defs"]["ClusterStatus"]["properties"])
    assert cluster_props == set(GOOD)
    assert set(schema["$defs"]["ShardStatusData"]["properties"]) == {"id", "ping", "status"}
    assert schema["$defs"]["ClusterStatus"]["properties"]["status"]["enum"] == [
        "starting",
        "running",
        "stopped",
    ]


def test_shard_fast_path_accepts_and_refuses_exactly_what_the_checked_path_does():
    from shared_types.parse import MAX_SAFE_INTEGER, _Invalid, _parse_shard, _parse_shard_checked

    base = {"id": 3, "ping": 41, "status": 0}
    edge_values = [
        0,
        -1,
        -2,
        1,
        MAX_SAFE_INTEGER,
        MAX_SAFE_INTEGER + 1,
        True,
        False,
        1.0,
        "1",
        None,
        2**70,
    ]
    variants = [base, {**base, "extra": "kept out"}, {"id": 3, "ping": 41}, [], "shard", None]
    variants += [{**base, key: value} for key in base for value in edge_values]

    def outcome(parse, entry):
        try:
            return parse(entry)
        except _Invalid as exc:
            return f"refused: {exc}"

    for entry in variants:
        assert outcome(_parse_shard, entry) == outcome(_parse_shard_checked, entry), entry
