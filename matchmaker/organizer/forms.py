from zoneinfo import available_timezones

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from matchmaker.countries import country_choices
from matchmaker.matching.history import MET_BEFORE_FACTOR
from matchmaker.models import (
    EVENT_KINDS,
    ORGANISATION_TYPES,
    PARTICIPANT_STATUSES,
    REQUEST_MODES,
    SCHEDULING_MODES,
    SLOT_CHOOSERS,
)
from matchmaker.models.networks import MET_BEFORE_POLICIES
from matchmaker.services import video
from matchmaker.services.errors import DomainError
from matchmaker.services.events import DEFAULT_SEATS, EVENT_FIELDS, MAX_SEATS, MIN_SEATS
from matchmaker.webutil import SafeForm, one_line, options, plausible_date

SESSION_ROWS = 6
TABLE_NAME_LENGTH = 80  # the tables.name column
BREAK_ROWS = 4


class WindowForm(Form):
    """One row of the sessions or breaks grid; a blank row is ignored."""

    day = DateField(_l("Day"), validators=[Optional(), plausible_date])
    start = TimeField(_l("From"), validators=[Optional()])
    end = TimeField(_l("To"), validators=[Optional()])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=120), one_line])

    @property
    def is_blank(self):
        return not (self.day.data or self.start.data or self.end.data)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        parts = (self.day, self.start, self.end)
        if self.is_blank or all(part.data for part in parts):
            return valid
        # An Optional() empty field stops its own checks, so the row's completeness is
        # checked here: a half-filled row is an error, never silently dropped.
        if not any(part.errors for part in parts):
            self.end.errors.append(_("Give the day, the start and the end."))
        return False

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_("The end must come after the start."))


class LinesField(TextAreaField):
    """A list of texts edited one per line; filled from a list (the edited object's)."""

    def process_data(self, value):
        self.data = "\n".join(value) if isinstance(value, list | tuple) else value


