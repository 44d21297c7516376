"""The status maths: the overall state of the fleet and its totals.

overall_state(clusters)            # "unknown" | "operational" | "degraded" | "outage"
fleet_totals(clusters, table)      # FleetTotals(clusters_running=3, ...)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared_types import ClusterStatus

from .shard_states import ShardState

OVERALL_STATES = ("unknown", "operational", "degraded", "outage")
# Not a fleet state: what the page claims once its data is too old to vouch for.
STALE = "stale"


def overall_state(clusters: Sequence[ClusterStatus]) -> str:
    """DESIGN.md's formula, exactly: a `starting` cluster among running ones is degraded."""
    if not clusters:
        return "unknown"
    if all(c.status == "running" for c in clusters):
        return "operational"
    if all(c.status == "stopped" for c in clusters):
        return "outage"
    return "degraded"


def is_stale(data_age_ms: int, poll_interval_ms: int) -> bool:
    """Data older than two poll intervals no longer vouches for the fleet."""
    return data_age_ms > 2 * poll_interval_ms


@dataclass(frozen=True, slots=True)
class FleetTotals:
    clusters_running: int
    clusters_total: int
    shards_ready: int
    shards_total: int
    guilds: int
    members: int
    mean_ping_ms: int | None  # None when no shard has acknowledged a heartbeat


def fleet_totals(clusters: Sequence[ClusterStatus], table: dict[int, ShardState]) -> FleetTotals:
    shards = [shard for cluster in clusters for shard in cluster.shards]
    pings = [shard.ping for shard in shards if shard.ping >= 0]
    ready = {number for number, state in table.items() if state.severity == "ok"}
    return FleetTotals(
        clusters_running=sum(1 for c in clusters if c.running),
        clusters_total=len(clusters),
        shards_ready=sum(1 for s in shards if s.status in ready),  # unknown: not ready
        # Stopped and starting clusters still own their shards: count them as not ready.
        shards_total=sum(max(len(c.shard_list), len(c.shards)) for c in clusters),
        guilds=sum(c.guilds or 0 for c in clusters if c.running),
        members=sum(c.members or 0 for c in clusters if c.running),
        mean_ping_ms=round(sum(pings) / len(pings)) if pings else None,
    )
