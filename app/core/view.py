"""From validated clusters to what the templates show: one view object per visible thing.

Formatting and state lookups happen here, once; templates only lay it out and translate.

    view = build_page_view(clusters, now_ms=..., source="live", updated_ms=..., ...)
    renderer.cluster_card(view.clusters[0])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from shared_types import ClusterStatus

from .formatting import LocaleFormat
from .shard_states import UNKNOWN_STATE, ShardState, describe_shard_state
from .status import STALE, FleetTotals, fleet_totals, is_stale, overall_state

# createdAt below this (March 1973 in ms) is not a plausible start time; most likely the
# backend sent seconds. Such a cluster shows no uptime rather than "56 years".
MIN_PLAUSIBLE_CREATED_AT_MS = 10**11

# A page that renders every shard of an absurd fleet freezes for seconds per refresh;
# past this many shards the cards stop (totals still count everything) and a notice
# says how many clusters are shown.
MAX_RENDERED_SHARDS = 4096
_BY_ID = attrgetter("id")

# Data sources the page can be looking at (the data-source hook). "connecting" is the
# prerendered shell's; "sample" is the built-in fleet, always labelled as such.
DATA_SOURCES = ("connecting", "live", "reconnecting", "paused", "stale", "unreachable", "sample")


@dataclass(frozen=True, slots=True)
class UiState:
    """What the visitor is doing, as far as rendering needs to know."""

    selected: tuple[int, int] | None = None  # (cluster, shard) whose popover is open
    found: tuple[int, int] | None = None  # (cluster, shard) the lookup found
    highlighted_cluster: int | None = None  # from a ?cluster= deep link
    filter_state: str | None = None  # show only shards in this state (legend)
    # (cluster, shard) pairs holding each grid's one tab stop (roving tabindex).
    active: tuple[tuple[int, int], ...] = ()


NO_UI = UiState()


class ShardView(NamedTuple):
    """A NamedTuple, not a dataclass: a big fleet builds thousands a refresh, and tuples
    are built and compared in C."""

    id: int
    cluster_id: int
    state: ShardState
    ping: int
    ping_text: str | None  # None: awaiting heartbeat
    selected: bool
    found: bool
    tabbable: bool = False  # the grid's one tab stop; arrow keys move it


@dataclass(frozen=True, slots=True)
class ClusterView:
    id: int
    status: str  # starting | running | stopped
    uptime_text: str | None
    guilds_text: str | None
    members_text: str | None
    shard_count: int
    shards: tuple[ShardView, ...]
    highlighted: bool = False
    shards_hidden: int = 0  # past MAX_RENDERED_SHARDS within this one cluster


@dataclass(frozen=True, slots=True)
class TotalsView:
    clusters_running: int
    clusters_total: int
    shards_ready: int
    shards_total: int
    guilds: int
    guilds_text: str
    members: int
    members_text: str
    mean_ping_text: str | None
    # the "3 of 4" counts, grouped for the locale ("1.024 von 2.048")
    clusters_running_text: str = ""
    clusters_total_text: str = ""
    shards_ready_text: str = ""
    shards_total_text: str = ""


@dataclass(frozen=True, slots=True)
class PageView:
    overall: str  # unknown | operational | degraded | outage | stale
    fleet_overall: str  # the formula's answer, even when the data is stale
    source: str
    updated_ms: int | None
    updated_text: str | None  # clock time, for "no fresh data since"
    updated_ago: str | None  # "12 seconds ago"; the page keeps it ticking
    updated_full: str | None  # date, time and UTC offset, on hover and focus
    totals: TotalsView | None
    clusters: tuple[ClusterView, ...]
    clusters_hidden: int  # clusters left out of the cards (MAX_RENDERED_SHARDS)
    clusters_shown_text: str  # how many cards, formatted for the locale
    clusters_total_text: str
    notice: str | None  # the server's error text, escaped on render ("" = none given)
    unreadable: bool  # the last answer could not be read as a fleet
    ignored_entries: int
    legend: tuple[LegendEntry, ...] = ()
    filter_state: str | None = None


@dataclass(frozen=True, slots=True)
class LegendEntry:
    state: ShardState
    count: int
    count_text: str
    pressed: bool


def _shard_views(cluster: ClusterStatus, table, fmt, ui: UiState) -> list[ShardView]:
    """One view per shard, sorted by id: positional NamedTuples and per-cluster look-ups,
    as this runs for every shard of every refresh."""
    cluster_id = cluster.id
    selected = ui.selected[1] if ui.selected and ui.selected[0] == cluster_id else None
    found = ui.found[1] if ui.found and ui.found[0] == cluster_id else None
    ping_text = fmt.ping
    return [
        ShardView(
            shard.id,
            cluster_id,
            describe_shard_state(shard.status, table),
            shard.ping,
            ping_text(shard.ping) if shard.ping >= 0 else None,
            shard.id == selected,
            shard.id == found,
        )
        for shard in sorted(cluster.shards, key=_BY_ID)
    ]


def build_cluster_view(
    cluster: ClusterStatus,
    *,
    now_ms: int,
    table: dict[int, ShardState],
    fmt: LocaleFormat,
    ui: UiState = NO_UI,
) -> ClusterView:
    running = cluster.running
    uptime_ms = now_ms - cluster.created_at
    grid = _grid(cluster, table, fmt, ui)
    return ClusterView(
        id=cluster.id,
        status=cluster.status,
        # Only a running cluster has an uptime, and only a sane createdAt gives one.
        uptime_text=fmt.duration(uptime_ms / 1000)
        if running and cluster.created_at >= MIN_PLAUSIBLE_CREATED_AT_MS and uptime_ms >= 0
        else None,
        guilds_text=fmt.number(cluster.guilds) if running and cluster.guilds is not None else None,
        members_text=fmt.number(cluster.members)
        if running and cluster.members is not None
        else None,
        shard_count=max(len(cluster.shard_list), len(cluster.shards)),
        shards=grid[:MAX_RENDERED_SHARDS],
        highlighted=ui.highlighted_cluster == cluster.id,
        shards_hidden=max(0, len(grid) - MAX_RENDERED_SHARDS),
    )


def _grid(cluster: ClusterStatus, table, fmt, ui: UiState) -> tuple[ShardView, ...]:
    shards = _shard_views(cluster, table, fmt, ui)
    if ui.filter_state is not None:
        shards = [s for s in shards if s.state.name == ui.filter_state]
    if not shards:
        return ()
    active = dict(ui.active).get(cluster.id)
    stop = active if any(s.id == active for s in shards) else shards[0].id
    return tuple(s._replace(tabbable=True) if s.id == stop else s for s in shards)


def _totals_view(totals: FleetTotals, fmt: LocaleFormat) -> TotalsView:
    return TotalsView(
        clusters_running=totals.clusters_running,
        clusters_total=totals.clusters_total,
        shards_ready=totals.shards_ready,
        shards_total=totals.shards_total,
        guilds=totals.guilds,
        guilds_text=fmt.number(totals.guilds),
        members=totals.members,
        members_text=fmt.number(totals.members),
        mean_ping_text=fmt.ping(totals.mean_ping_ms) if totals.mean_ping_ms is not None else None,
        clusters_running_text=fmt.number(totals.clusters_running),
        clusters_total_text=fmt.number(totals.clusters_total),
        shards_ready_text=fmt.number(totals.shards_ready),
        shards_total_text=fmt.number(totals.shards_total),
    )


def _within_budget(clusters: list[ClusterStatus]) -> list[ClusterStatus]:
    shards = 0
    for index, cluster in enumerate(clusters):
        shards += max(len(cluster.shards), 1)
        if shards > MAX_RENDERED_SHARDS and index > 0:
            return clusters[:index]
    return clusters


def build_page_view(
    clusters: Sequence[ClusterStatus] | None,
    *,
    now_ms: int,
    source: str,
    updated_ms: int | None,
    poll_interval_ms: int,
    table: dict[int, ShardState],
    fmt: LocaleFormat,
    ui: UiState = NO_UI,
    notice: str | None = None,
    unreadable: bool = False,
    ignored_entries: int = 0,
) -> PageView:
    """``clusters`` None means no data yet (the prerendered "checking" shell)."""
    if source not in DATA_SOURCES:
        raise ValueError(f"unknown data source: {source!r}")
    clusters = list(clusters or [])
    fleet = overall_state(clusters)
    overall = fleet
    if (
        source != "sample"
        and updated_ms is not None
        and is_stale(now_ms - updated_ms, poll_interval_ms)
    ):
        # Old data never keeps a healthy face: the banner stops claiming any fleet state.
        overall, source = STALE, "stale"
    has_data = updated_ms is not None
    shown = _within_budget(clusters)
    cluster_views = tuple(
        build_cluster_view(c, now_ms=now_ms, table=table, fmt=fmt, ui=ui) for c in shown
    )
    if ui.filter_state is not None:
        # Only clusters with a shard in that state; their other shards are left out.
        cluster_views = tuple(c for c in cluster_views if c.shards)
    return PageView(
        overall=overall,
        fleet_overall=fleet,
        source=source,
        updated_ms=updated_ms,
        updated_text=fmt.clock_time(updated_ms) if has_data else None,
        updated_ago=fmt.age(now_ms - updated_ms) if has_data else None,
        updated_full=fmt.date_time_with_zone(updated_ms) if has_data else None,
        totals=_totals_view(fleet_totals(clusters, table), fmt) if has_data else None,
        clusters=cluster_views,
        clusters_hidden=len(clusters) - len(shown),
        clusters_shown_text=fmt.number(len(shown)),
        clusters_total_text=fmt.number(len(clusters)),
        notice=notice,
        unreadable=unreadable,
        ignored_entries=ignored_entries,
        legend=_legend(clusters, table, fmt, ui.filter_state) if has_data else (),
        filter_state=ui.filter_state,
    )


def _legend(clusters, table, fmt, filter_state) -> tuple[LegendEntry, ...]:
    """Shards per state over the whole fleet, in the table's order, unknown last."""
    by_number = Counter(shard.status for cluster in clusters for shard in cluster.shards)
    counts: dict[str, int] = {}
    for number, count in by_number.items():  # a few distinct numbers, not every shard
        name = describe_shard_state(number, table).name
        counts[name] = counts.get(name, 0) + count
    states = [*dict.fromkeys(table.values()), UNKNOWN_STATE]
    return tuple(
        LegendEntry(
            state,
            counts.get(state.name, 0),
            fmt.number(counts.get(state.name, 0)),
            state.name == filter_state,
        )
        for state in states
        if counts.get(state.name) or state.name == filter_state
    )
