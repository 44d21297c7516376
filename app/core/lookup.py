"""Find my server: which shard (and cluster) serves a guild.

Discord's rule: ``shard = (guild_id >> 22) % total_shards``, computed here with Python
integers, exact for every 64-bit snowflake. The cluster is then looked up in the clusters'
``shardList``s, never derived by arithmetic.

    query = parse_guild_query("https://discord.com/channels/81384788765712384/381887")
    shard_for_guild(query.guild_id, total_shards=16)      # -> 4
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from shared_types import ClusterStatus

from .shard_states import describe_shard_state

MAX_SNOWFLAKE = 2**64 - 1
_DIGITS = re.compile(r"[1-9][0-9]{16,19}")  # no leading zero: it would not round-trip
MAX_INPUT_CHARS = 200  # longer input is refused whole, never cut down to something valid
# A message or channel link: https://[ptb.|canary.]discord[app].com/channels/<guild>/...
_LINK = re.compile(
    r"https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/([^/\s]+)(?:/[^\s]*)?"
)

# Why an input gave no shard (msgids are in app/templates/lookup.html).
EMPTY, NOT_AN_ID, TOO_LARGE, DM_LINK = "empty", "not-an-id", "too-large", "dm-link"


@dataclass(frozen=True, slots=True)
class GuildQuery:
    guild_id: int | None
    error: str | None = None


def parse_guild_query(text: str) -> GuildQuery:
    """A guild ID (17 to 20 digits) or a Discord channel/message link containing one."""
    if len(text) > MAX_INPUT_CHARS:
        return GuildQuery(None, NOT_AN_ID)
    text = text.strip()
    if not text:
        return GuildQuery(None, EMPTY)
    link = _LINK.fullmatch(text)
    if link:
        if link.group(1) == "@me":
            return GuildQuery(None, DM_LINK)
        text = link.group(1)
    if not _DIGITS.fullmatch(text):
        return GuildQuery(None, NOT_AN_ID)
    guild_id = int(text)
    if guild_id > MAX_SNOWFLAKE:
        return GuildQuery(None, TOO_LARGE)
    return GuildQuery(guild_id)


def shard_for_guild(guild_id: int, total_shards: int) -> int:
    if total_shards < 1:
        raise ValueError("total_shards must be at least 1")
    return (guild_id >> 22) % total_shards


@dataclass(frozen=True, slots=True)
class ShardCount:
    total: int | None  # None: no clusters known yet
    configured: bool  # True: from the build option; False: derived from shardLists


def total_shards(clusters: Sequence[ClusterStatus], configured: int | None) -> ShardCount:
    if configured:
        return ShardCount(configured, True)
    ids = [shard for cluster in clusters for shard in cluster.shard_list]
    return ShardCount(max(ids) + 1 if ids else None, False)


def cluster_for_shard(clusters: Sequence[ClusterStatus], shard_id: int) -> ClusterStatus | None:
    for cluster in clusters:
        if shard_id in cluster.shard_list:
            return cluster
    return None


@dataclass(frozen=True, slots=True)
class LookupView:
    """The lookup's answer, as the lookup_result template shows it."""

    error: str | None = None  # EMPTY, NOT_AN_ID, TOO_LARGE, DM_LINK
    waiting: bool = False  # a valid ID, but no fleet known yet
    shard_id: int | None = None
    total_shards: int | None = None
    configured: bool = False
    cluster_id: int | None = None  # None with a shard: no cluster lists that shard
    cluster_status: str | None = None
    shard_state: object | None = None  # ShardState; None when the cluster sends no shards
    ping_text: str | None = None

    @property
    def found(self) -> tuple[int, int] | None:
        if self.shard_id is None or self.cluster_id is None:
            return None
        return (self.cluster_id, self.shard_id)


def build_lookup_view(
    query: GuildQuery | None,
    clusters: Sequence[ClusterStatus] | None,
    *,
    configured_total: int | None,
    table,
    fmt,
) -> LookupView | None:
    """None when nothing was asked."""
    if query is None:
        return None
    if query.error is not None:
        return LookupView(error=query.error)
    count = total_shards(clusters or [], configured_total)
    if count.total is None:
        return LookupView(waiting=True)
    shard_id = shard_for_guild(query.guild_id, count.total)
    base = LookupView(shard_id=shard_id, total_shards=count.total, configured=count.configured)
    cluster = cluster_for_shard(clusters or [], shard_id)
    if cluster is None:
        return base
    shard = next((s for s in cluster.shards if s.id == shard_id), None)
    return replace(
        base,
        cluster_id=cluster.id,
        cluster_status=cluster.status,
        shard_state=describe_shard_state(shard.status, table) if shard else None,
        ping_text=(fmt.ping(shard.ping) if shard.ping >= 0 else None) if shard else None,
    )
