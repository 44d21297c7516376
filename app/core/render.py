"""Jinja2 rendering shared by the build-time prerender and the live page.

Markup lives in app/templates (one template per visible thing); autoescape is always on,
so text from the network can only ever be text.

    renderer = Renderer("de", translations)
    html = renderer.cluster_card(cluster_view)
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from pathlib import Path

import jinja2

from .lookup import LookupView
from .shard_states import N_, SHARD_STATE_TABLES, UNKNOWN_STATE
from .view import ClusterView, PageView, ShardView

# The shard button attributes a refresh can change (Renderer.shard_fields), in order.
SHARD_ATTRIBUTES = (
    "class",
    "data-found",
    "data-shard-state",
    "data-ping",
    "tabindex",
    "aria-expanded",
)
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
# In the browser build the templates arrive compiled (build.py); from a checkout, sources.
COMPILED_TEMPLATES_DIR = TEMPLATES_DIR.parent / "templates_compiled"


# msgids for the overall state, keyed by data-overall (and the shell's "checking").
OVERALL_LABELS = {
    "checking": N_("Checking status…"),
    "unknown": N_("Status unknown"),
    "operational": N_("All systems operational"),
    "degraded": N_("Partially degraded"),
    "outage": N_("Major outage"),
    "stale": N_("Status data is out of date"),
}
# Short form for the document title and the favicon's accessible name.
OVERALL_SHORT = {
    "checking": N_("Checking"),
    "unknown": N_("Unknown"),
    "operational": N_("Operational"),
    "degraded": N_("Degraded"),
    "outage": N_("Outage"),
    "stale": N_("Stale"),
}
CLUSTER_LABELS = {
    "starting": N_("Starting"),
    "running": N_("Running"),
    "stopped": N_("Stopped"),
}
SOURCE_LABELS = {
    "connecting": N_("Connecting…"),
    "live": N_("Live"),
    "reconnecting": N_("Reconnecting…"),
    "paused": N_("Paused while the tab is hidden"),
    "stale": N_("Stale"),
    "unreachable": N_("Status service unreachable"),
    "sample": N_("Sample data"),
}


def make_environment(
    translations: gettext.NullTranslations,
    search_path: Sequence[Path] = (TEMPLATES_DIR,),
    compiled: Path | None = None,
) -> jinja2.Environment:
    """``compiled``: a folder of templates compiled at build time (build.py), loaded as
    modules instead of compiling the sources."""
    loader = (
        jinja2.ModuleLoader(str(compiled))
        if compiled is not None
        else jinja2.FileSystemLoader([str(p) for p in search_path])
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_translations(translations, newstyle=True)
    env.globals.update(
        # Shard state labels, translated once (msgids are N_()-marked in shard_states).
        STATE_LABELS={
            state.label: translations.gettext(state.label)
            for table in SHARD_STATE_TABLES.values()
            for state in (*table.values(), UNKNOWN_STATE)
        },
        OVERALL_LABELS=OVERALL_LABELS,
        OVERALL_SHORT=OVERALL_SHORT,
        CLUSTER_LABELS=CLUSTER_LABELS,
        SOURCE_LABELS=SOURCE_LABELS,
    )
    return env


class Renderer:
    def __init__(
        self,
        locale: str,
        translations: gettext.NullTranslations,
        search_path: Sequence[Path] = (TEMPLATES_DIR,),
        compiled: Path | None = None,
    ):
        self.locale = locale
        self.translations = translations
        self.env = make_environment(translations, search_path, compiled)
        self._banner = self.env.get_template("banner.html")
        self._card = self.env.get_template("cluster_card.html")
        self._popover = self.env.get_template("shard_popover.html")
        self._lookup = self.env.get_template("lookup_result.html")
        # What a refresh changes in a shown card, as plain values: the templates render
        # them, and the page patches them in place (one source for both).
        self.env.globals.update(
            shard_fields=self.shard_fields,
            shard_attributes=self.shard_attributes,
            cluster_facts=self.cluster_facts,
        )
        self._state_labels = self.env.globals["STATE_LABELS"]
        self._shard_word = self.gettext("Shard %(id)s")
        self._awaiting = self.gettext("awaiting heartbeat")
        self._tip_prefixes: dict[tuple[int, str], str] = {}  # "Shard 3 · Ready · "

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def shard_fields(self, shard: ShardView) -> tuple[tuple[str | None, ...], str]:
        """A shard button's changing attribute values, in SHARD_ATTRIBUTES order (None:
        absent), and its tooltip text. Tuples, and a cached tooltip prefix: a big fleet
        asks this for thousands of shards a refresh."""
        state = shard.state
        severity_class = f"shard shard--{state.severity}"
        values = (
            severity_class + " shard--found" if shard.found else severity_class,
            "true" if shard.found else None,
            state.name,
            str(shard.ping),
            "0" if shard.tabbable else "-1",
            "true" if shard.selected else "false",
        )
        key = (shard.id, state.label)
        prefix = self._tip_prefixes.get(key)
        if prefix is None:
            label = self._state_labels[state.label]
            prefix = self._tip_prefixes[key] = f"{self._shard_word % {'id': shard.id}} · {label} · "
        return values, prefix + (shard.ping_text or self._awaiting)

    @staticmethod
    def shard_attributes(values: tuple[str | None, ...]) -> dict[str, str | None]:
        """shard_fields' values by attribute name, for the template's ``xmlattr``."""
        return dict(zip(SHARD_ATTRIBUTES, values, strict=True))

    @staticmethod
    def cluster_facts(cluster: ClusterView) -> tuple[str, str, str]:
        """Uptime, guilds and members as shown ("—" when not known)."""
        return (
            cluster.uptime_text or "—",
            cluster.guilds_text or "—",
            cluster.members_text or "—",
        )

    def banner(self, view: PageView) -> str:
        return self._banner.render(view=view)

    def cluster_card(self, cluster: ClusterView) -> str:
        return self._card.render(cluster=cluster)

    def shard_popover(self, shard: ShardView, cluster: ClusterView) -> str:
        return self._popover.render(shard=shard, cluster=cluster)

    def lookup_result(self, lookup: LookupView | None) -> str:
        return self._lookup.render(lookup=lookup)

    def document_title(self, overall: str) -> str:
        return f"{self.gettext(OVERALL_SHORT[overall])} · {self.gettext('SupportMail Status')}"

    def page(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)
