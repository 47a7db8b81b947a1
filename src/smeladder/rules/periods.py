"""Periods a variable is defined for: a fiscal year, an instant (a date), or none (eternal).

A run is "as of" a date; formulas reach other years relative to the period they are computed for
(`period.last_year`), never through the wall clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["year", "instant", "eternal"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("year", "instant", "eternal")


@dataclass(frozen=True, order=True)
class Year:
    """A fiscal (calendar) year: 1 January to 31 December."""

    year: int

    kind = "year"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def last_year(self) -> Year:
        return Year(self.year - 1)

    @property
    def this_year(self) -> Year:
        return self

    def offset(self, years: int) -> Year:
        return Year(self.year + years)

    @property
    def formula_date(self) -> dt.date:
        # Dated formulas are chosen by the first day of the period, as OpenFisca does.
        return self.start

    @property
    def token(self) -> str:
        return f"y{self.year}"

    def __str__(self) -> str:
        return str(self.year)


@dataclass(frozen=True, order=True)
class Instant:
    """One day: the as-of date of a run, or a date a formula asks about."""

    date: dt.date

    kind = "instant"

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def this_year(self) -> Year:
        return Year(self.date.year)

    @property
    def last_year(self) -> Year:
        """The last completed fiscal year before this date's year (the "prior year" of most rules)."""
        return Year(self.date.year - 1)

    def years_before(self, years: int) -> dt.date:
        """The same day `years` years earlier (29 February falls back to 28 February)."""
        try:
            return self.date.replace(year=self.date.year - years)
        except ValueError:
            return self.date.replace(year=self.date.year - years, day=28)

    @property
    def formula_date(self) -> dt.date:
        return self.date

    @property
    def start(self) -> dt.date:
        return self.date

    @property
    def end(self) -> dt.date:
        return self.date

    @property
    def token(self) -> str:
        return f"d{self.date:%Y%m%d}"

    def __str__(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True, order=True)
class Eternity:
    """For values that do not change with time (district, founding date)."""

    kind = "eternal"

    @property
    def token(self) -> str:
        return "eternal"

    def __str__(self) -> str:
        return "eternal"


Period = Year | Instant | Eternity
ETERNITY = Eternity()


def parse_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def period_for(kind: PeriodKind, as_of: dt.date) -> Period:
    """The period a requested variable is evaluated for in a run as of `as_of`."""
    if kind == "instant":
        return Instant(as_of)
    if kind == "year":
        return Year(as_of.year)
    return ETERNITY
