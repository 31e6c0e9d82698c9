"""The JSON shapes of the API (marshmallow), from which the OpenAPI document is generated.

Output schemas read the models and the services' plain results; input schemas hold the same
limits as the page's forms (the services check the rules that matter across both doors).
"""

from datetime import UTC
from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate

from matchmaker.models import OPPORTUNITY_CATEGORIES, OPPORTUNITY_KINDS

# The same bounds as the pages' forms (events/forms.py, meetings/forms.py,
# organizer/schedule_forms.py).
LOOKING_FOR_MAX = 200
MAX_MEETINGS = (1, 200)
MESSAGE_MAX = 1000
REASON_MAX = 500
ID = validate.Range(1, 2**31 - 1)


class UtcDateTime(fields.DateTime):
    """A moment stored as naive UTC (created_at and the like), written with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class EventDateTime(fields.DateTime):
    """An event's wall-clock time (slots, registration period), written with the offset of
    the event's time zone; `zone(obj)` names that zone."""

    def __init__(self, zone, **kwargs):
        super().__init__(**kwargs)
        self.zone = zone

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(self.zone(obj)))
        return super()._serialize(value, attr, obj, **kwargs)


def _slot_zone(meeting):
    return meeting.slot.event.timezone


class Strict(Schema):
    """Input: unknown fields are refused, so a typo is an error rather than ignored."""

    class Meta:
        ordered = True


class Problem(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "A link to the problem type"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Messages per field, for invalid input"},
    )


class PageArgs(Strict):
    limit = fields.Integer(load_default=25, validate=validate.Range(1, 100))
    cursor = fields.String(load_default=None, validate=validate.Length(max=500))


