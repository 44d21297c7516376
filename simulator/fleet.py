"""A simulated fleet that changes over time the way a real bot's does.

Clusters restart through ``starting``; shards drop and come back through reconnecting
states with no ping until their first heartbeat; pings jitter; guilds and members drift.

    fleet = SimulatedFleet(clusters=4, shards_per_cluster=4, seed=1, now_ms=now)
    fleet.tick(now_ms)            # advance one step (the server calls this every second)
    fleet.to_wire()               # list[ClusterStatus] as JSON-ready dicts
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

READY, CONNECTING, RECONNECTING, RESUMING, IDENTIFYING = 0, 1, 2, 8, 7
# A shard coming back walks these discord.js states, one per tick, then is Ready.
_RECOVERY = (RECONNECTING, IDENTIFYING, RESUMING)


@dataclass
class _Shard:
    id: int
    ping: int
    status: int = READY
    recovery: list[int] = field(default_factory=list)


@dataclass
class _Cluster:
    id: int
    shard_ids: list[int]
    created_at: int
    guilds: int
    members: int
    status: str = "running"
    starting_ticks: int = 0
    shards: list[_Shard] = field(default_factory=list)


class SimulatedFleet:
    def __init__(
        self,
        *,
        clusters: int = 4,
        shards_per_cluster: int = 4,
        seed: int | None = None,
        now_ms: int,
        restart_chance: float = 0.01,
        drop_chance: float = 0.01,
    ):
        self.rng = random.Random(seed)
        self.restart_chance = restart_chance
        self.drop_chance = drop_chance
        self.clusters: list[_Cluster] = []
        for cluster_id in range(clusters):
            shard_ids = list(
                range(cluster_id * shards_per_cluster, (cluster_id + 1) * shards_per_cluster)
            )
            cluster = _Cluster(
                id=cluster_id,
                shard_ids=shard_ids,
                created_at=now_ms - self.rng.randint(3_600_000, 9 * 86_400_000),
                guilds=self.rng.randint(900, 2_500) * shards_per_cluster // 4,
                members=0,
            )
            cluster.members = cluster.guilds * self.rng.randint(60, 140)
            cluster.shards = [_Shard(id=s, ping=self.rng.randint(30, 120)) for s in shard_ids]
            self.clusters.append(cluster)

    def tick(self, now_ms: int) -> None:
        rng = self.rng
        for cluster in self.clusters:
            if cluster.status == "starting":
                cluster.starting_ticks -= 1
                if cluster.starting_ticks <= 0:
                    cluster.status = "running"
                    cluster.created_at = now_ms
                    for shard in cluster.shards:
                        shard.status, shard.ping, shard.recovery = CONNECTING, -1, list(_RECOVERY)
                continue
            if cluster.status == "running" and rng.random() < self.restart_chance:
                cluster.status, cluster.starting_ticks = "starting", rng.randint(3, 8)
                continue
            for shard in cluster.shards:
                self._tick_shard(shard)
            cluster.guilds = max(0, cluster.guilds + rng.choice((-1, 0, 0, 0, 1, 1)))
            cluster.members = max(0, cluster.members + rng.randint(-40, 60))

    def _tick_shard(self, shard: _Shard) -> None:
        rng = self.rng
        if shard.recovery:
            shard.status = shard.recovery.pop(0)
            return
        if shard.status != READY:
            shard.status = READY  # back; the first heartbeat is still to come (ping -1)
            return
        if rng.random() < self.drop_chance:
            shard.status, shard.ping, shard.recovery = RECONNECTING, -1, list(_RECOVERY[1:])
            return
        base = shard.ping if shard.ping >= 0 else rng.randint(30, 120)
        shard.ping = max(8, min(900, base + rng.randint(-12, 12)))

    def to_wire(self) -> list[dict]:
        wire = []
        for cluster in self.clusters:
            entry: dict = {
                "id": cluster.id,
                "status": cluster.status,
                "shardList": list(cluster.shard_ids),
                "createdAt": cluster.created_at,
            }
            if cluster.status == "running":
                entry["guilds"] = cluster.guilds
                entry["members"] = cluster.members
                entry["shards"] = [
                    {"id": s.id, "ping": s.ping, "status": s.status} for s in cluster.shards
                ]
            wire.append(entry)
        return wire
