"""When an account may be used: not when disabled, nor after its last day.

A lent account's last day (`valid_until`, an ISO date) holds until the end of that day in Japan
time, whatever time zone the server machine runs in: "--until 2026-12-31" means staff can
still sign in on the evening of the 31st, and not from midnight on.
"""

from __future__ import annotations

import datetime as dt
import math

from survey_app.i18n import tr
from survey_app.server.errors import ApiError

JST = dt.timezone(dt.timedelta(hours=9))  # Japan has no daylight saving time
LAST_YEAR = 2099  # a typo like 9999-12-31 is refused, not kept as "forever"


def parse_until(text: str) -> str:
    """A last day from the command line or the API, as an ISO date; ApiError 422 if it is
    not a date or already past."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is None or day.year > LAST_YEAR:
        raise ApiError(422, "bad_until", tr("users.err.bad_until", until=text))
    if day < today():
        raise ApiError(422, "until_past", tr("users.err.until_past", until=day.isoformat()))
    return day.isoformat()


def today() -> dt.date:
    return dt.datetime.now(JST).date()


def until_instant(valid_until: str | None) -> float:
    """The moment (time.time() scale) an account with this last day stops working."""
    if not valid_until:
        return math.inf
    day = dt.date.fromisoformat(valid_until) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), JST).timestamp()


def account_ends_at(row: dict) -> float:
    return until_instant(row.get("valid_until"))


def account_state(row: dict, now: float | None = None) -> str:
    """active / disabled / expired."""
    if not row["active"]:
        return "disabled"
    now = dt.datetime.now(JST).timestamp() if now is None else now
    return "expired" if account_ends_at(row) <= now else "active"


def account_refusal(row: dict) -> ApiError | None:
    """The 401 for a user whose password or token is right but whose account may not be used:
    said plainly, so staff know to ask their administrator rather than retype a password."""
    state = account_state(row)
    if state == "disabled":
        return ApiError(401, "account_disabled", tr("users.refused.disabled"),
                        headers={"WWW-Authenticate": "Bearer"})
    if state == "expired":
        return ApiError(401, "account_expired",
                        tr("users.refused.expired", until=row["valid_until"]),
                        headers={"WWW-Authenticate": "Bearer"})
    return None
