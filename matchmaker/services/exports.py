"""Exporting an event's participants and opportunities as CSV or XLSX files.

Text a spreadsheet could take for a formula (it starts with = + - @, a tab or a carriage
return) is neutralised with a leading apostrophe, in both formats; XLSX cells are written as
strings, never as formulas. CSV files are UTF-8 with a byte-order mark, so Excel shows accents.
"""

import csv
import io
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from matchmaker.extensions import db
from matchmaker.models import (
    OPPORTUNITY_CATEGORIES,
    OPPORTUNITY_KINDS,
    PARTICIPANT_STATUSES,
    Opportunity,
    Organisation,
    Participant,
    User,
)
from matchmaker.services.errors import DomainError

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
# (OWASP "CSV injection"), with their full-width forms that some input methods type.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

PARTICIPANT_HEADER = (
    "Organisation",
    "Country",
    "City",
    "Type",
    "Size",
    "Sectors",
    "Person",
    "Email",
    "Phone",
    "Job title",
    "Status",
    "Looking for",
    "Number of offers",
    "Number of requests",
    "Registered at (UTC)",
)
OPPORTUNITY_HEADER = (
    "Organisation",
    "Person",
    "Participant status",
    "Kind",
    "Category",
    "Title",
    "Description",
    "Keywords",
)


def neutralise(value):
    """`value` with a leading apostrophe when it is text a spreadsheet would run as a formula;
    other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_participants(event, fmt):
    """All of the event's participants, whatever their status, sorted by organisation.

    One row each: organisation, country (ISO code), city, type, size, sectors, person, email,
    phone, job title, status, looking for, numbers of offers and requests, registration time.
    `fmt` is "csv" or "xlsx". Returns (bytes, mimetype, filename). Raises DomainError for an
    unknown format. One query for the participants and one for the counts.
    """
    counts = _opportunity_counts(event)
    rows = []
    for participant in _participants(event):
        organisation, user = participant.organisation, participant.user
        offers, requests = counts.get(participant.id, (0, 0))
        rows.append(
            (
                organisation.name,
                organisation.country,
                organisation.city,
                organisation.type_label,
                organisation.size or "",
                "; ".join(organisation.sectors or []),
                user.name if user else "",
                user.email if user else "",
                user.phone if user else "",
                user.job_title if user else "",
                PARTICIPANT_STATUSES[participant.status],
                participant.looking_for,
                offers,
                requests,
                participant.registered_at,
            )
        )
    return _file(event, "participants", fmt, PARTICIPANT_HEADER, rows)


def export_opportunities(event, fmt):
    """All opportunities of the event's participants, sorted by organisation then kind.

    One row each: organisation, person, participant status, kind, category, title,
    description, keywords. `fmt` is "csv" or "xlsx". Returns (bytes, mimetype, filename).
    Raises DomainError for an unknown format.
    """
    query = (
        sa.select(Opportunity)
        .join(Opportunity.participant)
        .join(Participant.organisation)
        .outerjoin(Participant.user)
        .where(Participant.event_id == event.id)
        .options(
            contains_eager(Opportunity.participant).contains_eager(Participant.organisation),
            contains_eager(Opportunity.participant).contains_eager(Participant.user),
        )
        .order_by(
            sa.func.lower(Organisation.name), Participant.id, Opportunity.kind, Opportunity.id
        )
    )
    rows = []
    for opportunity in db.session.scalars(query):
        participant = opportunity.participant
        rows.append(
            (
                participant.organisation.name,
                participant.user.name if participant.user else "",
                PARTICIPANT_STATUSES[participant.status],
                OPPORTUNITY_KINDS[opportunity.kind],
                OPPORTUNITY_CATEGORIES[opportunity.category],
                opportunity.title,
                opportunity.description,
                opportunity.keywords,
            )
        )
    return _file(event, "opportunities", fmt, OPPORTUNITY_HEADER, rows)


def _participants(event):
    query = (
        sa.select(Participant)
        .join(Participant.organisation)
        .outerjoin(Participant.user)
        .where(Participant.event_id == event.id)
        .options(contains_eager(Participant.organisation), contains_eager(Participant.user))
        .order_by(sa.func.lower(Organisation.name), sa.func.lower(User.name), Participant.id)
    )
    return db.session.scalars(query)


def _opportunity_counts(event):
    """{participant id: (offers, requests)} for the event."""
    query = (
        sa.select(Opportunity.participant_id, Opportunity.kind, sa.func.count())
        .join(Opportunity.participant)
        .where(Participant.event_id == event.id)
        .group_by(Opportunity.participant_id, Opportunity.kind)
    )
    counts = {}
    for participant_id, kind, number in db.session.execute(query):
        offers, requests = counts.get(participant_id, (0, 0))
        counts[participant_id] = (number, requests) if kind == "offer" else (offers, number)
    return counts


def _file(event, what, fmt, header, rows):
    if fmt not in FORMATS:
        raise DomainError(f"Unknown format {fmt!r}; choose csv or xlsx.")
    writer = _csv_bytes if fmt == "csv" else _xlsx_bytes
    return writer(header, rows), FORMATS[fmt], f"{event.slug}-{what}.{fmt}"


def _csv_bytes(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value):
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return neutralise(value)


def _xlsx_bytes(header, rows):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.freeze_panes = "A2"
    for position in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 22
    bold = Font(bold=True)

    def cell(value, font=None):
        item = WriteOnlyCell(sheet, value=neutralise(value))
        if isinstance(value, str):
            item.data_type = "s"  # never "f": text stays text whatever it starts with
        if isinstance(value, datetime):
            item.number_format = "yyyy-mm-dd hh:mm"
        if font:
            item.font = font
        return item

    sheet.append([cell(name, bold) for name in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