def page_of(item_schema, name):
    """A page schema: `items` of `item_schema` and the `next` page's link (null at the end)."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next": fields.Url(allow_none=True, required=True),
        },
        name=name,
    )


class Organisation(Schema):
    name = fields.String()
    country = fields.String()
    city = fields.String()
    type = fields.String()
    website = fields.String()


class Event(Schema):
    slug = fields.String()
    title = fields.String()
    description = fields.String()
    status = fields.String()
    venue = fields.String()
    city = fields.String()
    country = fields.String()
    online = fields.Boolean()
    timezone = fields.String()
    days = fields.List(fields.Date())
    meeting_minutes = fields.Integer()
    registration_opens_at = EventDateTime(lambda e: e["timezone"], allow_none=True)
    registration_closes_at = EventDateTime(lambda e: e["timezone"], allow_none=True)
    participants_public = fields.Boolean()
    participants = fields.Integer(metadata={"description": "Approved participants"})


class Opportunity(Schema):
    id = fields.Integer()
    kind = fields.String()
    category = fields.String()
    title = fields.String()
    description = fields.String()
    keywords = fields.String()


class OpportunityIn(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(list(OPPORTUNITY_KINDS)))
    category = fields.String(required=True, validate=validate.OneOf(list(OPPORTUNITY_CATEGORIES)))
    title = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    keywords = fields.String(load_default="", validate=validate.Length(max=300))


class Registration(Schema):
    id = fields.Integer()
    event = fields.String(attribute="event.slug")
    status = fields.String()
    looking_for = fields.String()
    max_meetings = fields.Integer(allow_none=True)
    organisation = fields.Nested(Organisation)
    opportunities = fields.List(fields.Nested(Opportunity))


class RegistrationIn(Strict):
    looking_for = fields.String(validate=validate.Length(max=LOOKING_FOR_MAX))
    max_meetings = fields.Integer(allow_none=True, validate=validate.Range(*MAX_MEETINGS))


class Person(Schema):
    name = fields.String()
    email = fields.String()


class OrganizerRegistration(Registration):
    person = fields.Nested(Person, attribute="user", allow_none=True)
    registered_at = UtcDateTime()


class DecisionIn(Strict):
    status = fields.String(required=True, validate=validate.OneOf(["approved", "rejected"]))


class RegistrationFilter(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    status = fields.String(
        load_default="",
        validate=validate.OneOf(["", "pending", "approved", "rejected", "withdrawn"]),
    )


class Partner(Schema):
    id = fields.Integer()
    organisation = fields.Nested(Organisation)


class OfferPair(Schema):
    offer_title = fields.String()
    request_title = fields.String()


class Explanation(Schema):
    terms = fields.List(fields.String())
    they_offer_what_you_need = fields.List(
        fields.Nested(OfferPair), attribute="partner_offers", dump_default=list
    )
    you_offer_what_they_need = fields.List(
        fields.Nested(OfferPair), attribute="participant_offers", dump_default=list
    )


class Match(Schema):
    partner = fields.Nested(Partner)
    score = fields.Float(metadata={"description": "0 to 1, higher is better"})
    band = fields.String(attribute="band_label")
    why = fields.Nested(Explanation)
    mark = fields.String(allow_none=True)
    mutual = fields.Boolean()
    standing = fields.String(allow_none=True)
    met_before = fields.String(allow_none=True)


class MatchFilter(PageArgs):
    show = fields.String(
        load_default="all", validate=validate.OneOf(["all", "interested", "mutual", "hidden"])
    )


class MeetingRequest(Schema):
    id = fields.Integer()
    direction = fields.String(metadata={"description": "incoming or outgoing"})
    partner = fields.Nested(Partner)
    status = fields.String()
    message = fields.String()
    decline_reason = fields.String()
    created_at = UtcDateTime()
    expires_at = UtcDateTime(allow_none=True)


class RequestIn(Strict):
    receiver_id = fields.Integer(required=True, validate=ID)
    message = fields.String(load_default="", validate=validate.Length(max=MESSAGE_MAX))
    slot_ids = fields.List(fields.Integer(validate=ID), load_default=list,
                           validate=validate.Length(max=50))  # fmt: skip


class AcceptIn(Strict):
    slot_id = fields.Integer(load_default=None, allow_none=True, validate=ID)


class DeclineIn(Strict):
    reason = fields.String(load_default="", validate=validate.Length(max=REASON_MAX))


class AgendaMeeting(Schema):
    starts_at = EventDateTime(_slot_zone, attribute="slot.starts_at")
    ends_at = EventDateTime(_slot_zone, attribute="slot.ends_at")
    table = fields.Function(lambda m: m.table.label if m.table else None)
    partner = fields.Nested(Partner)
    why = fields.Nested(Explanation, allow_none=True)
    status = fields.String(attribute="meeting.status")


class Agenda(Schema):
    published = fields.Boolean()
    meetings = fields.List(fields.Nested(AgendaMeeting))


class JobIn(Strict):
    min_meetings = fields.Integer(load_default=0, validate=validate.Range(0, 50))
    include_suggestions = fields.Boolean(load_default=True)
    time_limit = fields.Integer(load_default=20, validate=validate.Range(2, 120))


class Job(Schema):
    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    progress = fields.Float(metadata={"description": "0 to 1"})
    stage = fields.String()
    message = fields.String()
    result = fields.Dict()
    created_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)


class Meeting(Schema):
    id = fields.Integer()
    starts_at = EventDateTime(_slot_zone, attribute="slot.starts_at")
    table = fields.Function(lambda m: m.table.label if m.table else None)
    participants = fields.Function(
        lambda m: [m.participant_a.organisation.name, m.participant_b.organisation.name]
    )
    participant_ids = fields.Function(lambda m: [m.participant_a_id, m.participant_b_id])
    source = fields.String()
    status = fields.String()


class Schedule(Schema):
    version = fields.Integer()
    status = fields.String()
    created_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)
    meeting_count = fields.Integer()
    outcome = fields.List(fields.String())


class ScheduleDetail(Schedule):
    meetings = fields.List(fields.Nested(Meeting))


class PublishResult(Schema):
    version = fields.Integer()
    status = fields.String()
    told = fields.Integer(metadata={"description": "Participants emailed"})


class ImportResult(Schema):
    participants = fields.Integer()
    new_accounts = fields.Integer()
    organisations_created = fields.Integer()
    unconfirmed = fields.List(fields.String())


class ImportIn(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class Pair(Schema):
    label = fields.String()
    value = fields.Raw()


class Statistics(Schema):
    registrations = fields.Integer()
    approved = fields.Integer()
    organisations = fields.Integer()
    countries = fields.Integer()
    checked_in = fields.Integer()
    published = fields.Boolean()
    meetings = fields.Integer()
    cross_border = fields.Integer()
    requests_pending = fields.Integer()
    feedback_answers = fields.Integer()
    by_country = fields.List(fields.List(fields.Raw()))
    by_type = fields.List(fields.List(fields.Raw()))
    funnel = fields.List(fields.List(fields.Raw()))
    meeting_status = fields.List(fields.List(fields.Raw()))
    outcomes = fields.List(fields.List(fields.Raw()))


class ExportLink(Schema):
    name = fields.String()
    csv = fields.Url()
    xlsx = fields.Url()
