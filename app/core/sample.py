"""The built-in sample fleet: shown (always labelled) when no backend can be reached.

Deterministic for a given ``now_ms`` so that the page and the tests agree on it.
"""

from __future__ import annotations

from shared_types import ClusterStatus, ShardStatusData

_HOUR_MS = 3_600_000


def sample_fleet(now_ms: int) -> list[ClusterStatus]:
    """Four clusters of four shards: three running (one shard reconnecting), one starting."""
    clusters = []
    for cluster_id in range(4):
        shard_ids = tuple(range(cluster_id * 4, cluster_id * 4 + 4))
        if cluster_id == 3:
            clusters.append(
                ClusterStatus(
                    id=cluster_id, status="starting", shard_list=shard_ids, created_at=now_ms
                )
            )
            continue
        shards = tuple(
            ShardStatusData(
                id=shard_id,
                ping=-1 if shard_id == 6 else 38 + 7 * shard_id,
                status=2 if shard_id == 6 else 0,
            )
            for shard_id in shard_ids
        )
        clusters.append(
            ClusterStatus(
                id=cluster_id,
                status="running",
                shard_list=shard_ids,
                created_at=now_ms - (26 + 5 * cluster_id) * _HOUR_MS,
                guilds=1_180 + 37 * cluster_id,
                members=98_500 + 4_211 * cluster_id,
                shards=shards,
            )
        )
    return clusters