class EventForm(SafeForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address"),
        validators=[Optional(), Length(max=60)],
        description=_l("Letters, digits and dashes; made from the title when left empty."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    kind = SelectField(
        _l("Kind of event"),
        choices=options(EVENT_KINDS.items()),
        default="brokerage",
        description=_l(
            "Economic mission: a delegation visits hosts. Its Groups page sets up "
            "the two sides and who meets whom."
        ),
    )
    format = SelectField(
        _l("Format"),
        choices=options(
            [
                ("in_person", _l("In person")),
                ("online", _l("Online")),
                ("hybrid", _l("Hybrid (in the hall and online)")),
            ]
        ),
        default="in_person",
        description=_l(
            "Hybrid: each participant says whether it comes to the hall or joins online; "
            "meetings with an online participant are held by video and need no table."
        ),
    )
    video_template = StringField(
        _l("Video room address (optional)"),
        validators=[Length(max=300)],
        description=_l(
            "Your own BigBlueButton or Jitsi server, with {room} where each meeting's room "
            "goes, e.g. https://meet.example.org/{room}. Empty: the public Jitsi Meet."
        ),
    )
    venue = StringField(_l("Venue"), validators=[Length(max=200)])
    city = StringField(_l("City"), validators=[Length(max=120)])
    country = SelectField(_l("Country"), choices=options([("", "—")] + country_choices()))
    timezone = SelectField(
        _l("Time zone"),
        choices=options((zone, zone) for zone in sorted(available_timezones())),
        default="Europe/Bucharest",
    )
    registration_opens_at = DateTimeLocalField(_l("Registration opens"), validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), validators=[Optional()])
    sessions = FieldList(FormField(WindowForm), min_entries=SESSION_ROWS)
    breaks = FieldList(FormField(WindowForm), min_entries=BREAK_ROWS)
    meeting_minutes = IntegerField(
        _l("Meeting length (minutes)"), default=25, validators=[DataRequired(), NumberRange(5, 240)]
    )
    gap_minutes = IntegerField(
        _l("Gap between meetings (minutes)"),
        default=5,
        validators=[Optional(), NumberRange(0, 120)],
    )
    table_count = IntegerField(
        _l("Number of tables"), default=10, validators=[DataRequired(), NumberRange(1, 1000)]
    )
    table_names = TextAreaField(
        _l("Table names (optional)"),
        validators=[Length(max=5000)],
        description=_l("One per line, e.g. “Stand B4”; line 1 names table 1. Empty: Table 1, 2, …"),
    )
    # Issue 25: group meetings need a table with a seat for every member.
    table_seats = TextAreaField(
        _l("Seats per table (optional)"),
        validators=[Length(max=5000)],
        description=_l(
            "One number per line; line 1 is table 1. An empty line or a table without a line "
            "seats 4. Group meetings are placed only at a table with a seat for every member."
        ),
    )
    participants_public = BooleanField(_l("Everyone may see the participants and the marketplace"))
    participant_walk_ins = BooleanField(
        _l("Participants may book walk-ins"),
        description=_l(
            "On the day, a participant may book a meeting with someone free in the same "
            "slot. Off: only organizers and helpers book walk-ins."
        ),
    )
    max_requests_per_participant = IntegerField(
        _l("Maximum requests a participant may send"),
        validators=[Optional(), NumberRange(1, 1000)],
        description=_l("Empty for no limit."),
    )
    max_meetings_per_participant = IntegerField(
        _l("Maximum meetings per participant"), validators=[Optional(), NumberRange(1, 200)]
    )
    request_expiry_hours = IntegerField(
        _l("Pending requests expire after (hours)"),
        validators=[Optional(), NumberRange(1, 24 * 90)],
        description=_l("A request nobody answers closes then, and frees the times it held."),
    )
    scheduling_mode = SelectField(
        _l("Who places the meetings"),
        choices=options(SCHEDULING_MODES.items()),
        default="organizer",
        description=_l(
            "Organizer: you generate and publish the agenda. Participants book: a "
            "request names times, accepting books a table at once. Hybrid: bookings stay, the "
            "optimiser fills the rest."
        ),
    )
    slot_chooser = SelectField(
        _l("Who picks the time"),
        choices=options(SLOT_CHOOSERS.items()),
        default="requester",
        description=_l(
            "When participants book: the one asking proposes times, or the partner "
            "picks one when accepting."
        ),
    )
    request_mode = SelectField(
        _l("Requests"),
        choices=options(REQUEST_MODES.items()),
        default="opt_in",
        description=_l(
            "Automatically: a request is a meeting at once, without waiting for an "
            "answer (the requester then picks the time)."
        ),
    )
    # A choice, not a checkbox: a form posted without it (an older page) keeps the setting.
    approval_required = SelectField(
        _l("Registrations"),
        choices=options(
            [
                (True, _l("Each registration waits for an organizer's approval")),
                (False, _l("Registrations are approved as they are saved")),
            ]
        ),
        coerce=lambda value: value in (True, "True"),
        default=True,
        description=_l("Approved as saved: a new company sees its matches at once."),
    )
    sectors = LinesField(
        _l("Extra sectors for this event"),
        validators=[Length(max=3000)],
        description=_l("One per line; added to the platform's sector list."),
    )
    # Issue 23 (networks): choices are set by the view (networks.networks_for the user, plus
    # the event's own); not validated as a choice so a form posted without it keeps the network.
    network_id = SelectField(
        _l("Network"),
        coerce=lambda value: int(value) if value not in (None, "") else 0,
        validate_choice=False,
        description=_l("The network of clusters or chambers this event belongs to, if any."),
    )
    confirm = HiddenField(default="")
    preview = SubmitField(_l("Preview slots"))
    submit = SubmitField(_l("Save event"))

    def validate_network_id(self, field):
        if field.data and field.data not in {int(choice.value) for choice in field.choices}:
            raise ValidationError(_("Choose a network from the list."))

    def validate_table_names(self, field):
        names = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(names) > (self.table_count.data or 0):
            raise ValidationError(_("There are more table names than tables."))
        too_long = next((name for name in names if len(name) > TABLE_NAME_LENGTH), None)
        if too_long:
            raise ValidationError(
                _(
                    "A table name has at most %(most)s characters: “%(name)s…” has %(length)s.",
                    most=TABLE_NAME_LENGTH,
                    name=too_long[:20],
                    length=len(too_long),
                )
            )

    def validate_table_seats(self, field):
        lines = (field.data or "").splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        if len(lines) > (self.table_count.data or 0):
            raise ValidationError(_l("There are more lines of seats than tables."))
        for number, line in enumerate(lines, start=1):
            text = line.strip()
            if text and not (text.isdigit() and MIN_SEATS <= int(text) <= MAX_SEATS):
                raise ValidationError(
                    _l(
                        "Line %(number)s: seats are a whole number from %(low)s to %(high)s.",
                        number=number,
                        low=MIN_SEATS,
                        high=MAX_SEATS,
                    )
                )

    def validate_request_mode(self, field):
        if (
            field.data == "opt_out"
            and self.scheduling_mode.data != "organizer"
            and self.slot_chooser.data == "receiver"
        ):
            raise ValidationError(
                _(
                    "Requests accepted automatically have no answer to pick a time in: let the "
                    "requester pick it."
                )
            )

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if field.data and opens and field.data <= opens:
            raise ValidationError(_("Registration must close after it opens."))

    def validate_sessions(self, field):
        rows = self.session_rows()
        if not rows:
            raise ValidationError(_("Add at least one meeting session (a day with its hours)."))
        by_day = {}
        for day, start, end, _title in sorted(rows):
            previous = by_day.get(day)
            if previous and start < previous:
                raise ValidationError(
                    _("Two sessions overlap on %(day)s.", day=format_date(day, "dd MMM y"))
                )
            by_day[day] = end

    def validate_breaks(self, field):
        days = {row[0] for row in self.session_rows()}
        for day, *_rest in self.break_rows():
            if day not in days:
                raise ValidationError(
                    _(
                        "The break on %(day)s is not on a meeting day.",
                        day=format_date(day, "dd MMM y"),
                    )
                )

    def session_rows(self):
        return _rows(self.sessions)

    def break_rows(self):
        return _rows(self.breaks)

    def validate_video_template(self, field):
        try:
            field.data = video.check_template(field.data)
        except DomainError as error:
            raise ValidationError(str(error)) from None

    def event_data(self):
        data = {name: getattr(self, name).data for name in EVENT_FIELDS}
        data["gap_minutes"] = self.gap_minutes.data or 0
        data["slug"] = self.slug.data
        data["sectors"] = [line.strip() for line in (self.sectors.data or "").splitlines()]
        data["sectors"] = [line for line in data["sectors"] if line]
        data["table_names"] = [line.strip() for line in (self.table_names.data or "").splitlines()]
        data["table_seats"] = [
            int(line) if line.strip() else None
            for line in (self.table_seats.data or "").splitlines()
        ]
        data["network_id"] = self.network_id.data or None
        return data

    def load(self, event):
        """Fill the grid rows from a stored event (for the edit page)."""
        for rows, windows in ((self.sessions, event.sessions), (self.breaks, event.breaks)):
            while len(rows) < len(windows) + 2:
                rows.append_entry()
            for row, window in zip(rows, windows, strict=False):
                row.day.data, row.start.data, row.end.data = window.day, window.start, window.end
                row.title.data = getattr(window, "title", "")
        self.sectors.data = "\n".join(event.sectors or [])
        self.table_names.data = "\n".join(table.name for table in event.tables).rstrip()
        seats = [str(table.seats) for table in event.tables]
        while seats and seats[-1] == str(DEFAULT_SEATS):
            seats.pop()  # only what differs from the default
        self.table_seats.data = "\n".join(seats)


def _rows(field_list):
    """The complete rows (an incomplete one carries its own error)."""
    return [
        (row.day.data, row.start.data, row.end.data, row.title.data or "")
        for row in field_list
        if row.day.data and row.start.data and row.end.data
    ]


class StatusForm(SafeForm):
    status = HiddenField(validators=[DataRequired()])


class OrganizerForm(SafeForm):
    email = EmailField(
        _l("Email of the organizer's account"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    submit = SubmitField(_l("Add organizer"))


class ActionForm(SafeForm):
    """A CSRF-protected button (approve, reject, remove)."""


class ParticipantFilterForm(SafeForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    status = SelectField(
        _l("Status"), choices=options([("", _l("Any status"))] + list(PARTICIPANT_STATUSES.items()))
    )
    country = SelectField(
        _l("Country"), choices=options([("", _l("Any country"))] + country_choices())
    )


def type_pair_choices():
    types = list(ORGANISATION_TYPES.items())
    return options(
        (f"{a}|{b}", f"{label_a} – {label_b}")
        for i, (a, label_a) in enumerate(types)
        for b, label_b in types[i:]
    )


class MatchingOptionsForm(SafeForm):
    cross_border_bonus = DecimalField(
        _l("Cross-border preference"),
        places=2,
        default=0,
        validators=[Optional(), NumberRange(0, 5)],
        description=_l(
            "0 = off. 0.5 lets a foreign partner outrank a domestic one that scores up "
            "to 1.5 times higher."
        ),
    )
    excluded_type_pairs = SelectMultipleField(
        _l("Never match these organisation types with each other"),
        choices=type_pair_choices(),
        validate_choice=True,
    )
    met_before_policy = SelectField(
        _l("Pairs who met at an earlier event of the network"),
        choices=options(MET_BEFORE_POLICIES.items()),
        description=_l(
            "“Lower” keeps %(share)s of their score, so new partners come first. “Follow-up” "
            "adds a suggested meeting for pairs whose feedback said follow-up planned, offer "
            "sent or agreement expected, for participants who accept suggested meetings.",
            share=f"{MET_BEFORE_FACTOR:.0%}",
        ),
    )
    submit = SubmitField(_l("Save options"))

    def pairs(self):
        return [value.split("|") for value in self.excluded_type_pairs.data or []]
