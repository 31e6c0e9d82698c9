"""The domain model of design.md, one module per aggregate."""

from matchmaker.models.accounts import (
    MAIL_STATUSES,
    MEMBERSHIP_STATUSES,
    LoginSession,
    MembershipRequest,
    OutgoingMail,
)
from matchmaker.models.cache import CacheVersion
from matchmaker.models.events import (
    EVENT_STATUSES,
    REQUEST_MODES,
    SCHEDULING_MODES,
    SLOT_CHOOSERS,
    STATUS_MOVES,
    Event,
    EventBreak,
    EventSession,
    Slot,
    Table,
    event_helpers,
    event_organizers,
)
from matchmaker.models.feedback import (
    FEEDBACK_ROUND_KINDS,
    OUTCOMES,
    Feedback,
    FeedbackRound,
    FunderReport,
)
from matchmaker.models.inbox import Message, Notice
from matchmaker.models.jobs import JOB_STATUSES, Job
from matchmaker.models.matches import INTEREST_VALUES, Interest, Match, MatchModel
from matchmaker.models.opportunities import OPPORTUNITY_CATEGORIES, OPPORTUNITY_KINDS, Opportunity
from matchmaker.models.organisations import ORGANISATION_SIZES, ORGANISATION_TYPES, Organisation
from matchmaker.models.participants import PARTICIPANT_STATUSES, Participant, unavailable_slots
from matchmaker.models.requests import REQUEST_STATUSES, MeetingRequest, request_slots
from matchmaker.models.schedules import (
    MEETING_SOURCES,
    MEETING_STATUSES,
    Meeting,
    MeetingAttendee,
    Schedule,
)
from matchmaker.models.users import MESSAGE_EMAIL_CHOICES, ROLES, User

__all__ = [
    "request_slots",
    "MatchModel",
    "Notice",
    "Message",
    "MESSAGE_EMAIL_CHOICES",
    "SLOT_CHOOSERS",
    "SCHEDULING_MODES",
    "REQUEST_MODES",
    "EVENT_STATUSES",
    "FEEDBACK_ROUND_KINDS",
    "INTEREST_VALUES",
    "JOB_STATUSES",
    "MAIL_STATUSES",
    "MEETING_SOURCES",
    "MEETING_STATUSES",
    "MEMBERSHIP_STATUSES",
    "OPPORTUNITY_CATEGORIES",
    "OPPORTUNITY_KINDS",
    "ORGANISATION_SIZES",
    "ORGANISATION_TYPES",
    "OUTCOMES",
    "PARTICIPANT_STATUSES",
    "REQUEST_STATUSES",
    "ROLES",
    "STATUS_MOVES",
    "CacheVersion",
    "Event",
    "EventBreak",
    "EventSession",
    "Feedback",
    "FeedbackRound",
    "FunderReport",
    "Interest",
    "Job",
    "LoginSession",
    "Match",
    "Meeting",
    "MeetingAttendee",
    "MeetingRequest",
    "MembershipRequest",
    "Opportunity",
    "Organisation",
    "OutgoingMail",
    "Participant",
    "Schedule",
    "Slot",
    "Table",
    "User",
    "event_helpers",
    "event_organizers",
    "unavailable_slots",
]
