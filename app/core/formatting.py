"""Locale-aware formatting of numbers, pings, durations and clock times.

The CLDR patterns and names come from Babel at build time (cldr_formats.py writes
formats.json); this module applies them, so the browser loads no Babel. The results are
Babel's own: tests/unit/test_formatting.py compares them call for call.

fmt = LocaleFormat("de")
fmt.number(12345)            # "12.345"
fmt.ping(42)                 # "42 ms"
fmt.duration(93_784)         # "1 Tg. 2 Std."
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

SUPPORTED_LOCALES = ("en", "de", "fr", "es")
DEFAULT_LOCALE = "en"
FORMATS_FILE = Path(__file__).resolve().parent / "formats.json"

# Largest unit first; a duration shows its two largest non-zero parts ("3 days 4 hr").
DURATION_UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1))
# format_timedelta's units: a month is 30 days and a year 365, as Babel counts them.
AGE_UNITS = (
    ("year", 3_600 * 24 * 365),
    ("month", 3_600 * 24 * 30),
    ("week", 3_600 * 24 * 7),
    ("day", 86_400),
    ("hour", 3_600),
    ("minute", 60),
    ("second", 1),
)
# A CLDR date pattern: a quoted literal ('' is a quote), a run of one field letter, or
# any other character as itself.
DATE_FIELD = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|.", re.DOTALL)
DATE_FIELD_LETTERS = frozenset("yMdHhmsa")  # what _apply formats; cldr_formats checks it


@lru_cache(maxsize=1)
def _all_formats() -> dict:
    return json.loads(FORMATS_FILE.read_text(encoding="utf-8"))


def plural_form(locale: str, n: int) -> str:
    """CLDR plural category of a whole number (all we format) in our four locales."""
    if locale == "fr" and n in (0, 1) or locale != "fr" and n == 1:
        return "one"
    if locale in ("fr", "es") and n != 0 and n % 1_000_000 == 0:
        return "many"
    return "other"


class LocaleFormat:
    def __init__(self, locale: str, utc_offset_minutes: int = 0):
        if locale not in SUPPORTED_LOCALES:
            raise ValueError(f"unsupported locale: {locale!r}")
        self.locale = locale
        self.data = _all_formats()[locale]
        # The visitor's zone as an offset: Pyodide's own clock zone is always UTC.
        self.zone = timezone(timedelta(minutes=utc_offset_minutes))
        self.utc_offset_minutes = utc_offset_minutes
        # A fleet repeats the same pings and counts refresh after refresh.
        self._ping = lru_cache(maxsize=4096)(self._format_ping)
        self._duration = lru_cache(maxsize=4096)(self._format_duration)

    def number(self, value: int) -> str:
        digits = str(abs(int(value)))
        groups = []
        while len(digits) > 3:
            digits, tail = digits[:-3], digits[-3:]
            groups.append(tail)
        groups.append(digits)
        text = self.data["group"].join(reversed(groups))
        return f"-{text}" if value < 0 else text

    def _unit(self, count: int, patterns: dict[str, str]) -> str:
        pattern = patterns.get(plural_form(self.locale, count)) or patterns["other"]
        return pattern.replace("{0}", self.number(count))

    def ping(self, ms: int) -> str:
        return self._ping(ms)

    def _format_ping(self, ms: int) -> str:
        return self._unit(ms, self.data["units"]["millisecond"])

    def duration(self, seconds: float) -> str:
        remaining = max(0, int(seconds))
        parts = []
        for unit, size in DURATION_UNITS:
            count, remaining = divmod(remaining, size)
            if count or (not parts and size == 1):
                parts.append((unit, count))
            if len(parts) == 2:
                break
            if parts and not count:
                break  # "3 days" rather than "3 days, 0 hr"
        return self._duration(tuple(parts))  # uptime ticks, its two parts rarely change

    def _format_duration(self, parts: tuple[tuple[str, int], ...]) -> str:
        # A plain space, as CLDR's narrow unit lists do in all four locales.
        return " ".join(self._unit(count, self.data["units"][unit]) for unit, count in parts)

    def age(self, age_ms: int) -> str:
        """How long ago, in words: "12 seconds ago", "vor 2 Minuten" (Babel's
        format_timedelta with add_direction and threshold 1)."""
        seconds = max(1, int(age_ms / 1000))  # never "in 0 seconds"
        for unit, size in AGE_UNITS:
            value = seconds / size
            if value >= 1.0 or unit == "second":
                count = int(round(value))
                form = plural_form(self.locale, count)
                for patterns in (self.data["past"][unit], self.data["past_fallback"][unit]):
                    pattern = patterns.get(form) or patterns.get("other")
                    if pattern:
                        return pattern.replace("{0}", str(count))
        return ""

    def _moment(self, unix_ms: int) -> datetime:
        return datetime.fromtimestamp(unix_ms / 1000, tz=UTC).astimezone(self.zone)

    def clock_time(self, unix_ms: int) -> str:
        return self._apply(self.data["time_medium"], self._moment(unix_ms))

    def date_time_with_zone(self, unix_ms: int) -> str:
        """The absolute moment, with the visitor's UTC offset: "Dec 3, 2026, 1:05 PM GMT+01:00"."""
        moment = self._moment(unix_ms)
        date_time = (
            self.data["datetime_medium"]
            .replace("{1}", self._apply(self.data["date_medium"], moment))
            .replace("{0}", self._apply(self.data["time_medium"], moment))
        )
        offset = self.utc_offset_minutes
        hours, minutes = divmod(abs(offset), 60)
        zone = self.data["gmt"] % f"{'-' if offset < 0 else '+'}{hours:02d}:{minutes:02d}"
        return f"{date_time} {zone}"

    def _apply(self, pattern: str, moment: datetime) -> str:
        out = []
        for match in DATE_FIELD.finditer(pattern):
            token = match.group(0)
            letter, width = token[0], len(token)
            if letter == "'":
                out.append(token[1:-1].replace("''", "'") if width > 2 else "'")
            elif letter == "y":
                out.append(
                    str(moment.year).zfill(width) if width != 2 else f"{moment.year % 100:02d}"
                )
            elif letter == "M":
                month = moment.month
                out.append(
                    self.data["months"][month - 1] if width == 3 else str(month).zfill(width)
                )
            elif letter == "d":
                out.append(str(moment.day).zfill(width))
            elif letter == "H":
                out.append(str(moment.hour).zfill(width))
            elif letter == "h":
                out.append(str(moment.hour % 12 or 12).zfill(width))
            elif letter == "m":
                out.append(str(moment.minute).zfill(width))
            elif letter == "s":
                out.append(str(moment.second).zfill(width))
            elif letter == "a":
                out.append(self.data["am"] if moment.hour < 12 else self.data["pm"])
            elif letter.isalpha():
                raise ValueError(f"unsupported date field {token!r} in {pattern!r}")
            else:
                out.append(token)
        return "".join(out)
