"""Formatting in all four locales, and catalogs that are complete and compile."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.core.formatting import LocaleFormat
from app.core.i18n import load_translations

LOCALES = Path(__file__).parents[2] / "locales"
NBSP_NARROW = "\u202f"

# Words that really are the same in that language (checked by hand), not English leftovers.
SAME_IN_TRANSLATION = {
    "Cluster",
    "Cluster %(id)s",
    "Cluster %(cluster)s: %(status)s.",
    "Clusters",
    "Ping",
    "Live",
    "Shard %(id)s",
}


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "1,234,567"),
        ("de", "1.234.567"),
        ("fr", f"1{NBSP_NARROW}234{NBSP_NARROW}567"),
        ("es", "1.234.567"),
    ],
)
def test_numbers_use_the_locale_grouping(locale, expected):
    assert LocaleFormat(locale).number(1_234_567) == expected


@pytest.mark.parametrize(
    ("locale", "one_day", "two_days_three_hours"),
    [
        ("en", "1 day", "2 days 3 hr"),
        ("de", "1 Tg.", "2 Tg. 3 Std."),
        ("fr", f"1{NBSP_NARROW}j", f"2{NBSP_NARROW}j 3{NBSP_NARROW}h"),
        ("es", "1 d", "2 d 3 h"),
    ],
)
def test_durations_show_two_largest_units_in_the_locale(locale, one_day, two_days_three_hours):
    fmt = LocaleFormat(locale)
    assert fmt.duration(86_400) == one_day
    assert fmt.duration(2 * 86_400 + 3 * 3_600 + 59) == two_days_three_hours


def test_duration_never_goes_negative():
    assert LocaleFormat("en").duration(-50) == "0 sec"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "42 ms"), ("de", "42 ms"), ("fr", f"42{NBSP_NARROW}ms"), ("es", "42 ms")],
)
def test_ping_is_in_milliseconds(locale, expected):
    assert LocaleFormat(locale).ping(42) == expected


def test_clock_time_follows_the_visitors_offset():
    assert LocaleFormat("de", utc_offset_minutes=60).clock_time(0) == "01:00:00"
    assert LocaleFormat("de").clock_time(0) == "00:00:00"


def test_unsupported_locale_is_refused():
    with pytest.raises(ValueError):
        LocaleFormat("xx")


@pytest.mark.parametrize(
    ("locale", "n", "expected"),
    [
        ("en", 1, "1 entry in the status data was malformed and is not shown."),
        ("en", 2, "2 entries in the status data were malformed and are not shown."),
        ("de", 1, "1 Eintrag in den Statusdaten war fehlerhaft und wird nicht angezeigt."),
        ("de", 3, "3 Einträge in den Statusdaten waren fehlerhaft und werden nicht angezeigt."),
        ("fr", 0, "0 entrée des données d’état était mal formée et n’est pas affichée."),
        ("fr", 1, "1 entrée des données d’état était mal formée et n’est pas affichée."),
        ("fr", 2, "2 entrées des données d’état étaient mal formées et ne sont pas affichées."),
        (
            "fr",
            1_000_000,
            "1000000 d’entrées des données d’état étaient mal formées et ne sont pas affichées.",
        ),
        ("es", 1, "1 entrada de los datos de estado estaba mal formada y no se muestra."),
        ("es", 5, "5 entradas de los datos de estado estaban mal formadas y no se muestran."),
    ],
)
def test_plurals_follow_each_locales_rule(catalog_dir, locale, n, expected):
    translations = load_translations(locale, catalog_dir)
    message = translations.ngettext(
        "%(count)s entry in the status data was malformed and is not shown.",
        "%(count)s entries in the status data were malformed and are not shown.",
        n,
    )
    assert message % {"count": n} == expected


@pytest.mark.parametrize("locale", ["de", "fr", "es"])
def test_every_string_is_translated(locale):
    with (LOCALES / "messages.pot").open("rb") as handle:
        template_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    seen = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        seen.add(key)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple):
            assert len(strings) == catalog.num_plurals, key
        assert all(strings), f"{locale}: untranslated {key!r}"
        if key not in SAME_IN_TRANSLATION:
            assert strings[0] != key, f"{locale}: English left in {key!r}"
        assert not message.fuzzy, key
    assert seen == template_ids, f"{locale}: catalog and messages.pot differ"


def test_french_catalog_carries_all_three_plural_forms():
    with (LOCALES / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    assert catalog.num_plurals == 3
    plural = [m for m in catalog if isinstance(m.id, tuple)]
    assert plural and all(len(m.string) == 3 and all(m.string) for m in plural)
