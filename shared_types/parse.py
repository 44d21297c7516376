"""Turn an untrusted acknowledgement payload into validated clusters plus problems.

One malformed cluster (or shard) is reported and skipped; it never blanks the page.
Problems are short English sentences meant for the console, not for the page.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .models import CLUSTER_LIFECYCLE, ClusterStatus, ShardStatusData

# Text from the network is shown only after truncation: a hostile server cannot fill the page.
MAX_ERROR_CHARS = 200
# Largest integer JavaScript holds exactly: anything above is not a real count or id.
MAX_SAFE_INTEGER = 2**53 - 1


@dataclass(frozen=True, slots=True)
class ParsedStatus:
    clusters: list[ClusterStatus] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # The server's own error text from {success: false, error}: cleaned, safe to show.
    error: str | None = None
    # The payload as a whole is neither a list nor an envelope (details in problems).
    unreadable: bool = False

    @property
    def has_fleet(self) -> bool:
        return self.error is None and not self.unreadable


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
    if value > MAX_SAFE_INTEGER:
        raise _Invalid(f"{key!r} is absurdly large")
    return value


def _optional_count(entry: dict, key: str) -> int | None:
    if key not in entry or entry[key] is None:
        return None
    return _int_field(entry, key, minimum=0)


def _parse_shard(entry: Any) -> ShardStatusData:
    # Fast path for the usual well-formed shard (a big fleet has thousands a refresh);
    # anything else takes the checked path below, which says what is wrong. `type(x) is
    # int` also refuses bool, as _is_int does.
    if type(entry) is dict:
        shard_id, ping, status = entry.get("id"), entry.get("ping"), entry.get("status")
        if (
            type(shard_id) is int
            and type(ping) is int
            and type(status) is int
            and 0 <= shard_id <= MAX_SAFE_INTEGER
            and -1 <= ping <= MAX_SAFE_INTEGER
            and 0 <= status <= MAX_SAFE_INTEGER
        ):
            return ShardStatusData(shard_id, ping, status)
    return _parse_shard_checked(entry)


def _parse_shard_checked(entry: Any) -> ShardStatusData:
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
    if not isinstance(shard_list, list) or not all(
        _is_int(s) and 0 <= s <= MAX_SAFE_INTEGER for s in shard_list
    ):
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
        owned = set(shard_list)
        for raw in raw_shards:
            try:
                shard = _parse_shard(raw)
            except _Invalid as exc:
                problems.append(f"cluster {cluster_id}: shard skipped: {exc}")
                continue
            if shard.id in seen:
                problems.append(f"cluster {cluster_id}: duplicate shard {shard.id} skipped")
                continue
            if shard.id not in owned:
                problems.append(f"cluster {cluster_id}: shard {shard.id} not in shardList, skipped")
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


def clean_text(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """Text from the network, fit to show: whitespace folded to spaces, control and
    format characters (bidi overrides, zero-width) dropped, length capped."""
    kept = []
    for char in text[: limit * 4]:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(char)
    return " ".join("".join(kept).split())[:limit]


def parse_status_payload(payload: Any) -> ParsedStatus:
    """Accept the bare list and the ``{success, data | error}`` envelope."""
    if isinstance(payload, dict) and payload.get("success") is False:
        error = payload.get("error")
        # "" when the server gave no usable text: the page then says so in its own words.
        return ParsedStatus(error=clean_text(error) if isinstance(error, str) else "")
    if isinstance(payload, dict) and payload.get("success") is True:
        payload = payload.get("data")
    if not isinstance(payload, list):
        return ParsedStatus(
            unreadable=True,
            problems=[f"payload is not a list of clusters: {type(payload).__name__}"],
        )
    entries = payload
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
