"""Locale-aware formatting of numbers, pings, durations and clock times (Babel).

fmt = LocaleFormat("de")
fmt.number(12345)            # "12.345"
fmt.ping(42)                 # "42 ms"
fmt.duration(93_784)         # "1 Tg. 2 Std."
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from babel.dates import format_datetime, format_time, format_timedelta
from babel.numbers import format_decimal
from babel.units import format_unit

SUPPORTED_LOCALES = ("en", "de", "fr", "es")
DEFAULT_LOCALE = "en"

# Largest unit first; a duration shows its two largest non-zero parts ("3 days 4 hr").
_DURATION_UNITS = (
    ("duration-day", 86_400),
    ("duration-hour", 3_600),
    ("duration-minute", 60),
    ("duration-second", 1),
)


class LocaleFormat:
    def __init__(self, locale: str, utc_offset_minutes: int = 0):
        if locale not in SUPPORTED_LOCALES:
            raise ValueError(f"unsupported locale: {locale!r}")
        self.locale = locale
        # The visitor's zone as an offset: Pyodide's own clock zone is always UTC.
        self.zone = timezone(timedelta(minutes=utc_offset_minutes))
        # Babel formats slowly (~0.1 ms a call); a fleet repeats the same pings and
        # counts refresh after refresh, so remember them per instance.
        self._number = lru_cache(maxsize=8192)(self._format_number)
        self._ping = lru_cache(maxsize=4096)(self._format_ping)

    def number(self, value: int) -> str:
        return self._number(value)

    def ping(self, ms: int) -> str:
        return self._ping(ms)

    def _format_number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def _format_ping(self, ms: int) -> str:
        return format_unit(ms, "duration-millisecond", length="short", locale=self.locale)

    def duration(self, seconds: float) -> str:
        remaining = max(0, int(seconds))
        parts = []
        for unit, size in _DURATION_UNITS:
            count, remaining = divmod(remaining, size)
            if count or (not parts and size == 1):
                parts.append(format_unit(count, unit, length="short", locale=self.locale))
            if len(parts) == 2:
                break
            if parts and not count:
                break  # "3 days" rather than "3 days, 0 hr"
        # A plain space, as CLDR's narrow unit lists do in all four locales (Babel's
        # "unit" list style lacks patterns for es).
        return " ".join(parts)

    def clock_time(self, unix_ms: int) -> str:
        moment = datetime.fromtimestamp(unix_ms / 1000, tz=UTC).astimezone(self.zone)
        return format_time(moment, format="medium", locale=self.locale)

    def age(self, age_ms: int) -> str:
        """How long ago, in words: "12 seconds ago", "vor 2 Minuten"."""
        seconds = max(1, int(age_ms / 1000))  # never "in 0 seconds"
        return format_timedelta(
            timedelta(seconds=-seconds), add_direction=True, threshold=1.0, locale=self.locale
        )

    def date_time_with_zone(self, unix_ms: int) -> str:
        """The absolute moment, with the visitor's UTC offset: "Dec 3, 2026, 1:05 PM GMT+01:00"."""
        moment = datetime.fromtimestamp(unix_ms / 1000, tz=UTC).astimezone(self.zone)
        return (
            f"{format_datetime(moment, format='medium', locale=self.locale)} "
            f"{format_time(moment, 'ZZZZ', locale=self.locale)}"
        )
