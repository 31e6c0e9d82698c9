"""Importing participants from a CSV or XLSX file, all or nothing.

The whole file is read and checked before anything is written: if any row has a problem,
nothing is imported and every bad row is named by its spreadsheet row number (the header is
row 1, so the first participant is on row 2). A good file is written in one transaction, and
only after it is committed do new people get an invitation to choose their password.

Nothing in a file is ever executed: XLSX cells are read as the values the spreadsheet saved
(`data_only`), so a formula without a saved value arrives empty, and CSV cells are plain text.
"""

import csv
import io
import re
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

import pycountry
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import (
    OPPORTUNITY_CATEGORIES,
    ORGANISATION_SIZES,
    ORGANISATION_TYPES,
    Opportunity,
    Organisation,
    Participant,
    User,
)
from matchmaker.sectors import sector_choices
from matchmaker.services.accounts import make_reset_token, normalise_email
from matchmaker.services.errors import DomainError, NotAllowed
from matchmaker.services.mail import send_mail

MAX_FILE_BYTES = 2 * 1024 * 1024  # the uploaded file itself
MAX_ROWS = 5000  # participant rows (spreadsheet rows 2 to 5,001)
# Rows read in all, empty ones included, and seconds spent reading them: a small file can hold
# millions of empty rows (2 MiB of them held a worker 20 s), so reading stops at either bound.
MAX_SHEET_ROWS = 20_000
MAX_READ_SECONDS = 10
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # all members of an XLSX (a zip) once unpacked
MAX_PROBLEMS_SHOWN = 100  # rows listed in one refusal; the rest are counted
MAX_OPPORTUNITIES_PER_CELL = 20
MAX_DESCRIPTION = 5000  # as the profile form
MAX_COLUMNS = 50  # columns read from a sheet; the import knows 15

# Invisible characters nobody types (tab and line breaks excepted): XML, so XLSX exports, and
# PostgreSQL (NUL) cannot hold them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The columns whose text may run over several lines (offers and needs: one per line); every
# other one is a single line, as its field on the forms (line breaks and tabs refused).
MULTI_LINE_COLUMNS = {"description", "offers", "needs"}
LINE_BREAKS = re.compile("[\r\n\t\x85\u2028\u2029]")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"


