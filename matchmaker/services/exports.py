"""Exporting an event's participants and opportunities as CSV or XLSX files.

Text a spreadsheet could take for a formula (it starts with = + - @, a tab or a carriage
return) is neutralised with a leading apostrophe, in both formats; XLSX cells are written as
strings, never as formulas. CSV files are UTF-8 with a byte-order mark, so Excel shows accents.
"""

import csv
import io
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from matchmaker.countries import country_name
from matchmaker.extensions import db
from matchmaker.models import (
    FEEDBACK_ROUND_KINDS,
    MEETING_SOURCES,
    MEETING_STATUSES,
    OPPORTUNITY_CATEGORIES,
    OPPORTUNITY_KINDS,
    OUTCOMES,
    PARTICIPANT_STATUSES,
    Feedback,
    FeedbackRound,
    Meeting,
    Opportunity,
    Organisation,
    Participant,
    Schedule,
    Slot,
    User,
)
from matchmaker.services import feedback, group_placement, schedule_report, statistics
from matchmaker.services.agenda import with_details
from matchmaker.services.errors import DomainError

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
# (OWASP "CSV injection"), with their full-width forms that some input methods type.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

PARTICIPANT_HEADER = (
    _l("Organisation"),
    _l("Country"),
    _l("City"),
    _l("Type"),
    _l("Size"),
    _l("Sectors"),
    _l("Person"),
    _l("Email"),
    _l("Phone"),
    _l("Job title"),
    _l("Status"),
    _l("Looking for"),
    _l("Number of offers"),
    _l("Number of requests"),
    _l("Registered at (UTC)"),
)
OPPORTUNITY_HEADER = (
    _l("Organisation"),
    _l("Person"),
    _l("Participant status"),
    _l("Kind"),
    _l("Category"),
    _l("Title"),
    _l("Description"),
    _l("Keywords"),
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
                str(PARTICIPANT_STATUSES[participant.status]),
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
                str(PARTICIPANT_STATUSES[participant.status]),
                str(OPPORTUNITY_KINDS[opportunity.kind]),
                str(OPPORTUNITY_CATEGORIES[opportunity.category]),
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


def export_rows(event, what, fmt, header, rows):
    """Any table as a file: `rows` of plain values under `header`, as "csv" or "xlsx", named
    <event slug>-<what>.<fmt>, with the same formula-safe writers as the exports above.
    Returns (bytes, mimetype, filename); raises DomainError for an unknown format."""
    return _file(event, what, fmt, header, rows)


def _file(event, what, fmt, header, rows):
    return table_file(f"{event.slug}-{what}", fmt, header, rows)


def table_file(name, fmt, header, rows):
    """(bytes, mimetype, file name) of `rows` under `header` as a CSV or XLSX file called
    `name`; formulas neutralised as above. Raises DomainError for another format."""
    if fmt not in FORMATS:
        raise DomainError(f"Unknown format {fmt!r}; choose csv or xlsx.")
    writer = _csv_bytes if fmt == "csv" else _xlsx_bytes
    # Column names (and labels such as a meeting's status) in the language of the person
    # downloading the file: lazy strings become text in this request's locale.
    header = [_text(name) for name in header]
    rows = ([_text(value) for value in row] for row in rows)
    return writer(header, rows), FORMATS[fmt], f"{name}.{fmt}"


def _text(value):
    return str(value) if isinstance(value, LazyString) else value


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
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Export"))
    sheet.freeze_panes = "A2"
    for position in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 22
    bold = Font(bold=True)

    def cell(value, font=None):
        if isinstance(value, str):  # XML cannot hold control characters; older rows may
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
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


# --- After the event: meetings, feedback and statistics (for the funder's report) ---------

MEETING_HEADER = (
    _l("Starts at"),
    _l("Ends at"),
    _l("Table"),
    _l("Organisation A"),
    _l("Country A"),
    _l("Person A"),
    _l("Organisation B"),
    _l("Country B"),
    _l("Person B"),
    _l("Cross-border"),
    _l("Source"),
    _l("Status"),
    _l("Code"),
)
FEEDBACK_HEADER = (
    _l("Round"),
    _l("Round kind"),
    _l("Meeting starts at"),
    _l("Table"),
    _l("Organisation"),
    _l("Person"),
    _l("Partner organisation"),
    _l("Partner country"),
    _l("Meeting status"),
    _l("Held"),
    _l("Usefulness (1-5)"),
    _l("Expected outcome"),
    _l("Comment"),
    _l("Answered at (UTC)"),
)
STATISTICS_HEADER = (_l("Figure"), _l("Item"), _l("Value"))
UNPLACED_HEADER = (
    _l("Reason"),
    _l("Organisation"),
    _l("Partner"),
    _l("Priority"),
    _l("Why, with names and times"),
)


def export_meetings(event, fmt):
    """The meetings of the published agenda (cancelled ones too), in slot then table order.

    One row each: start and end (event-local), table, both organisations with country and
    person, cross-border (yes/no), source, status, code. No agenda published: the header
    only. Returns (bytes, mimetype, filename); DomainError for an unknown format.
    """
    rows = []
    meetings = _published_meetings(event)
    groups = group_placement.people_by_meeting(meetings)
    for meeting in meetings:
        a, b = meeting.participant_a, meeting.participant_b
        b_name, b_country, b_person = (
            b.organisation.name, b.organisation.country, b.user.name if b.user else "",
        )  # fmt: skip
        countries = {a.organisation.country, b.organisation.country}
        if meeting.id in groups:  # a group meeting: the first member, then all the others
            a, *others = groups[meeting.id]
            b_name = f"{meeting.group_meeting.title}: " + ", ".join(
                p.organisation.name for p in others
            )
            b_country = ", ".join(sorted({p.organisation.country for p in others}))
            b_person = ", ".join(p.user.name for p in others if p.user)
            countries = {p.organisation.country for p in groups[meeting.id]}
        rows.append(
            (
                meeting.slot.starts_at,
                meeting.slot.ends_at,
                meeting.table.label if meeting.table else ("Online" if meeting.online else ""),
                a.organisation.name,
                a.organisation.country,
                a.user.name if a.user else "",
                b_name,
                b_country,
                b_person,
                "yes" if len(countries) > 1 else "no",
                MEETING_SOURCES.get(meeting.source, meeting.source),
                MEETING_STATUSES.get(meeting.status, meeting.status),
                meeting.code,
            )
        )
    return _file(event, "meetings", fmt, MEETING_HEADER, rows)


def export_unplaced(schedule, fmt):
    """The candidates a schedule version did not place, one row each with the reason in the
    words of the version page (names and times, no ids): reason group, both organisations,
    priority, the sentence. Returns (bytes, mimetype, filename); DomainError for an unknown
    format."""
    rows = schedule_report.unplaced_rows(schedule)
    return _file(schedule.event, f"unplaced-v{schedule.version}", fmt, UNPLACED_HEADER, rows)


def export_feedback(event, fmt):
    """Every feedback answer on the published agenda's meetings, by round, then slot.

    One row per answer: round and its kind, meeting time and table, the answering
    organisation and person, the partner and its country, the meeting's status, held,
    usefulness, expected outcome, comment and when it was answered.
    Returns (bytes, mimetype, filename); DomainError for an unknown format. Three queries.
    """
    meetings = {meeting.id: meeting for meeting in _published_meetings(event)}
    kinds = dict(
        db.session.execute(
            sa.select(FeedbackRound.number, FeedbackRound.kind).where(
                FeedbackRound.event_id == event.id
            )
        ).all()
    )
    answers = db.session.scalars(
        sa.select(Feedback).where(Feedback.meeting_id.in_(list(meetings)))
    ).all() if meetings else []  # fmt: skip
    rows = []
    groups = group_placement.people_by_meeting(list(meetings.values()))
    for answer in answers:
        meeting = meetings[answer.meeting_id]
        mine_is_a = meeting.participant_a_id == answer.participant_id
        me = meeting.participant_a if mine_is_a else meeting.participant_b
        partner = meeting.participant_b if mine_is_a else meeting.participant_a
        if meeting.id in groups:  # a group meeting: "partner" is the group, named
            people = groups[meeting.id]
            me = next((p for p in people if p.id == answer.participant_id), None) or db.session.get(
                Participant, answer.participant_id
            )
            partner = _group_side(meeting.group_meeting.title, people, me)
        rows.append(
            (
                answer.round,
                FEEDBACK_ROUND_KINDS.get(kinds.get(answer.round), ""),
                meeting.slot.starts_at,
                meeting.table.label if meeting.table else ("Online" if meeting.online else ""),
                me.organisation.name,
                me.user.name if me.user else "",
                partner.organisation.name,
                partner.organisation.country,
                MEETING_STATUSES.get(meeting.status, meeting.status),
                "yes" if answer.held else "no",
                answer.usefulness or "",
                OUTCOMES.get(answer.outcome, "") if answer.outcome else "",
                answer.comment,
                answer.created_at,
            )
        )
    rows.sort(key=lambda row: (row[0], row[2], row[4].lower()))
    return _file(event, "feedback", fmt, FEEDBACK_HEADER, rows)


def export_statistics(event, fmt):
    """Every figure the statistics page and the funder's report show, as (figure, item,
    value) rows with the pages' own labels: the key figures, every chart's numbers (countries
    by name), cross-border and same-country meetings, and the answer rate of each feedback
    round. Values are numbers, never text ("86 %" is 86 under "... (%)"); a slot that does
    not exist is left out, not a zero. Returns (bytes, mimetype, filename)."""
    stats = statistics.gather(event)
    rows = [("Key figures", figure.label, figure.value) for figure in stats.key_figures()]
    rows += [("Registrations so far", day, n) for day, n in stats.registrations_by_day]
    rows += [("Participants by country", country_name(code), n) for code, n in stats.by_country]
    rows += [("Participants by type of organisation", label, n) for label, n in stats.by_type]
    rows += [("Meeting requests", label, n) for label, n in stats.funnel]
    rows += [
        ("Meetings per slot", f"{day} {time}", n)
        for day, values in zip(stats.heatmap_days, stats.heatmap, strict=True)
        for time, n in zip(stats.heatmap_times, values, strict=True)
        if n is not None
    ]
    rows += [("Meetings per participant", k, n) for k, n in stats.per_participant]
    rows += [
        ("Cross-border meetings", "Cross-border", stats.cross_border),
        ("Cross-border meetings", "Same country", stats.meetings - stats.cross_border),
    ]
    rows += [
        ("Organisations by country", country, len(names))
        for country, names in statistics.organisations_by_country(event)
    ]
    rows += [
        ("Meetings between countries", f"{first} – {second}", n)
        for first, second, n in statistics.country_pairs(event)
    ]
    rows += [("Held and no-show", label, n) for label, n in stats.meeting_status]
    rows += [("Expected outcomes", label, n) for label, n in stats.outcomes]
    rows += [("Usefulness of the meetings", score, n) for score, n in stats.usefulness]
    for rate in feedback.answer_rates(event):
        name = f"Round {rate.round.number}: {FEEDBACK_ROUND_KINDS[rate.round.kind]}"
        rows += [
            ("Feedback rounds", f"{name}: participants asked", rate.people),
            ("Feedback rounds", f"{name}: meeting sides asked", rate.asked),
            ("Feedback rounds", f"{name}: meeting sides answered", rate.answered),
            ("Feedback rounds", f"{name}: answered (%)", round(100 * rate.share)),
        ]
    return _file(event, "statistics", fmt, STATISTICS_HEADER, rows)


def _group_side(title, people, me):
    """A group meeting where a feedback row names the partner: its title and the others."""
    others = [p for p in people if p.id != me.id]
    return SimpleNamespace(
        organisation=SimpleNamespace(
            name=f"{title}: " + ", ".join(p.organisation.name for p in others),
            country=", ".join(sorted({p.organisation.country for p in others})),
        )
    )


def _published_meetings(event):
    """The published agenda's meetings with slot, table, participants, organisations and
    people loaded, in slot then table order (one query; none published: empty)."""
    return (
        db.session.scalars(
            with_details(
                sa.select(Meeting)
                .join(Schedule, Schedule.id == Meeting.schedule_id)
                .join(Slot, Slot.id == Meeting.slot_id)
                .where(Schedule.event_id == event.id, Schedule.status == "published")
                .order_by(Slot.starts_at, Meeting.table_id, Meeting.id)
            )
        )
        .unique()
        .all()
    )
