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
from dataclasses import dataclass

from shared_types import ClusterStatus

MAX_SNOWFLAKE = 2**64 - 1
_DIGITS = re.compile(r"[0-9]{17,20}")
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
