"""Dates, times and percentages in the reader's language (issue 24).

Event times are stored as the event's wall time (naive), so they are formatted as they are, never
shifted to another time zone. The language is the request's (or the one forced for an email);
outside a request, English. Patterns are fixed per kind of label, so an English page reads as
before ("Tue 18 May 09:30–09:55") while a Romanian one reads "mar. 18 mai 09:30–09:55".
"""

from babel import dates, numbers
from flask_babel import get_locale


def _locale():
    try:
        return get_locale() or "en"
    except RuntimeError:  # no application context
        return "en"


def hm(value):
    """A time of day, 24-hour: 09:30."""
    return dates.format_time(value, "HH:mm", locale=_locale())


def day_long(value):
    """A day in full: Tuesday 18 May 2027."""
    return dates.format_date(value, "EEEE d MMMM y", locale=_locale())


def day_month(value):
    """A day without the year: Tuesday 18 May."""
    return dates.format_date(value, "EEEE d MMMM", locale=_locale())


def day_short(value):
    """A short day: Tue 18 May."""
    return dates.format_date(value, "EEE d MMM", locale=_locale())


def day_short_weekday(value):
    """A weekday alone, short: Tue."""
    return dates.format_date(value, "EEE", locale=_locale())


def day_month_short(value):
    """A day and month, short: 18 May."""
    return dates.format_date(value, "d MMM", locale=_locale())


def date_long(value):
    """A date: 18 May 2027."""
    return dates.format_date(value, "d MMMM y", locale=_locale())


def date_medium(value):
    """A compact date: 18 May 2027 with the month abbreviated."""
    return dates.format_date(value, "dd MMM y", locale=_locale())


def datetime_long(value):
    """A date and time: 18 May 2027 09:30."""
    return f"{date_long(value)} {hm(value)}"


def datetime_medium(value):
    """A compact date and time: 01 Jun 2027 11:00."""
    return f"{date_medium(value)} {hm(value)}"


def span(starts_at, ends_at):
    """A time span on one day: 09:30–09:55."""
    return f"{hm(starts_at)}–{hm(ends_at)}"


def slot_span(starts_at, ends_at):
    """A slot with its day: Tue 18 May 09:30–09:55."""
    return f"{day_short(starts_at)} {span(starts_at, ends_at)}"


def slot_span_long(starts_at, ends_at):
    """A slot in a sentence or an email: Tuesday 18 May, 09:30–09:55."""
    return f"{day_month(starts_at)}, {span(starts_at, ends_at)}"


def percent(value):
    """A share as a percentage in the reader's notation: 87% (en), 87 % (ro), %87 (tr)."""
    return numbers.format_percent(value, locale=_locale())


FILTERS = {
    "format_percent": percent,
    "hm": hm,
    "day_long": day_long,
    "day_month": day_month,
    "day_short": day_short,
    "date_long": date_long,
    "date_medium": date_medium,
    "datetime_long": datetime_long,
    "datetime_medium": datetime_medium,
}


def init_app(app):
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    app.add_template_global(span, "time_span")
    app.add_template_global(slot_span, "slot_span")
    app.add_template_global(slot_span_long, "slot_span_long")
