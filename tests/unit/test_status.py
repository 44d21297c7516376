"""The overall-state formula, the totals and the shard state tables."""

import pytest

from app.core.shard_states import SHARD_STATE_TABLES, UNKNOWN_STATE, describe_shard_state
from app.core.status import fleet_totals, is_stale, overall_state
from shared_types import ClusterStatus, ShardStatusData

DJS = SHARD_STATE_TABLES["discordjs"]


def cluster(cid, status, shards=(), shard_list=None, guilds=10, members=100):
    shards = tuple(ShardStatusData(id=i, ping=p, status=s) for i, p, s in shards)
    return ClusterStatus(
        id=cid,
        status=status,
        shard_list=tuple(shard_list if shard_list is not None else [s.id for s in shards]),
        created_at=1,
        guilds=guilds if status == "running" else None,
        members=members if status == "running" else None,
        shards=shards if status == "running" else (),
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "unknown"),
        (["running"], "operational"),
        (["running", "running", "running"], "operational"),
        (["stopped"], "outage"),
        (["stopped", "stopped"], "outage"),
        (["running", "stopped"], "degraded"),
        (["running", "starting"], "degraded"),  # starting among running ones
        (["starting"], "degraded"),
        (["starting", "stopped"], "degraded"),
    ],
)
def test_overall_state_follows_the_design_formula(statuses, expected):
    clusters = [cluster(i, s) for i, s in enumerate(statuses)]
    assert overall_state(clusters) == expected


def test_totals_count_ready_shards_and_average_only_acknowledged_pings():
    clusters = [
        cluster(0, "running", [(0, 40, 0), (1, -1, 0), (2, 80, 2)], guilds=5, members=50),
        cluster(1, "starting", shard_list=[3, 4]),
        cluster(2, "running", [(5, 30, 0)], guilds=7, members=70),
    ]
    totals = fleet_totals(clusters, DJS)
    assert totals.clusters_running == 2
    assert totals.clusters_total == 3
    assert totals.shards_ready == 3  # 0, 1 and 5 are Ready; 2 is Reconnecting
    assert totals.shards_total == 6  # the starting cluster's shards count, as not ready
    assert totals.guilds == 12
    assert totals.members == 120
    assert totals.mean_ping_ms == 50  # (40 + 80 + 30) / 3: -1 is left out


def test_mean_ping_is_none_without_any_heartbeat():
    totals = fleet_totals([cluster(0, "running", [(0, -1, 1)])], DJS)
    assert totals.mean_ping_ms is None


def test_discordjs_table_names_every_status_number():
    names = {n: s.name for n, s in DJS.items()}
    assert names == {
        0: "Ready",
        1: "Connecting",
        2: "Reconnecting",
        3: "Idle",
        4: "Nearly",
        5: "Disconnected",
        6: "WaitingForGuilds",
        7: "Identifying",
        8: "Resuming",
    }
    assert [n for n, s in DJS.items() if s.severity == "ok"] == [0]


def test_ws_table_uses_its_own_numbers():
    ws = SHARD_STATE_TABLES["discordjs-ws"]
    assert describe_shard_state(3, ws).name == "Ready"
    assert describe_shard_state(0, ws).name == "Idle"
    assert describe_shard_state(3, DJS).name == "Idle"


@pytest.mark.parametrize("number", [9, 42, 10**9])
def test_unknown_numbers_are_unknown_never_healthy(number):
    state = describe_shard_state(number, DJS)
    assert state is UNKNOWN_STATE
    assert state.severity == "unknown"
    totals = fleet_totals([cluster(0, "running", [(0, 20, number)])], DJS)
    assert totals.shards_ready == 0


def test_staleness_starts_after_two_intervals():
    assert not is_stale(30_000, 15_000)
    assert is_stale(30_001, 15_000)
