"""Runtime configuration: written by build.py into the page, read once at start.

config = RuntimeConfig.from_mapping(json.loads(text))
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .shard_states import DEFAULT_SHARD_STATES, SHARD_STATE_TABLES


@dataclass(frozen=True, slots=True)
class RuntimeConfig:
    api_url: str = "http://localhost:3000"
    ws_url: str = "http://localhost:4000"
    token_path: str = "/token"
    poll_seconds: float = 15.0
    ack_timeout_seconds: float = 10.0
    mock_fallback: bool = True
    # Reconnect and token refetch: exponential backoff with full jitter.
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 60.0
    shard_states: str = DEFAULT_SHARD_STATES

    def __post_init__(self):
        if not (self.api_url.startswith(("http://", "https://"))):
            raise ValueError(f"api_url must be http(s): {self.api_url!r}")
        if not (self.ws_url.startswith(("http://", "https://", "ws://", "wss://"))):
            raise ValueError(f"ws_url must be http(s) or ws(s): {self.ws_url!r}")
        if not self.token_path.startswith("/"):
            raise ValueError(f"token_path must start with '/': {self.token_path!r}")
        if not 1 <= self.poll_seconds <= 3600:
            raise ValueError(f"poll_seconds out of range: {self.poll_seconds}")
        if not 0.1 <= self.ack_timeout_seconds <= 120:
            raise ValueError(f"ack_timeout_seconds out of range: {self.ack_timeout_seconds}")
        if not 0 < self.backoff_base_seconds <= self.backoff_cap_seconds <= 3600:
            raise ValueError("backoff needs 0 < base <= cap <= 3600 seconds")
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
