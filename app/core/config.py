"""Runtime configuration: written by build.py into the page, read once at start.

config = RuntimeConfig.from_mapping(json.loads(text))
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from .shard_states import DEFAULT_SHARD_STATES, SHARD_STATE_TABLES

# These values end up in the CSP and in the page: allow what a URL needs and no more
# (a ";" or a quote would let a bad option rewrite the policy).
_URL_CHARS = re.compile(r"[A-Za-z0-9._~:/\-\[\]%]+")
_PATH = re.compile(r"/[A-Za-z0-9._~/\-]*")


def _check_url(name: str, url: str, schemes: tuple[str, ...]) -> None:
    parts = urlsplit(url)
    if parts.scheme not in schemes or not _URL_CHARS.fullmatch(url):
        raise ValueError(f"{name} must be an {'/'.join(schemes)} URL: {url!r}")
    if not parts.hostname or parts.query or parts.fragment or parts.username:
        raise ValueError(f"{name} needs a host and no query, fragment or user: {url!r}")
    try:
        parts.port  # noqa: B018 - raises on a bad port number
    except ValueError:
        raise ValueError(f"{name} has a bad port: {url!r}") from None


@dataclass(frozen=True, slots=True)
class RuntimeConfig:
    api_url: str = "http://localhost:3000"
    ws_url: str = "http://localhost:4000"
    token_path: str = "/token"
    poll_seconds: float = 15.0
    ack_timeout_seconds: float = 10.0
    mock_fallback: bool = True
    # Reconnect and token refetch: exponential backoff with full jitter.
    backoff_base_seconds: float = 3.0
    backoff_cap_seconds: float = 60.0
    shard_states: str = DEFAULT_SHARD_STATES
    # The bot's shard count, for the guild lookup; None: derived from the shardLists.
    total_shards: int | None = None

    def __post_init__(self):
        _check_url("api_url", self.api_url, ("http", "https"))
        _check_url("ws_url", self.ws_url, ("http", "https", "ws", "wss"))
        if not _PATH.fullmatch(self.token_path):
            raise ValueError(
                f"token_path must be a plain path starting with '/': {self.token_path!r}"
            )
        for name in (
            "poll_seconds",
            "ack_timeout_seconds",
            "backoff_base_seconds",
            "backoff_cap_seconds",
        ):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be a finite number")
        if not 1 <= self.poll_seconds <= 3600:
            raise ValueError(f"poll_seconds out of range: {self.poll_seconds}")
        if not 0.1 <= self.ack_timeout_seconds <= 120:
            raise ValueError(f"ack_timeout_seconds out of range: {self.ack_timeout_seconds}")
        if not 0 < self.backoff_base_seconds <= self.backoff_cap_seconds <= 3600:
            raise ValueError("backoff needs 0 < base <= cap <= 3600 seconds")
        if self.total_shards is not None and not (
            isinstance(self.total_shards, int) and 1 <= self.total_shards <= 1_000_000
        ):
            raise ValueError(f"total_shards must be between 1 and 1000000: {self.total_shards}")
        if self.shard_states not in SHARD_STATE_TABLES:
            raise ValueError(f"unknown shard state table: {self.shard_states!r}")

    @property
    def token_url(self) -> str:
        return self.api_url.rstrip("/") + self.token_path

    @property
    def poll_interval_ms(self) -> int:
        return int(self.poll_seconds * 1000)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> RuntimeConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_mapping(self) -> dict[str, Any]:
        return asdict(self)
