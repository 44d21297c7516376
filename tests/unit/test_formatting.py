"""app.core.formatting applies CLDR data extracted from Babel at build time: it must give
Babel's own answers, and the committed formats.json must match the installed Babel."""

import json
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from babel import Locale
from babel.dates import format_datetime, format_time, format_timedelta
from babel.numbers import format_decimal
from babel.units import format_unit

import cldr_formats
from app.core.formatting import FORMATS_FILE, SUPPORTED_LOCALES, LocaleFormat, plural_form

RNG = random.Random(20261203)
NUMBERS = [
    0,
    1,
    2,
    5,
    12,
    999,
    1_000,
    1_234,
    99_999,
    100_000,
    1_000_000,
    2_000_000,
    3_000_001,
    2**53 - 1,
] + [RNG.randrange(0, 10**12) for _ in range(300)]
OFFSETS = [0, 60, -300, 330, 345, -570, 840, -720]
MOMENTS = [0, 1_700_000_000_000, 1_764_720_000_000] + [
    RNG.randrange(10**11, 4 * 10**12) for _ in range(150)
]


def test_committed_formats_match_the_installed_babel():
    committed = json.loads(FORMATS_FILE.read_text(encoding="utf-8"))
    assert committed == cldr_formats.all_formats(), "run `make extract`"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_plural_forms_are_babels(locale):
    babel_locale = Locale.parse(locale)
    for n in [*range(0, 2_100), *NUMBERS, 10**6, 2 * 10**6, 10**9, 10**6 + 1]:
        assert plural_form(locale, n) == babel_locale.plural_form(n), n


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_numbers_and_pings_are_babels(locale):
    fmt = LocaleFormat(locale)
    for n in NUMBERS:
        assert fmt.number(n) == format_decimal(n, locale=locale)
    for ms in [*range(0, 1_100, 7), 1_000_000, 123_456_789]:
        assert fmt.ping(ms) == format_unit(
            ms, "duration-millisecond", length="short", locale=locale
        )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_durations_are_babels_units(locale):
    fmt = LocaleFormat(locale)
    for seconds, parts in (
        (0, [(0, "second")]),
        (1, [(1, "second")]),
        (61, [(1, "minute"), (1, "second")]),
        (3_600, [(1, "hour")]),
        (93_784, [(1, "day"), (2, "hour")]),
        (2 * 86_400 + 59, [(2, "day")]),
        (1_000_000 * 86_400, [(1_000_000, "day")]),
    ):
        expected = " ".join(
            format_unit(n, f"duration-{u}", length="short", locale=locale) for n, u in parts
        )
        assert fmt.duration(seconds) == expected


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_ages_are_babels_timedeltas(locale):
    fmt = LocaleFormat(locale)
    ages = [
        0,
        999,
        1_000,
        1_499,
        1_500,
        2_500,
        59_000,
        60_000,
        89_000,
        90_000,
        3_599_000,
        86_399_000,
        86_400_000,
        6 * 86_400_000,
        40 * 86_400_000,
        400 * 86_400_000,
        3 * 10**12,
    ] + [RNG.randrange(0, 10**11) for _ in range(200)]
    for age_ms in ages:
        seconds = max(1, int(age_ms / 1000))
        expected = format_timedelta(
            timedelta(seconds=-seconds), add_direction=True, threshold=1.0, locale=locale
        )
        assert fmt.age(age_ms) == expected, age_ms


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_clock_and_full_times_are_babels(locale):
    for offset in OFFSETS:
        fmt = LocaleFormat(locale, utc_offset_minutes=offset)
        zone = timezone(timedelta(minutes=offset))
        for unix_ms in MOMENTS:
            moment = datetime.fromtimestamp(unix_ms / 1000, tz=UTC).astimezone(zone)
            assert fmt.clock_time(unix_ms) == format_time(moment, "medium", locale=locale)
            assert fmt.date_time_with_zone(unix_ms) == (
                f"{format_datetime(moment, 'medium', locale=locale)} "
                f"{format_time(moment, 'ZZZZ', locale=locale)}"
            )
