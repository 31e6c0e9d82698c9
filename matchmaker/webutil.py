"""Small helpers shared by the views."""

import re
from io import BytesIO
from urllib.parse import urlsplit

from flask import current_app, flash, send_file
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError


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
CONTROL_MESSAGE = "Remove the invisible control characters from this field."


# What a one-line field refuses on top of CONTROL_CHARACTERS: line breaks (also Unicode's) and
# tabs. Such a value ends up in an email's Subject, a CSV cell or a page title.
LINE_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")
ONE_LINE_MESSAGE = "Keep this on one line."


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


class SafeForm(FlaskForm):
    """A FlaskForm whose text fields (passwords aside) refuse control characters, and whose
    one-line fields also refuse line breaks and tabs, so every form built on it stores only
    what can be shown, exported, mailed and kept in any database."""

    def validate(self, extra_validators=None):
        extra = {name: list(found) for name, found in (extra_validators or {}).items()}
        for name, bound in self._fields.items():
            if is_one_line_field(bound):
                extra.setdefault(name, []).append(one_line)
            elif isinstance(bound, StringField) and not isinstance(bound, PasswordField):
                extra.setdefault(name, []).append(no_control_characters)
        return super().validate(extra_validators=extra)


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


class IdConverter(IntegerConverter):
    """The `int` URL converter, bounded to ids the database can hold: a larger number in a
    URL is a 404 like any id that does not exist."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


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
