"""Gettext catalogs per locale, compiled by build.py from locales/<lang>/LC_MESSAGES/*.po.

translations = load_translations("de", locales_dir)   # gettext.GNUTranslations
translations.gettext("Operational")                   # "Betriebsbereit"
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "messages"


def load_translations(locale: str, locales_dir: Path) -> gettext.NullTranslations:
    """English is the source language: it needs no catalog, but may have one."""
    mo_path = Path(locales_dir) / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo_path.exists():
        if locale == "en":
            return gettext.NullTranslations()
        raise FileNotFoundError(f"no compiled catalog for {locale!r} at {mo_path}")
    with mo_path.open("rb") as handle:
        return gettext.GNUTranslations(handle)