class ImportRejected(DomainError):
    """The file was refused and nothing was imported; `problems` lists why, one line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("Nothing was imported. " + " ".join(self.problems))


@dataclass
class ImportResult:
    participants: int
    new_accounts: int
    organisations_created: int
    # Emails of existing accounts not confirmed yet: their registrations wait for approval.
    unconfirmed: list = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    """One column of the import file, as documented on the import page."""

    name: str
    required: bool
    help: str
    max_length: int | None = None


def _length(column):
    return column.property.columns[0].type.length


def _labels(mapping):
    return ", ".join(str(label) for label in mapping.values())


COLUMNS = (
    Column("organisation", True, "Name of the organisation.", _length(Organisation.name)),
    Column("person", True, "Full name of the person who will attend.", _length(User.name)),
    Column(
        "email",
        True,
        "The person's email; it is their login. Each email once per file. People without an "
        "account get an invitation to choose a password.",
        _length(User.email),
    ),
    Column(
        "country",
        True,
        "Country of the organisation: ISO code (RO, MD, DE; XK for Kosovo) or English name.",
    ),
    Column("city", False, "City of the organisation.", _length(Organisation.city)),
    Column(
        "type",
        False,
        f"One of: {_labels(ORGANISATION_TYPES)}. Empty means Company.",
    ),
    Column(
        "size",
        False,
        f"People in the organisation, one of: {', '.join(ORGANISATION_SIZES)}. "
        "In Excel, format this column as Text so 1-9 does not become a date.",
    ),
    Column("sectors", False, "Sectors separated by ';', from the list below."),
    Column(
        "website",
        False,
        "Web address; https:// is added when missing.",
        _length(Organisation.website),
    ),
    Column("description", False, "What the organisation does.", MAX_DESCRIPTION),
    Column(
        "looking_for",
        False,
        "What the participant hopes to find at this event, in a sentence.",
        _length(Participant.looking_for),
    ),
    Column(
        "offers",
        False,
        "What it offers: several opportunities separated by ';' or line breaks. Start one "
        f"with a category and a colon to set it (e.g. technology: LoRaWAN sensors); "
        f"categories: {_labels(OPPORTUNITY_CATEGORIES)}; without one it is Service. "
        f"Each title at most {_length(Opportunity.title)} characters.",
    ),
    Column("needs", False, "What it needs (requests), written like offers."),
    Column("phone", False, "The person's phone number.", _length(User.phone)),
    Column("job_title", False, "The person's job title.", _length(User.job_title)),
)
TITLE_LENGTH = _length(Opportunity.title)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED = tuple(column.name for column in COLUMNS if column.required)
# Codes people use beside ISO's: Kosovo's user-assigned code, and the EU's own for the United
# Kingdom and Greece.
_COUNTRY_ALIASES = {"XK": "XK", "UK": "GB", "EL": "GR"}
_ALIASES = {"organization": "organisation", "requests": "needs", "name": "person"}

EXAMPLE = {
    "organisation": "Smart Sensors SRL",
    "person": "Ana Popescu",
    "email": "ana.popescu@example.com",
    "country": "RO",
    "city": "Cluj-Napoca",
    "type": "SME",
    "size": "10-49",
    "sectors": "",  # filled from the event's sector list
    "website": "https://smartsensors.example.com",
    "description": "We design low-power sensors and data platforms for farms and cities.",
    "looking_for": "Distributors and pilot customers in Moldova and Ukraine",
    "offers": "technology: LoRaWAN soil sensors; Data analytics for farms",
    "needs": "partnership: Distributors in Moldova; investment: Seed funding",
    "phone": "0721 000 000",  # a leading + would make Excel read a formula
    "job_title": "Business development manager",
}


def allowed_sectors(event):
    """The sectors an imported organisation may name: the platform's list plus the event's."""
    return [name for name, _label in sector_choices(event)]


def template(event, fmt):
    """The import template for `event`: the header row and one example row.

    `fmt` is "csv" or "xlsx". Returns (bytes, mimetype, filename).
    """
    if fmt not in ("csv", "xlsx"):
        raise DomainError(f"Unknown format {fmt!r}; choose csv or xlsx.")
    example = dict(EXAMPLE, sectors="; ".join(allowed_sectors(event)[:2]))
    rows = [list(COLUMN_NAMES), [example[name] for name in COLUMN_NAMES]]
    filename = f"{event.slug}-participants-template.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode("utf-8-sig"), CSV_MIMETYPE, filename
    return _template_xlsx(rows, event), XLSX_MIMETYPE, filename


def _template_xlsx(rows, event):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Participants"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.iter_cols():
        for cell in column_cells:
            cell.number_format = "@"  # Text, so "10-49" or "+40..." stay as typed
            cell.data_type = "s"
        sheet.column_dimensions[column_cells[0].column_letter].width = 24
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Columns")
    guide.append(["column", "required", "what to write", "at most (characters)"])
    for column in COLUMNS:
        guide.append(
            [column.name, "yes" if column.required else "", column.help, column.max_length]
        )
    guide.append([])
    guide.append(["sectors allowed", "", "; ".join(allowed_sectors(event))])
    guide.append([])
    guide.append(["Only the first sheet is imported. Row 1 holds the column names."])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The import itself


def import_participants(event, filename, stream, by):
    """Import the participants of a CSV or XLSX file into `event`, all or nothing.

    Reads at most MAX_FILE_BYTES from `stream` and at most MAX_ROWS participant rows; the
    file type comes from the name's extension (.csv or .xlsx). People are matched to existing
    accounts by email and organisations by name and country (ignoring case); new people get an
    account without a password and an invitation email, sent once everything is committed.
    Imported participants are approved.

    Raises NotAllowed when `by` does not organize the event, ImportRejected (with one line per
    problem: "Row 7: ...") when the file or any of its rows is refused. Returns an ImportResult.
    """
    if not event.is_organized_by(by):
        raise NotAllowed("Only the organizers of this event can import participants.")
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected([too_large_message()])
    rows = read_rows(filename, data)
    planned = _check_rows(event, rows)
    result, invited, existing = _write(event, planned)
    _send_invitations(event, invited, by)
    _tell_existing(event, existing, by)
    return result


def too_many_rows_message():
    return (
        f"The file has more than {MAX_SHEET_ROWS:,} rows, empty ones included. Delete the "
        "empty rows below your participants (select them, then Delete Rows) and save it again, "
        "or split it into several files."
    )


def too_large_message():
    return (
        f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB. "
        "Split it into several files and import them one after the other."
    )


def read_rows(filename, data):
    """The participant rows of a CSV or XLSX file as [(row number, {column: text})].

    Header names are matched ignoring case, spaces and dashes; empty rows are skipped. Raises
    ImportRejected when the file cannot be read, has unknown, repeated or missing columns, no
    participant row or more than MAX_ROWS of them.
    """
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        table = _xlsx_table(data)
    elif name.endswith(".csv"):
        table = _csv_table(data)
    else:
        raise ImportRejected(["Upload a .csv or .xlsx file (save older .xls files as .xlsx)."])
    if not table:
        raise ImportRejected(["The file is empty. Start from the template on this page."])
    (_number, names), *rows = table
    if len(rows) > MAX_ROWS:
        raise ImportRejected(
            [
                f"The file has more than {MAX_ROWS:,} participant rows. Split it into several "
                "files and import them one after the other."
            ]
        )
    positions = _columns(names)
    if not rows:
        raise ImportRejected(["The file has column names but no participant rows."])
    return [(number, _cells_by_column(positions, texts)) for number, texts in rows]


def _columns(names):
    """Map each position of the header row to a known column; refuse unknown or repeated."""
    positions = {}
    problems = []
    for position, raw in enumerate(names):
        if not raw:
            continue  # an unnamed column (often an empty one at the right) is ignored
        key = "_".join(raw.casefold().replace("-", " ").split())
        key = _ALIASES.get(key, key)
        if key not in COLUMN_NAMES:
            problems.append(
                f"Row 1: unknown column '{_short(raw)}'. The columns are: "
                f"{', '.join(COLUMN_NAMES)}."
            )
        elif key in positions.values():
            problems.append(f"Row 1: the column '{key}' appears twice.")
        else:
            positions[position] = key
    missing = [name for name in REQUIRED if name not in positions.values()]
    if missing:
        problems.append(
            f"The file has no column for: {', '.join(missing)}. Row 1 must hold the column "
            "names, as in the template."
        )
    if problems:
        raise ImportRejected(problems)
    return positions


def _cells_by_column(positions, texts):
    cells = {name: "" for name in COLUMN_NAMES}
    for position, text in enumerate(texts):
        if position in positions:
            cells[positions[position]] = text
        elif text:
            cells.setdefault("_unnamed", (position + 1, text))
    return cells


def _text(value):
    """A cell as stripped text. Spreadsheets hand over numbers and dates for some cells."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        value = value.isoformat()
    return str(value).strip()


