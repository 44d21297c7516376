"""Deep links: what the page's query string asks for. The query string is untrusted:
only values that parse strictly are used, everything else is ignored.

    link = parse_deep_link("?guild=81384788765712384&cluster=2")
    link.guild_text, link.cluster_id        # "81384788765712384", 2
    with_guild("?cluster=2", "8138...")      # "?cluster=2&guild=8138..."
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

_CLUSTER_ID = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True, slots=True)
class DeepLink:
    guild_text: str | None = None  # run through the lookup's own validation
    cluster_id: int | None = None


def _params(search: str) -> list[tuple[str, str]]:
    # No cap on the count: browsers bound URL length, and a cap would drop parameters.
    return parse_qsl(search.lstrip("?"), keep_blank_values=True)


def parse_deep_link(search: str) -> DeepLink:
    params = dict(_params(search))
    guild = params.get("guild")
    cluster = params.get("cluster", "")
    return DeepLink(
        guild_text=guild if guild else None,  # the lookup refuses over-long text whole
        cluster_id=int(cluster) if _CLUSTER_ID.fullmatch(cluster) else None,
    )


def with_guild(search: str, guild_id: int | None) -> str:
    """The query string with ``guild`` set (or removed), other parameters kept."""
    kept = [(k, v) for k, v in _params(search) if k != "guild"]
    if guild_id is not None:
        kept.append(("guild", str(guild_id)))
    return "?" + urlencode(kept) if kept else ""
