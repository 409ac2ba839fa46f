"""Dates as printed on Japanese official documents: the era year (和暦), e.g. 令和7年4月1日."""

from __future__ import annotations

import datetime as dt

# (first day, era name), newest first.
ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)


def wareki(day: dt.date) -> str:
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def print_date(iso: str, *, era: bool = True) -> str:
    """An ISO date (YYYY-MM-DD) as printed: 和暦 by default, else 2025年4月1日."""
    day = dt.date.fromisoformat(iso[:10])
    return wareki(day) if era else f"{day.year}年{day.month}月{day.day}日"