def _short(text, limit=40):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keep(numbered_rows):
    """The non-empty rows as [(number, [text])]: the header and at most MAX_ROWS + 1 more
    (enough to tell the file is too long without holding all of it). Raises ImportRejected
    past MAX_SHEET_ROWS rows read (empty ones count) or MAX_READ_SECONDS."""
    kept = []
    deadline = time.monotonic() + MAX_READ_SECONDS
    for number, cells in numbered_rows:
        if number > MAX_SHEET_ROWS:
            raise ImportRejected([too_many_rows_message()])
        if number % 500 == 0 and time.monotonic() > deadline:
            raise ImportRejected(
                [
                    f"Reading the file took more than {MAX_READ_SECONDS} seconds, so it was "
                    "stopped. Delete the empty rows and columns around your participants, or "
                    "split the file."
                ]
            )
        texts = [_text(cell) for cell in cells]
        if any(texts):
            kept.append((number, texts))
            if len(kept) > MAX_ROWS + 1:
                break
    return kept


def _csv_table(data):
    """Rows of a CSV file: UTF-8 (with or without BOM), or Windows-1250 as Excel saves it in
    Central Europe; the delimiter (',', ';' or tab) is the most frequent one in row 1."""
    if b"\x00" in data:
        raise ImportRejected(["This file is not a CSV text file. Upload a .csv or .xlsx file."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1250")
        except UnicodeDecodeError:
            raise ImportRejected(
                [
                    "The file's characters could not be read. In Excel choose "
                    "Save As › CSV UTF-8, or upload the .xlsx file."
                ]
            ) from None
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _keep(enumerate(reader, start=1))
    except csv.Error as error:
        raise ImportRejected(
            [
                f"Near line {reader.line_num}: the CSV cannot be read ({error}). Check that "
                'every quote (") that opens a cell also closes it.'
            ]
        ) from None


def _xlsx_table(data):
    """Rows of the first sheet of an XLSX workbook, as saved values (formulas are not run),
    at most MAX_COLUMNS wide."""
    from openpyxl import load_workbook

    _check_zip(data)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it does not read (styles, validations): irrelevant.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                # The sheet's own size claim may be huge or wrong: read only the rows it has.
                sheet.reset_dimensions()
                rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
                return _keep(enumerate(rows, start=1))
            finally:
                workbook.close()
    except ImportRejected:
        raise
    except Exception as error:  # a malformed workbook fails in many different ways
        raise ImportRejected(
            [
                "The file could not be read as an XLSX workbook. Save it again from Excel or "
                "LibreOffice as .xlsx, or upload a CSV file."
            ]
        ) from error


def _check_zip(data):
    """Refuse what is not a zip, and zips that unpack to more than MAX_UNPACKED_BYTES (a zip
    bomb). Python's zipfile never unpacks more than a member's declared size, so the sum of
    declared sizes bounds what openpyxl will read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            members = len(archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ImportRejected(
            [
                "This file is not an XLSX workbook. Save it from Excel or LibreOffice as .xlsx, "
                "or upload a CSV file."
            ]
        ) from None
    if unpacked > MAX_UNPACKED_BYTES or members > 10_000:
        raise ImportRejected(
            [
                f"The XLSX file unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MiB. "
                "Remove other sheets, images and formatting, or upload a CSV file."
            ]
        )


# ---------------------------------------------------------------------------------------------
# Checking the rows


@dataclass
class _Planned:
    """A checked row, ready to be written."""

    number: int
    email: str
    person: str
    organisation: str
    country: str
    city: str
    type: str
    size: str | None
    sectors: list
    website: str
    description: str
    looking_for: str
    phone: str
    job_title: str
    opportunities: list = field(default_factory=list)  # (kind, category, title)


def _check_rows(event, rows):
    """Check every row; raise ImportRejected listing all bad rows, or return _Planned rows."""
    sectors = {name.casefold(): name for name in allowed_sectors(event)}
    planned, problems, bad_sector = [], [], False
    first_row_of = {}
    for number, cells in rows:
        row, row_problems = _check_row(cells, sectors)
        email = row.email if row else normalise_email(cells["email"])
        if email and email in first_row_of:
            row_problems.append(f"email {email} is also on row {first_row_of[email]}")
        first_row_of.setdefault(email, number)
        bad_sector = bad_sector or any(p.startswith("unknown sector") for p in row_problems)
        if row_problems:
            problems.append((number, row_problems))
        else:
            row.number = number
            planned.append(row)

    for number, problem in _check_against_database(event, planned):
        problems.append((number, [problem]))
    if problems:
        problems.sort()
        lines = [f"Row {number}: {'; '.join(found)}." for number, found in problems]
        if len(lines) > MAX_PROBLEMS_SHOWN:
            hidden = len(lines) - MAX_PROBLEMS_SHOWN
            lines = lines[:MAX_PROBLEMS_SHOWN] + [f"…and {hidden} more rows with problems."]
        if bad_sector:
            lines.append(f"The sectors allowed are: {'; '.join(sectors.values())}.")
        raise ImportRejected(lines)
    return planned


def _check_row(cells, sectors):
    problems = []
    if "_unnamed" in cells:
        position, text = cells["_unnamed"]
        problems.append(
            f"column {position} holds '{_short(text)}' but has no name in row 1 (in a CSV file, "
            "a value that contains the delimiter must be in quotes)"
        )
    for name in REQUIRED:
        if not cells[name]:
            problems.append(f"{name} is missing")
    for column in COLUMNS:
        value = cells[column.name]
        if column.max_length and len(value) > column.max_length:
            problems.append(
                f"{column.name} is longer than {column.max_length} characters ({len(value)})"
            )
        if CONTROL_CHARACTERS.search(value):
            problems.append(
                f"{column.name} contains a control character (an invisible character that "
                "cannot be stored or exported); retype the cell"
            )
        elif column.name not in MULTI_LINE_COLUMNS and LINE_BREAKS.search(value):
            problems.append(f"{column.name} runs over several lines; keep it on one line")

    email = normalise_email(cells["email"])
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            problems.append(f"email '{_short(cells['email'])}' is not a valid address")

    country = resolve_country(cells["country"]) if cells["country"] else ""
    if cells["country"] and country is None:
        problems.append(
            f"country '{_short(cells['country'])}' is not an ISO country code or a country name"
        )

    kind = _organisation_type(cells["type"])
    if kind is None:
        problems.append(
            f"type '{_short(cells['type'])}' is not one of: {_labels(ORGANISATION_TYPES)}"
        )

    size = cells["size"].replace(" ", "") or None
    if size is not None and size not in ORGANISATION_SIZES:
        problems.append(
            f"size '{_short(cells['size'])}' is not one of: {', '.join(ORGANISATION_SIZES)}"
        )

    chosen, unknown = [], []
    for sector in _split(cells["sectors"]):
        name = sectors.get(sector.casefold())
        if name is None:
            unknown.append(sector)
        elif name not in chosen:
            chosen.append(name)
    if unknown:
        listed = ", ".join(f"'{_short(sector)}'" for sector in unknown)
        problems.append(f"unknown sector {listed} (see the sectors allowed below)")

    website = _website(cells["website"])
    if website is None:
        problems.append(f"website '{_short(cells['website'])}' is not a web address")
    elif len(website) > _length(Organisation.website) >= len(cells["website"]):
        problems.append("website is too long once https:// is added")

    opportunities = []
    for column, kind_of in (("offers", "offer"), ("needs", "request")):
        items = _split(cells[column], newlines=True)
        if len(items) > MAX_OPPORTUNITIES_PER_CELL:
            problems.append(f"{column} has more than {MAX_OPPORTUNITIES_PER_CELL} items")
        for item in items:
            category, title = _opportunity(item)
            if not title:
                problems.append(f"{column}: '{_short(item)}' has a category but no title")
            elif len(title) > TITLE_LENGTH:
                problems.append(
                    f"{column}: '{_short(title)}' is longer than {TITLE_LENGTH} characters"
                )
            else:
                opportunities.append((kind_of, category, title))

    if problems:
        return None, problems
    return (
        _Planned(
            number=0,
            email=email,
            person=cells["person"],
            organisation=cells["organisation"],
            country=country,
            city=cells["city"],
            type=kind,
            size=size,
            sectors=chosen,
            website=website,
            description=cells["description"],
            looking_for=cells["looking_for"],
            phone=cells["phone"],
            job_title=cells["job_title"],
            opportunities=opportunities,
        ),
        [],
    )


def resolve_country(text):
    """The ISO 3166-1 alpha-2 code for a code or an English country name, or None."""
    text = text.strip()
    if text.upper() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text.upper()]
    if text.casefold() == "kosovo":
        return "XK"
    if len(text) == 2 and text.isalpha():
        found = pycountry.countries.get(alpha_2=text.upper())
        return found.alpha_2 if found else None
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def _organisation_type(text):
    if not text:
        return "company"
    wanted = " ".join(text.replace("_", " ").casefold().split())
    for key, label in ORGANISATION_TYPES.items():
        if wanted in (key.replace("_", " "), label.casefold()):
            return key
    return None


def _split(text, newlines=False):
    if newlines:
        text = text.replace("\r", "\n").replace("\n", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


def _opportunity(item):
    """(category, title) of one offer or need; "technology: LoRaWAN" sets the category."""
    prefix, colon, rest = item.partition(":")
    if colon:
        wanted = " ".join(prefix.replace("_", " ").casefold().split())
        for key, label in OPPORTUNITY_CATEGORIES.items():
            if wanted in (key.replace("_", " "), label.casefold()):
                return key, rest.strip()
    return "service", item


def _website(text):
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        return None
    return text


def _check_against_database(event, planned):
    """(row number, problem) for emails already registered for the event or deactivated."""
    users = _existing_users([row.email for row in planned])
    registered = set(
        db.session.scalars(sa.select(Participant.user_id).where(Participant.event_id == event.id))
    )
    for row in planned:
        user = users.get(row.email)
        if user is None:
            continue
        if user.id in registered:
            yield row.number, f"{row.email} is already registered for this event"
        elif not user.active:
            yield row.number, f"the account of {row.email} is deactivated"


def _existing_users(emails):
    users = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for user in db.session.scalars(sa.select(User).where(User.email.in_(chunk))):
            users[user.email] = user
    return users


def _existing_organisations(countries):
    """Organisations of these countries, keyed by (name folded, country)."""
    found = {}
    query = sa.select(Organisation).where(Organisation.country.in_(sorted(countries)))
    for organisation in db.session.scalars(query.order_by(Organisation.id)):
        found.setdefault((organisation.name.casefold(), organisation.country), organisation)
    return found


# ---------------------------------------------------------------------------------------------
# Writing


def _write(event, planned):
    """Write all rows in one transaction. Returns (ImportResult, the users to invite, the
    (participant, user) pairs of existing accounts to tell).

    A registration is attached to an existing account only as far as its email is proven:
    a confirmed account gets it approved (and joins the organisation if it has none); an
    unconfirmed one gets it pending, without joining the organisation, since whoever signed
    up with that address may not own it (the mailbox owner is sent a link to set a password,
    which confirms the email; the organizers approve once it is confirmed)."""
    users = _existing_users([row.email for row in planned])
    organisations = _existing_organisations({row.country for row in planned})
    invited, existing, created = [], [], 0
    try:
        for row in planned:
            key = (row.organisation.casefold(), row.country)
            organisation = organisations.get(key)
            if organisation is None:
                organisation = Organisation(
                    name=row.organisation,
                    country=row.country,
                    city=row.city,
                    type=row.type,
                    size=row.size,
                    website=row.website,
                    description=row.description,
                    sectors=row.sectors,
                )
                organisations[key] = organisation
                db.session.add(organisation)
                created += 1
            user = users.get(row.email)
            if user is None:
                user = User(
                    email=row.email,
                    name=row.person,
                    password_hash=None,
                    phone=row.phone,
                    job_title=row.job_title,
                    organisation=organisation,
                )
                db.session.add(user)
                invited.append((user, organisation))
            elif user.organisation_id is None and user.is_verified:
                user.organisation = organisation
            confirmed = user.password_hash is None or user.is_verified
            participant = Participant(
                event=event,
                user=user,
                organisation=organisation,
                status="approved" if confirmed else "pending",
                looking_for=row.looking_for,
            )
            if user.id is not None:
                existing.append((participant, user))
            participant.opportunities = [
                Opportunity(kind=kind, category=category, title=title)
                for kind, category, title in row.opportunities
            ]
            db.session.add(participant)
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise ImportRejected(
            [
                "Someone registered or was imported for this event while the file was being "
                "imported, so nothing was imported. Upload the file again."
            ]
        ) from None
    except BaseException:
        db.session.rollback()
        raise
    result = ImportResult(
        participants=len(planned),
        new_accounts=len(invited),
        organisations_created=created,
        unconfirmed=[
            user.email for participant, user in existing if participant.status == "pending"
        ],
    )
    return result, invited, existing


def _tell_existing(event, existing, by):
    """Mail each person with an existing account that the organizers registered them: a
    confirmed account hears it is approved; an unconfirmed one gets a link to choose a
    password, which confirms the email (the organizers approve after that)."""
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    for participant, user in existing:
        send_mail(
            user.email,
            _l("You are registered for %(event)s", event=event.title),
            "registered_by_organizer",
            user=user,
            event=event,
            participant=participant,
            organizer=by,
            token=None if user.is_verified else make_reset_token(user),
            minutes=minutes,
        )
    db.session.commit()


def _send_invitations(event, invited, by):
    """Queue for each new person a link to choose a password (sent with the commit that
    follows; a mail the server refuses is retried by `flask mail send`)."""
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    for user, organisation in invited:
        send_mail(
            user.email,
            _l("You are registered for %(event)s: choose your password", event=event.title),
            "invitation",
            user=user,
            event=event,
            organisation=organisation,
            organizer=by,
            token=make_reset_token(user),
            minutes=minutes,
        )
