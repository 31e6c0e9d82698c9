"""Small helpers shared by the views."""

import math
import re
from decimal import Decimal
from io import BytesIO
from urllib.parse import urlsplit

from flask import abort, current_app, flash, request, send_file
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS, _Auto
from werkzeug.routing import IntegerConverter
from wtforms import (
    DateTimeField,
    DecimalField,
    FloatField,
    PasswordField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError


def local_path(target):
    """`target` if it is a path on this site, else None: an absolute or scheme-relative URL
    in a `next` or `back` parameter could send users to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def external_url(endpoint, **values):
    """The absolute address of `endpoint` built on the configured BASE_URL, never on the
    request's Host header (which the sender chooses): for links in emails. Works outside a
    request too (CLI commands)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def options(pairs):
    """(value, label) pairs as WTForms SelectChoices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(str(value), label) for value, label in pairs]


# Invisible characters nobody types (tab and line breaks excepted): PostgreSQL refuses NUL in
# text, and XML (so the XLSX exports) refuses the others.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = _l("Remove the invisible control characters from this field.")


# What a one-line field refuses on top of CONTROL_CHARACTERS: line breaks (also Unicode's) and
# tabs. Such a value ends up in an email's Subject, a CSV cell or a page title.
LINE_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")
ONE_LINE_MESSAGE = _l("Keep this on one line.")


def no_control_characters(form, field):
    """A WTForms validator: refuse text holding control characters (see CONTROL_CHARACTERS)."""
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(CONTROL_MESSAGE)


def one_line(form, field):
    """A WTForms validator for one-line text: refuse line breaks, tabs and control
    characters."""
    if isinstance(field.data, str):
        if LINE_BREAKS.search(field.data):
            raise ValidationError(ONE_LINE_MESSAGE)
        if "\t" in field.data or CONTROL_CHARACTERS.search(field.data):
            raise ValidationError(CONTROL_MESSAGE)


def is_one_line_field(field):
    """True for the text inputs of one line: a StringField (email, URL, search, hidden...)
    that is neither a TextAreaField nor a PasswordField."""
    return isinstance(field, StringField) and not isinstance(field, TextAreaField | PasswordField)


# Dates people plan brokerage events on. A year like 9999 overflows as soon as minutes or a
# time zone's offset are added to it.
FIRST_YEAR, LAST_YEAR = 2000, 2100
DATE_MESSAGE = _l("Choose a day between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
NUMBER_MESSAGE = _l("Give a number.")


def plausible_date(form, field):
    """A WTForms validator for a date or date-time: between FIRST_YEAR and LAST_YEAR."""
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(DATE_MESSAGE)


def at_most(limit):
    """A validator refusing a text longer than `limit` characters with a sentence naming the
    limit and the length written. It sets no HTML maxlength: a browser would cut a longer
    paste without a word, and the writer would not know what was lost."""

    def validate(form, field):
        length = len(field.data or "")
        if length > limit:
            raise ValidationError(
                _(
                    "At most %(limit)s characters (you wrote %(length)s).",
                    limit=format_number(limit),
                    length=format_number(length),
                )
            )

    return validate


def _named_limit(validator):
    plain_max = (
        isinstance(validator, Length)
        and validator.min in (-1, 0)
        and validator.max > 0
        and validator.message is None
    )
    return at_most(validator.max) if plain_max else validator


class SafeForm(FlaskForm):
    """A FlaskForm that holds only what can be shown, exported, mailed and kept in any
    database, whatever a client sends:

    - text fields (passwords aside) refuse control characters; one-line fields also refuse
      line breaks and tabs;
    - a text field missing from a submitted form is empty (""), not None or the edited
      object's value (a crafted request may leave any field out; an empty body still
      means "nothing sent": the form then shows the object, as Flask-WTF does);
    - numbers must be finite (no NaN or infinity) and dates between FIRST_YEAR and LAST_YEAR;
    - the form is read from the form body only, never from a JSON body (which Flask-WTF
      would parse, to any depth);
    - a text longer than its limit is refused with a sentence naming the limit, and no field
      carries an HTML maxlength (a browser cuts a longer paste silently).
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto and request.method in SUBMIT_METHODS and request.is_json:
                abort(400, "This form takes form fields, not JSON.")
            return super().wrap_formdata(form, formdata)

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        for bound in self._fields.values():
            if isinstance(bound, StringField):
                bound.validators = [_named_limit(v) for v in bound.validators]
                if "maxlength" in vars(bound.flags):
                    delattr(bound.flags, "maxlength")
        formdata = self.meta.wrap_formdata(self, formdata)
        if formdata is None:
            return
        for bound in self._fields.values():
            plain_text = type(bound).process_formdata is StringField.process_formdata
            if plain_text and bound.name not in formdata:
                bound.data = ""

    def validate(self, extra_validators=None):
        extra = {name: list(found) for name, found in (extra_validators or {}).items()}
        for name, bound in self._fields.items():
            if is_one_line_field(bound):
                extra.setdefault(name, []).append(one_line)
            elif isinstance(bound, StringField) and not isinstance(bound, PasswordField):
                extra.setdefault(name, []).append(no_control_characters)
            elif isinstance(bound, DateTimeField) and not isinstance(bound, TimeField):
                extra.setdefault(name, []).append(plausible_date)
            elif isinstance(bound, DecimalField | FloatField):
                _refuse_not_finite(bound)
        return super().validate(extra_validators=extra)


def _refuse_not_finite(field):
    """NaN and infinity parse as numbers (Decimal("sNaN") even raises when compared): make
    them a field error before any range check sees them."""
    data = field.data
    if data is None:
        return
    if not (data.is_finite() if isinstance(data, Decimal) else math.isfinite(data)):
        field.data = None
        if NUMBER_MESSAGE not in field.process_errors:
            field.process_errors.append(NUMBER_MESSAGE)


def flash_errors(form, category="danger"):
    """Flash a form's errors, for forms posted from a page they redirect back to (a button
    or a small inline form) where the errors would otherwise show nowhere."""
    for bound in form:
        for error in bound.errors if isinstance(bound.errors, list) else []:
            label = bound.label.text if bound.label and bound.label.text else bound.name
            flash(f"{label}: {error}", category)


# The largest id the database holds (PostgreSQL's integer): a larger number in a URL or a
# form would make the database raise instead of finding nothing.
MAX_ID = 2**31 - 1


def refuse_nul_in_path():
    """A `before_request` hook: a path holding a NUL character is a 404 (PostgreSQL refuses NUL
    in a text parameter, so a slug like "%00x" would otherwise be a server error)."""
    if "\x00" in request.path:
        abort(404)


class IdConverter(IntegerConverter):
    """The `int` URL converter, bounded to ids the database can hold: a larger number in a
    URL is a 404 like any id that does not exist."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


# Pages of a list beyond this are empty anyway; a larger number in `?page=` would overflow the
# database's OFFSET (SQLite cannot even bind it).
MAX_PAGE = 100_000


def page_arg(values):
    """The page number under "page" in request args (`values`): 1 when missing or not a
    number, at most MAX_PAGE."""
    return min(max(values.get("page", 1, type=int), 1), MAX_PAGE)


def id_arg(values, name):
    """The id under `name` in request args or form (`values`), or 0 when it is missing, not a
    number or out of range (0 is never an id)."""
    value = values.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else 0


def download(data, mimetype, filename):
    """A file download of `data` (bytes) that no shared cache keeps: exports hold names and
    contacts."""
    response = send_file(
        BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
