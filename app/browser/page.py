"""Show a core Snapshot in the page: banner, cluster cards, popover, title, favicon.

All decisions come from app.core (view, renderer, lookup); this module only patches the
DOM and turns clicks and keys into UI state.

    page = StatusPage(config, locale="de")
    page.show(snapshot)            # LiveStatus's on_change
"""

from __future__ import annotations

import json
from pathlib import Path

import js
from pyodide.ffi import create_proxy, to_js

import app
from app.core.config import RuntimeConfig
from app.core.deeplink import parse_deep_link, with_guild
from app.core.formatting import LocaleFormat
from app.core.i18n import load_translations
from app.core.live import Snapshot
from app.core.lookup import build_lookup_view, parse_guild_query
from app.core.render import COMPILED_TEMPLATES_DIR, OVERALL_LABELS, SHARD_ATTRIBUTES, Renderer
from app.core.shard_states import SHARD_STATE_TABLES
from app.core.status import is_stale
from app.core.view import ClusterView, UiState, build_page_view

from .dom import element_or_none, morph, parse_html
from .favicon import Favicon

LOCALES_DIR = Path(app.__file__).resolve().parent / "locales"


def _now_ms() -> int:
    return int(js.Date.now())


class StatusPage:
    def __init__(self, config: RuntimeConfig, locale: str) -> None:
        self.config = config
        self.table = SHARD_STATE_TABLES[config.shard_states]
        offset = -int(js.Date.new().getTimezoneOffset())  # JS counts minutes west of UTC
        self.fmt = LocaleFormat(locale, utc_offset_minutes=offset)
        # build.py always ships the templates compiled: no sources to fall back to here.
        self.renderer = Renderer(
            locale, load_translations(locale, LOCALES_DIR), compiled=COMPILED_TEMPLATES_DIR
        )
        self.root = js.document.documentElement
        self.banner = js.document.getElementById("banner")
        self.clusters = js.document.getElementById("clusters")
        self.popover = js.document.getElementById("shard-popover")
        self.announcer = js.document.getElementById("announcer")
        self.lookup_slot = js.document.getElementById("lookup-result-slot")
        self.guild_input = js.document.getElementById("guild-input")
        self.favicon = Favicon()
        self.cards: dict[int, _Card] = {}
        self.snapshot: Snapshot | None = None
        self.announced: str | None = None
        # What the visitor is doing (becomes the view's UiState):
        self.selected: tuple[int, int] | None = None  # (cluster, shard) with the popover
        self.lookup_query = None
        self.highlighted_cluster: int | None = None
        self.filter_state: str | None = None  # legend filter: a shard state's name
        self.active: dict[int, int] = {}  # cluster id -> shard holding the grid's tab stop
        self.scroll_to: str | None = None  # "found" | "cluster", until it has happened
        self._proxies = []
        self._shown_html: dict[str, str] = {}  # slot -> the HTML last morphed into it
        self._marked_live = False
        self._shown_stale = False
        self._listen(self.clusters, "click", self._on_grid_click)
        self._listen(self.clusters, "keydown", self._on_grid_key)
        self._listen(self.popover, "click", self._on_popover_click)
        self._listen(self.banner, "click", self._on_legend_click)
        self._listen(js.document, "keydown", self._on_key)
        self._listen(js.document, "click", self._on_document_click)
        self._listen(js.document.getElementById("lookup-form"), "submit", self._on_lookup_submit)
        self._apply_deep_link()
        self._keep_query_in_language_links()

    # -- rendering -----------------------------------------------------------------------
    def show(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        lookup = build_lookup_view(
            self.lookup_query,
            snapshot.clusters,
            configured_total=self.config.total_shards,
            table=self.table,
            fmt=self.fmt,
        )
        view = build_page_view(
            snapshot.clusters,
            now_ms=_now_ms(),
            source=snapshot.source,
            updated_ms=snapshot.updated_ms,
            poll_interval_ms=self.config.poll_interval_ms,
            table=self.table,
            fmt=self.fmt,
            ui=UiState(
                selected=self.selected,
                found=lookup.found if lookup else None,
                highlighted_cluster=self.highlighted_cluster,
                filter_state=self.filter_state,
                active=tuple(self.active.items()),
            ),
            notice=snapshot.notice,
            unreadable=snapshot.unreadable,
            ignored_entries=snapshot.ignored_entries,
        )
        self._shown_stale = view.source == "stale"
        self.root.setAttribute("data-source", view.source)
        self.root.setAttribute("data-updated", str(view.updated_ms or ""))
        self._morph_if_changed("banner", self.banner.firstElementChild, self.renderer.banner(view))
        if snapshot.clusters is not None:
            self._patch_cards(view.clusters)
        self._patch_popover(view)
        self._patch_lookup(lookup)
        self._scroll_to_pending()
        title = self.renderer.document_title(view.overall)
        if view.source == "sample":
            title = f"{self.renderer.gettext('Sample data')} · {title}"
        js.document.title = title
        self._announce(view.overall)
        self.favicon.show(view.overall)
        if view.source == "live" and not self._marked_live:
            self._marked_live = True
            js.performance.mark("status:first-live")

    # -- legend filter and keyboard grid -------------------------------------------------
    def _on_legend_click(self, event) -> None:
        item = element_or_none(event.target.closest("[data-legend-state]"))
        if item is not None:
            state = str(item.getAttribute("data-legend-state"))
            self.filter_state = None if state == self.filter_state else state
        elif element_or_none(event.target.closest("[data-legend-clear]")) is not None:
            self.filter_state = None
        else:
            return
        if self.snapshot is not None:
            self.show(self.snapshot)

    def _on_grid_key(self, event) -> None:
        """Roving tab stop: Tab enters a grid once; arrows, Home and End move inside it."""
        key = str(event.key)
        if key not in ("ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"):
            return
        current = element_or_none(event.target.closest(".shard"))
        if current is None:
            return
        buttons = list(current.closest(".shards").querySelectorAll(".shard"))
        index = next(i for i, b in enumerate(buttons) if b.isSameNode(current))
        target = _grid_step(buttons, index, key)
        if target is None or target.isSameNode(current):
            return
        event.preventDefault()
        current.setAttribute("tabindex", "-1")
        target.setAttribute("tabindex", "0")
        cluster_id = int(target.getAttribute("data-shard-cluster"))
        self.active[cluster_id] = int(target.getAttribute("data-shard-id"))
        target.focus()

    # -- find my server and deep links ---------------------------------------------------
    def _patch_lookup(self, lookup) -> None:
        self._morph_if_changed(
            "lookup", self.lookup_slot.firstElementChild, self.renderer.lookup_result(lookup)
        )
        invalid = lookup is not None and lookup.error is not None
        self.guild_input.setAttribute("aria-invalid", "true" if invalid else "false")

    def _scroll_to_pending(self) -> None:
        """Scroll once to what a submit or a deep link asked for, when it is on the page."""
        target = None
        if self.scroll_to == "found":
            target = element_or_none(self.clusters.querySelector('[data-found="true"]'))
        elif self.scroll_to == "cluster" and self.highlighted_cluster is not None:
            target = element_or_none(
                js.document.getElementById(f"cluster-{self.highlighted_cluster}")
            )
        if target is None:
            return
        self.scroll_to = None
        reduce = js.window.matchMedia("(prefers-reduced-motion: reduce)").matches
        target.scrollIntoView(
            to_js(
                {"block": "center", "behavior": "auto" if reduce else "smooth"},
                dict_converter=js.Object.fromEntries,
            )
        )

    def _on_lookup_submit(self, event) -> None:
        event.preventDefault()
        self.lookup_query = parse_guild_query(str(self.guild_input.value))
        self.scroll_to = "found"
        guild = self.lookup_query.guild_id
        search = with_guild(str(js.window.location.search), guild)
        js.history.replaceState(None, "", str(js.window.location.pathname) + search)
        self._keep_query_in_language_links()
        if self.snapshot is not None:
            self.show(self.snapshot)

    def _apply_deep_link(self) -> None:
        link = parse_deep_link(str(js.window.location.search))
        self.highlighted_cluster = link.cluster_id
        self.scroll_to = "cluster" if link.cluster_id is not None else None
        if link.guild_text is not None:
            self.guild_input.value = link.guild_text  # a property: text, never markup
            self.lookup_query = parse_guild_query(link.guild_text)
            self.scroll_to = "found"

    def tick(self) -> None:
        """Once a second: keep "Updated 12 seconds ago" true without a re-render, and
        re-render the moment the data turns stale, even while the loop waits on a slow
        ack or a reconnect backoff (old data never keeps a healthy face)."""
        snapshot = self.snapshot
        if snapshot is not None and snapshot.updated_ms is not None:
            stale = snapshot.source != "sample" and is_stale(
                _now_ms() - snapshot.updated_ms, self.config.poll_interval_ms
            )
            if stale != self._shown_stale:
                self.show(snapshot)
                return
        label = element_or_none(self.banner.querySelector(".source__ago"))
        if label is None:
            return
        text = self.fmt.age(_now_ms() - int(label.getAttribute("data-updated-ms")))
        if label.textContent != text:
            label.textContent = text

    def _announce(self, overall: str) -> None:
        if overall == self.announced:
            return
        first, self.announced = self.announced is None, overall
        if not first:  # the page's first state is on screen already; say changes only
            self.announcer.textContent = self.renderer.gettext(OVERALL_LABELS[overall])

    def _patch_cards(self, cluster_views) -> None:
        """Cards whose frame is unchanged get only their changed shards and facts patched,
        in one JS call; new or reshaped cards are rendered by Jinja."""
        if not self.cards:
            for skeleton in list(self.clusters.querySelectorAll(".cluster--skeleton")):
                skeleton.remove()
        seen = set()
        patch = {"shards": [], "facts": []}
        for index, cluster in enumerate(cluster_views):
            seen.add(cluster.id)
            card = self.cards.get(cluster.id)
            if card is None:
                card = self.cards[cluster.id] = _Card(
                    parse_html(self.renderer.cluster_card(cluster)), cluster
                )
            elif card.view != cluster:  # views are frozen values: unchanged ones skip all
                if _same_frame(card.view, cluster):
                    card.collect_patch(cluster, self.renderer, patch)
                else:
                    morph(card.element, self.renderer.cluster_card(cluster))
                    card.reset(cluster)
            at_index = element_or_none(self.clusters.children.item(index))
            if at_index is None or not at_index.isSameNode(card.element):
                self.clusters.insertBefore(card.element, at_index)
        if patch["shards"] or patch["facts"]:
            js.window.statusPatch(json.dumps(patch, ensure_ascii=False, separators=(",", ":")))
        for cluster_id in list(self.cards):
            if cluster_id not in seen:
                self.cards.pop(cluster_id).element.remove()

    def _patch_popover(self, view) -> None:
        if self.selected is None:
            return
        cluster_id, shard_id = self.selected
        for cluster in view.clusters:
            if cluster.id != cluster_id:
                continue
            for shard in cluster.shards:
                if shard.id == shard_id:
                    html = self.renderer.shard_popover(shard, cluster)
                    current = element_or_none(self.popover.firstElementChild)
                    if current is None:
                        self.popover.appendChild(parse_html(html))
                    else:
                        morph(current, html)
                    return
        # That shard is gone from the data: close, and keep focus on the page, not <body>.
        had_focus = bool(self.popover.contains(js.document.activeElement))
        self._close_popover(return_focus=False)
        if had_focus:
            self.clusters.focus()

    # -- popover -------------------------------------------------------------------------
    def _shard_button(self, cluster_id: int, shard_id: int):
        return element_or_none(
            self.clusters.querySelector(
                f'[data-shard-cluster="{int(cluster_id)}"][data-shard-id="{int(shard_id)}"]'
            )
        )

    def _open_popover(self, button) -> None:
        self.selected = (
            int(button.getAttribute("data-shard-cluster")),
            int(button.getAttribute("data-shard-id")),
        )
        self.popover.replaceChildren()
        self.popover.hidden = False
        if self.snapshot is not None:
            self.show(self.snapshot)
        rect = button.getBoundingClientRect()
        width = min(320, js.window.innerWidth - 16)
        left = max(8, min(rect.left + js.window.scrollX, js.window.innerWidth - width - 8))
        self.popover.style.left = f"{left}px"
        self.popover.style.top = f"{rect.bottom + js.window.scrollY + 8}px"
        close = element_or_none(self.popover.querySelector("[data-popover-close]"))
        if close is not None:
            close.focus()

    def _close_popover(self, return_focus: bool = True) -> None:
        if self.selected is None:
            return
        previous, self.selected = self.selected, None
        self.popover.hidden = True
        self.popover.replaceChildren()
        button = self._shard_button(*previous)
        if button is not None:
            button.setAttribute("aria-expanded", "false")
            if return_focus:
                button.focus()

    def _on_grid_click(self, event) -> None:
        button = element_or_none(event.target.closest("[data-shard-id]"))
        if button is None:
            return
        event.stopPropagation()
        key = (
            int(button.getAttribute("data-shard-cluster")),
            int(button.getAttribute("data-shard-id")),
        )
        if self.selected == key:
            self._close_popover()
        else:
            self._open_popover(button)

    def _on_popover_click(self, event) -> None:
        event.stopPropagation()
        if element_or_none(event.target.closest("[data-popover-close]")) is not None:
            self._close_popover()

    def _on_document_click(self, _event) -> None:
        self._close_popover(return_focus=False)

    def _on_key(self, event) -> None:
        if self.selected is None:
            return
        inside = bool(self.popover.contains(js.document.activeElement))
        if event.key == "Escape":
            # Back to the shard only from the popover: Escape elsewhere leaves focus be.
            self._close_popover(return_focus=inside)
        elif event.key == "Tab" and inside:
            # The popover sits at the end of the page: tabbing on would land on <body>.
            event.preventDefault()
            self._close_popover()

    def _morph_if_changed(self, slot: str, element, html: str) -> None:
        """Most refreshes leave the lookup result (and often the banner) as they were:
        the same HTML string skips the bridge and the DOM walk."""
        if self._shown_html.get(slot) != html:
            morph(element, html)
            self._shown_html[slot] = html

    # -- wiring --------------------------------------------------------------------------
    def _listen(self, target, event: str, handler) -> None:
        proxy = create_proxy(handler)
        self._proxies.append(proxy)
        target.addEventListener(event, proxy)

    def _keep_query_in_language_links(self) -> None:
        # location.search is untrusted, but it only ever follows our own same-origin path.
        search = str(js.window.location.search)
        for link in js.document.querySelectorAll("[data-lang-link]"):
            base = link.getAttribute("href").split("?", 1)[0]
            link.setAttribute("href", base + search)


def _same_frame(old: ClusterView, new: ClusterView) -> bool:
    """Everything but shard fields and facts equal: the card can be patched in place."""
    return (
        old.status == new.status
        and old.highlighted == new.highlighted
        and old.shards_hidden == new.shards_hidden
        and old.shard_count == new.shard_count
        and len(old.shards) == len(new.shards)
        and all(a.id == b.id for a, b in zip(old.shards, new.shards, strict=True))
    )


class _Card:
    """A cluster card on the page and what it shows, so a refresh sends only changes."""

    __slots__ = ("element", "view", "fields")

    def __init__(self, element, view: ClusterView) -> None:
        self.element = element
        self.reset(view)

    def reset(self, view: ClusterView) -> None:
        self.view = view
        # Each shown shard's (values, tooltip), filled at the first patch: the template
        # has just computed them, and the first render is on every visitor's start-up.
        self.fields: list | None = None

    def collect_patch(self, view: ClusterView, renderer: Renderer, patch: dict) -> None:
        facts = renderer.cluster_facts(view)
        if facts != renderer.cluster_facts(self.view):
            patch["facts"].append((f"cluster-{view.id}", facts))
        shown = self.view.shards
        if self.fields is None:
            self.fields = [renderer.shard_fields(s) for s in shown]
        fields = self.fields
        for index, shard in enumerate(view.shards):
            if shard == shown[index]:
                continue
            values, tip = new = renderer.shard_fields(shard)
            old_values, old_tip = fields[index]
            changed = [
                (name, value)
                for name, value, old in zip(SHARD_ATTRIBUTES, values, old_values, strict=True)
                if value != old
            ]
            if changed or tip != old_tip:
                patch["shards"].append(
                    (f"tip-{view.id}-{shard.id}", changed, None if tip == old_tip else tip)
                )
            fields[index] = new
        self.view = view


def _grid_step(buttons: list, index: int, key: str):
    """The button an arrow key moves to in a wrapping grid (rows by on-screen position)."""
    if key == "Home":
        return buttons[0]
    if key == "End":
        return buttons[-1]
    if key in ("ArrowLeft", "ArrowRight"):
        step = -1 if key == "ArrowLeft" else 1
        return buttons[index + step] if 0 <= index + step < len(buttons) else None
    here = buttons[index].getBoundingClientRect()
    rows: dict[float, list] = {}
    for button in buttons:
        rows.setdefault(round(button.getBoundingClientRect().top), []).append(button)
    tops = sorted(rows)
    row = tops.index(round(here.top))
    row += -1 if key == "ArrowUp" else 1
    if not 0 <= row < len(tops):
        return None

    def centre(button) -> float:
        rect = button.getBoundingClientRect()
        return rect.left + rect.width / 2

    return min(rows[tops[row]], key=lambda b: abs(centre(b) - centre(buttons[index])))
