"""What a shard's numeric state means: one table per numbering, as data.

The backend sends discord.js ``Status`` numbers. ``@discordjs/ws``'s
``WebSocketShardStatus`` uses different numbers for similar names, so the table is
selectable (build option ``--shard-states``) instead of being baked into the code.

    table = SHARD_STATE_TABLES["discordjs"]
    state = describe_shard_state(0, table)    # ShardState(name="Ready", severity="ok", ...)
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a string for translation; the renderer translates it at display time."""
    return message


@dataclass(frozen=True, slots=True)
class ShardState:
    name: str  # the library's own name, e.g. "Ready" (stable: the data-shard-state hook)
    severity: str  # "ok" | "warn" | "down" | "unknown": drives colour, icon and totals
    label: str  # msgid shown to visitors, translated by the renderer


UNKNOWN_STATE = ShardState("Unknown", "unknown", N_("Unknown state"))

SHARD_STATE_TABLES: dict[str, dict[int, ShardState]] = {
    # discord.js Status enum (v14).
    "discordjs": {
        0: ShardState("Ready", "ok", N_("Ready")),
        1: ShardState("Connecting", "warn", N_("Connecting")),
        2: ShardState("Reconnecting", "warn", N_("Reconnecting")),
        3: ShardState("Idle", "down", N_("Idle")),
        4: ShardState("Nearly", "warn", N_("Nearly ready")),
        5: ShardState("Disconnected", "down", N_("Disconnected")),
        6: ShardState("WaitingForGuilds", "warn", N_("Waiting for guilds")),
        7: ShardState("Identifying", "warn", N_("Identifying")),
        8: ShardState("Resuming", "warn", N_("Resuming")),
    },
    # @discordjs/ws WebSocketShardStatus.
    "discordjs-ws": {
        0: ShardState("Idle", "down", N_("Idle")),
        1: ShardState("Connecting", "warn", N_("Connecting")),
        2: ShardState("Resuming", "warn", N_("Resuming")),
        3: ShardState("Ready", "ok", N_("Ready")),
    },
}

DEFAULT_SHARD_STATES = "discordjs"


def describe_shard_state(status: int, table: dict[int, ShardState]) -> ShardState:
    """Unknown numbers are shown as unknown, never as healthy."""
    return table.get(status, UNKNOWN_STATE)
