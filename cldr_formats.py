"""Writes app/core/formats.json: the few CLDR patterns and names the page formats with,
taken from Babel at build time so the browser needs no Babel (its code and locale data
were half the app archive and most of the import time; see docs/DESIGN-NOTES.md).

    .venv/bin/python cldr_formats.py        # `make extract` runs it too

tests/unit/test_formatting.py checks the committed file matches this Babel and that
app.core.formatting gives Babel's own answers.
"""

from __future__ import annotations

import json
from pathlib import Path

from babel import Locale

from app.core.formatting import DATE_FIELD, DATE_FIELD_LETTERS, DURATION_UNITS, SUPPORTED_LOCALES

OUT = Path(__file__).resolve().parent / "app" / "core" / "formats.json"
AGE_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def _plural_patterns(patterns) -> dict[str, str]:
    return {form: patterns[form] for form in PLURAL_FORMS if patterns and form in patterns}


def _check(pattern: str) -> str:
    fields = {m.group(0)[0] for m in DATE_FIELD.finditer(pattern) if m.group(0)[0].isalpha()}
    unsupported = fields - DATE_FIELD_LETTERS
    if unsupported:
        raise SystemExit(f"cldr_formats: pattern {pattern!r} uses {sorted(unsupported)}")
    return pattern


def locale_formats(code: str) -> dict:
    locale = Locale.parse(code)
    units = locale._data["unit_patterns"]
    fields = locale._data["date_fields"]
    periods = locale.day_periods["format"]["abbreviated"]
    return {
        "group": locale.number_symbols["latn"]["group"],
        "time_medium": _check(locale.time_formats["medium"].pattern),
        "date_medium": _check(locale.date_formats["medium"].pattern),
        "datetime_medium": locale.datetime_formats["medium"],
        "gmt": locale.zone_formats["gmt"],
        "am": periods["am"],
        "pm": periods["pm"],
        "months": [locale.months["format"]["abbreviated"][m] for m in range(1, 13)],
        "units": {
            unit: _plural_patterns(units[f"duration-{unit}"]["short"])
            for unit in ("millisecond", *(u for u, _ in DURATION_UNITS))
        },
        # format_timedelta(add_direction=True) past patterns, Babel's lookup order
        "past": {
            unit: _plural_patterns(
                (fields.get(f"{unit}-long") or fields.get(unit) or {}).get("past")
            )
            for unit in AGE_UNITS
        },
        "past_fallback": {
            unit: _plural_patterns(units.get(f"duration-{unit}", {}).get("long"))
            for unit in AGE_UNITS
        },
    }


def all_formats() -> dict:
    return {code: locale_formats(code) for code in SUPPORTED_LOCALES}


def main() -> None:
    text = json.dumps(all_formats(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"cldr_formats: wrote {OUT}")


if __name__ == "__main__":
    main()
