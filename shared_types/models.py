"""Wire types: names and meaning follow the backend's TypeScript interfaces."""

from __future__ import annotations

from dataclasses import dataclass, field

# ClusterStatus.status: the lifecycle of one cluster process.
CLUSTER_LIFECYCLE = ("starting", "running", "stopped")


@dataclass(frozen=True, slots=True)
class ShardStatusData:
    """One shard. ``ping`` is in ms, -1 until a heartbeat was acknowledged.

    ``status`` is the raw discord.js ``Status`` number; what it means is looked up in a
    state table (app.core.shard_states), never here.
    """

    id: int
    ping: int
    status: int

    def to_wire(self) -> dict:
        return {"id": self.id, "ping": self.ping, "status": self.status}


@dataclass(frozen=True, slots=True)
class ClusterStatus:
    """One cluster. ``guilds``, ``members`` and ``shards`` are sent only while running."""

    id: int
    status: str
    shard_list: tuple[int, ...]
    created_at: int  # unix ms
    guilds: int | None = None
    members: int | None = None
    shards: tuple[ShardStatusData, ...] = field(default_factory=tuple)

    @property
    def running(self) -> bool:
        return self.status == "running"

    def to_wire(self) -> dict:
        wire: dict = {
            "id": self.id,
            "status": self.status,
            "shardList": list(self.shard_list),
            "createdAt": self.created_at,
        }
        if self.running:
            wire["guilds"] = self.guilds if self.guilds is not None else 0
            wire["members"] = self.members if self.members is not None else 0
            wire["shards"] = [shard.to_wire() for shard in self.shards]
        return wire
