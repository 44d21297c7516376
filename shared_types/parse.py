"""Turn an untrusted acknowledgement payload into validated clusters plus problems.

One malformed cluster (or shard) is reported and skipped; it never blanks the page.
Problems are short English sentences meant for the console, not for the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import CLUSTER_LIFECYCLE, ClusterStatus, ShardStatusData

# Text from the network is shown only after truncation: a hostile server cannot fill the page.
MAX_ERROR_CHARS = 200


@dataclass(frozen=True, slots=True)
class ParsedStatus:
    clusters: list[ClusterStatus] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Set when the payload as a whole carries no fleet: an error envelope or a bad shape.
    error: str | None = None


class _Invalid(ValueError):
    """One entry is unusable; the message says why."""


def _is_int(value: Any) -> bool:
    # bool is an int subclass in Python, but `true` is never a count on the wire.
    return isinstance(value, int) and not isinstance(value, bool)


def _int_field(entry: dict, key: str, *, minimum: int) -> int:
    if key not in entry:
        raise _Invalid(f"missing {key!r}")
    value = entry[key]
    if not _is_int(value):
        raise _Invalid(f"{key!r} is not an integer: {type(value).__name__}")
    if value < minimum:
        raise _Invalid(f"{key!r} is below {minimum}: {value}")
    return value


def _optional_count(entry: dict, key: str) -> int | None:
    if key not in entry or entry[key] is None:
        return None
    return _int_field(entry, key, minimum=0)


def _parse_shard(entry: Any) -> ShardStatusData:
    if not isinstance(entry, dict):
        raise _Invalid(f"shard is not an object: {type(entry).__name__}")
    return ShardStatusData(
        id=_int_field(entry, "id", minimum=0),
        ping=_int_field(entry, "ping", minimum=-1),
        status=_int_field(entry, "status", minimum=0),
    )


def _parse_cluster(entry: Any, problems: list[str]) -> ClusterStatus:
    if not isinstance(entry, dict):
        raise _Invalid(f"cluster is not an object: {type(entry).__name__}")
    cluster_id = _int_field(entry, "id", minimum=0)
    status = entry.get("status")
    if status not in CLUSTER_LIFECYCLE:
        raise _Invalid(f"cluster {cluster_id}: unknown status {str(status)[:40]!r}")
    shard_list = entry.get("shardList")
    if not isinstance(shard_list, list) or not all(_is_int(s) and s >= 0 for s in shard_list):
        raise _Invalid(f"cluster {cluster_id}: 'shardList' is not a list of shard ids")
    created_at = _int_field(entry, "createdAt", minimum=0)

    guilds = members = None
    shards: list[ShardStatusData] = []
    if status == "running":
        guilds = _optional_count(entry, "guilds")
        members = _optional_count(entry, "members")
        raw_shards = entry.get("shards", [])
        if not isinstance(raw_shards, list):
            raise _Invalid(f"cluster {cluster_id}: 'shards' is not a list")
        seen: set[int] = set()
        for raw in raw_shards:
            try:
                shard = _parse_shard(raw)
            except _Invalid as exc:
                problems.append(f"cluster {cluster_id}: shard skipped: {exc}")
                continue
            if shard.id in seen:
                problems.append(f"cluster {cluster_id}: duplicate shard {shard.id} skipped")
                continue
            seen.add(shard.id)
            shards.append(shard)
    return ClusterStatus(
        id=cluster_id,
        status=status,
        shard_list=tuple(shard_list),
        created_at=created_at,
        guilds=guilds,
        members=members,
        shards=tuple(shards),
    )


def _unwrap(payload: Any) -> tuple[list | None, str | None]:
    """Accept the bare list and the ``{success, data | error}`` envelope."""
    if isinstance(payload, list):
        return payload, None
    if isinstance(payload, dict) and "success" in payload:
        if payload["success"] is True:
            data = payload.get("data")
            if isinstance(data, list):
                return data, None
            return None, "the server's envelope carries no list of clusters"
        error = payload.get("error")
        text = error if isinstance(error, str) else "the server reported an error"
        return None, text[:MAX_ERROR_CHARS]
    return None, f"unexpected payload: {type(payload).__name__}"


def parse_status_payload(payload: Any) -> ParsedStatus:
    entries, error = _unwrap(payload)
    if entries is None:
        return ParsedStatus(error=error)
    clusters: list[ClusterStatus] = []
    problems: list[str] = []
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        try:
            cluster = _parse_cluster(entry, problems)
        except _Invalid as exc:
            problems.append(f"entry {index} skipped: {exc}")
            continue
        if cluster.id in seen:
            problems.append(f"entry {index} skipped: duplicate cluster id {cluster.id}")
            continue
        seen.add(cluster.id)
        clusters.append(cluster)
    clusters.sort(key=lambda c: c.id)
    return ParsedStatus(clusters=clusters, problems=problems)
