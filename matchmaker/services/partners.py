"""Partners of an event (issue 23): members of the event's network that co-organize it.

An organizer adds members of the event's network as partners; each partner has its own
invitation link, and a company registering through it is tagged with that partner. The
partner's staff (NetworkMember.staff) follow their companies on a dashboard, decide on their
pending registrations (registration.set_status, the same mail and effects as an organizer's
decision), remind those who are stuck (through the mail service's outbox) and export their
results. They never see anything of another partner's companies: `companies` and every
figure here are filtered on the partner.
"""

import re
import secrets
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from matchmaker.extensions import db
from matchmaker.models import (
    OUTCOMES,
    PARTICIPANT_STATUSES,
    EventPartner,
    Feedback,
    Meeting,
    MeetingRequest,
    NetworkMember,
    Participant,
    Schedule,
)
from matchmaker.services import exports, registration
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.services.mail import send_mail

# Why a company is "stuck", in the order a reminder lists them. The reminder mail says each
# reason's sentence; the dashboard shows its short label.
STUCK_REASONS = {
    "no_opportunities": (
        _l("Nothing offered or needed"),
        _l(
            "You have not yet said what you offer or what you need: without that, nobody "
            "finds you and no match is suggested to you."
        ),
    ),
    "no_requests_sent": (
        _l("No request sent"),
        _l(
            "You have not sent any meeting request yet: look at your suggested matches and "
            "ask the ones you want to meet."
        ),
    ),
    "requests_waiting": (
        _l("Requests waiting for an answer"),
        _l(
            "Other participants asked to meet you and wait for your answer: accept or "
            "decline their requests."
        ),
    ),
}
# Until when sending requests still makes sense: before the agenda is fixed.
REQUESTS_OPEN = ("registration_open", "matchmaking")
# The steps of registration.next_steps that make a complete profile for this event.
PROFILE_STEPS = ("profile", "offer", "request")


def _check_organizer(event, by):
    if not event.is_organized_by(by):
        raise NotAllowed(_("Only the event's organizers manage its partners."))


# --- the organizer's side ----------------------------------------------------------------------


def candidate_members(event):
    """Current members of the event's network that are not yet its partners, by name (empty
    for an event without a network)."""
    if event.network is None:
        return []
    taken = {partner.member_id for partner in event.partners}
    members = [m for m in event.network.members if m.is_current and m.id not in taken]
    return sorted(members, key=lambda member: member.name.casefold())


def add_partner(event, member_id, by):
    """Make the member `member_id` of the event's network a partner of the event, with a new
    invitation link, and commit. Raises NotAllowed for anyone but the event's organizers,
    DomainError when the event has no network or the member is not a current member of it,
    Conflict when it is a partner already."""
    _check_organizer(event, by)
    if event.network is None:
        raise DomainError(
            _("This event belongs to no network: choose its network in the event's settings first.")
        )
    member = db.session.get(NetworkMember, member_id) if member_id else None
    if member is None or member.network_id != event.network_id or not member.is_current:
        raise DomainError(
            _("Choose one of the members of %(network)s.", network=event.network.name)
        )
    if any(partner.member_id == member.id for partner in event.partners):
        raise Conflict(_("%(member)s is already a partner of this event.", member=member.name))
    partner = EventPartner(event=event, member=member)
    db.session.add(partner)
    with _unique(f"{member.name} is already a partner of this event."):
        db.session.commit()
    return partner


class _unique:
    """Turn the unique key's refusal (two organizers adding the same member at once) into a
    Conflict with `message`, the session rolled back."""

    def __init__(self, message):
        self.message = message

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback):
        if kind is not None and issubclass(kind, sa.exc.IntegrityError):
            db.session.rollback()
            raise Conflict(self.message) from error
        return False


def replace_link(partner, by):
    """Give the partner a new invitation link and commit: the old link stops working (a
    visitor opening it is told so); companies already registered keep their partner."""
    _check_organizer(partner.event, by)
    partner.invite_token = secrets.token_urlsafe(18)
    db.session.commit()
    return partner


def remove_partner(partner, by):
    """Remove the partner from its event and commit. Its companies keep their registration,
    with no partner; its staff lose their dashboard for this event."""
    _check_organizer(partner.event, by)
    db.session.execute(
        sa.update(Participant).where(Participant.partner_id == partner.id).values(partner_id=None)
    )
    db.session.delete(partner)
    db.session.commit()


def retag(participant, partner_id, by):
    """Attach the participant to another partner of its event (None: to no partner) and
    commit. Raises NotAllowed for anyone but the event's organizers, DomainError for a partner
    of another event."""
    event = participant.event
    _check_organizer(event, by)
    partner = None
    if partner_id is not None:
        partner = next((p for p in event.partners if p.id == partner_id), None)
        if partner is None:
            raise DomainError(_("Choose one of this event's partners, or none."))
    participant.partner = partner
    db.session.commit()
    return partner


def partner_counts(event):
    """{partner id: number of its registrations, whatever their status}."""
    rows = db.session.execute(
        sa.select(Participant.partner_id, sa.func.count())
        .where(Participant.event_id == event.id, Participant.partner_id.is_not(None))
        .group_by(Participant.partner_id)
    ).all()
    return dict(rows)


# --- the invitation link -----------------------------------------------------------------------


def partner_for_token(event, token):
    """The partner of `event` whose invitation link carries `token`, or None (unknown,
    replaced, or a partner of another event)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        sa.select(EventPartner).where(
            EventPartner.event_id == event.id, EventPartner.invite_token == token
        )
    )


# --- the partner's staff -----------------------------------------------------------------------


def partners_staffed_by(event, user):
    """The partners of `event` whose member counts `user` among its staff (usually one)."""
    if not user.is_authenticated:
        return []
    return [partner for partner in event.partners if partner.is_staffed_by(user)]


def events_staffed_by(user):
    """[(event, partner)] where `user` is staff of a partner, newest event first."""
    from matchmaker.models import Event, member_staff

    if not user.is_authenticated:
        return []
    rows = db.session.execute(
        sa.select(Event, EventPartner)
        .join(EventPartner, EventPartner.event_id == Event.id)
        .join(member_staff, member_staff.c.member_id == EventPartner.member_id)
        .where(member_staff.c.user_id == user.id, Event.status != "draft")
        .order_by(Event.id.desc(), EventPartner.id)
    ).all()
    return [(event, partner) for event, partner in rows]


def _check_staff(partners, by):
    if not partners or not all(partner.is_staffed_by(by) for partner in partners):
        raise NotAllowed(_("Only the partner's staff follow its companies."))


@dataclass
class Company:
    """One of a partner's companies with its figures for the dashboard and the export."""

    participant: Participant
    profile_steps: list  # (key, done) of PROFILE_STEPS
    offers: int = 0
    requests_needs: int = 0  # opportunities of kind "request" (what it needs)
    sent: int = 0
    received: int = 0
    waiting: int = 0  # received and still pending
    accepted: int = 0  # sent or received, accepted
    meetings: int = 0  # in the published agenda, not cancelled
    held: int = 0
    no_shows: int = 0  # meetings the company itself missed
    outcomes: Counter = field(default_factory=Counter)  # outcome label -> its answers

    @property
    def name(self):
        return self.participant.organisation.name

    @property
    def status(self):
        return self.participant.status

    @property
    def status_label(self):
        return str(PARTICIPANT_STATUSES[self.participant.status])  # in the language of the request

    @property
    def completeness(self):
        """Share of PROFILE_STEPS done, as a whole percent."""
        done = sum(1 for _key, ok in self.profile_steps if ok)
        return round(100 * done / len(self.profile_steps))

    @property
    def missing_steps(self):
        return [key for key, ok in self.profile_steps if not ok]

    @property
    def stuck(self):
        """Why the company needs a nudge: keys of STUCK_REASONS, in their order (empty: it
        is doing fine, or a reminder would not help: not approved, or the event moved on)."""
        event = self.participant.event
        if self.status != "approved" or event.status not in REQUESTS_OPEN + ("agenda_published",):
            return []
        reasons = []
        if self.offers + self.requests_needs == 0:
            reasons.append("no_opportunities")
        if self.sent == 0 and event.status in REQUESTS_OPEN:
            reasons.append("no_requests_sent")
        if self.waiting and event.status in REQUESTS_OPEN:
            reasons.append("requests_waiting")
        return reasons

    @property
    def stuck_labels(self):
        return [str(STUCK_REASONS[key][0]) for key in self.stuck]

    @property
    def outcome_text(self):
        return ", ".join(f"{label}: {n}" for label, n in self.outcomes.items() if n) or ""


def companies(event, partners, by):
    """The companies that registered through `partners` (all of `event`, all staffed by
    `by`), those waiting for approval first, then by name, each a Company with its figures.
    Meetings come from the published agenda; feedback outcomes from the latest answer of
    the company on each meeting (the rule of statistics.gather). Raises NotAllowed unless
    `by` is staff of every partner. A handful of queries plus one per company
    (registration.next_steps)."""
    _check_staff(partners, by)
    rows = db.session.scalars(
        sa.select(Participant)
        .where(
            Participant.event_id == event.id,
            Participant.partner_id.in_([partner.id for partner in partners]),
        )
        .options(
            joinedload(Participant.organisation),
            joinedload(Participant.user),
            joinedload(Participant.partner),
            selectinload(Participant.opportunities),
        )
    ).all()
    found = {
        p.id: Company(p, [s for s in registration.next_steps(p) if s[0] in PROFILE_STEPS])
        for p in rows
    }
    for company in found.values():
        kinds = Counter(o.kind for o in company.participant.opportunities)
        company.offers, company.requests_needs = kinds["offer"], kinds["request"]
    if found:
        _request_figures(event, found)
        _meeting_figures(event, found)
    # Those waiting for the partner's decision first: they are what the partner acts on.
    return sorted(
        found.values(), key=lambda c: (c.status != "pending", c.name.casefold(), c.participant.id)
    )


def _request_figures(event, found):
    ids = list(found)
    rows = db.session.execute(
        sa.select(
            MeetingRequest.sender_id, MeetingRequest.receiver_id, MeetingRequest.status
        ).where(
            MeetingRequest.event_id == event.id,
            sa.or_(MeetingRequest.sender_id.in_(ids), MeetingRequest.receiver_id.in_(ids)),
        )
    ).all()
    for sender, receiver, status in rows:
        if sender in found:
            found[sender].sent += 1
            found[sender].accepted += status == "accepted"
        if receiver in found:
            found[receiver].received += 1
            found[receiver].waiting += status == "pending"
            found[receiver].accepted += status == "accepted"


def _meeting_figures(event, found):
    schedule_id = db.session.scalar(
        sa.select(Schedule.id).where(Schedule.event_id == event.id, Schedule.status == "published")
    )
    if schedule_id is None:
        return
    ids = list(found)
    meetings = db.session.execute(
        sa.select(Meeting.participant_a_id, Meeting.participant_b_id, Meeting.status).where(
            Meeting.schedule_id == schedule_id,
            sa.or_(Meeting.participant_a_id.in_(ids), Meeting.participant_b_id.in_(ids)),
        )
    ).all()
    for first, second, status in meetings:
        if status == "cancelled":
            continue
        for side, participant_id in (("a", first), ("b", second)):
            company = found.get(participant_id)
            if company is None:
                continue
            company.meetings += 1
            company.held += status == "held"
            company.no_shows += status == f"no_show_{side}"
    answers = db.session.execute(
        sa.select(Feedback.meeting_id, Feedback.participant_id, Feedback.outcome)
        .join(Meeting, Meeting.id == Feedback.meeting_id)
        .where(Meeting.schedule_id == schedule_id, Feedback.participant_id.in_(ids))
        .order_by(Feedback.round)
    ).all()
    latest = {(row.meeting_id, row.participant_id): row.outcome for row in answers}
    for (_meeting, participant_id), outcome in latest.items():
        if outcome:
            found[participant_id].outcomes[OUTCOMES[outcome]] += 1


def company_of(event, partners, participant_id):
    """The registration `participant_id` if it came through one of `partners`, else None."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        return None
    if participant.partner_id not in {partner.id for partner in partners}:
        return None
    return participant


def decide(participant, status, by):
    """Approve or reject one of the partner's own companies: registration.set_status, so the
    company gets the same mail and its matches the same refresh as when an organizer decides.
    Raises NotAllowed when `by` is not staff of the company's partner."""
    if participant.partner is None or not participant.partner.is_staffed_by(by):
        raise NotAllowed(_("Only the staff of the company's partner decide on it here."))
    registration.set_status(participant, status, by=by)


def stuck_companies(event, partners, by):
    """The companies that a reminder would reach now: [(Company, [reason sentences])]."""
    return [
        (company, [str(STUCK_REASONS[key][1]) for key in company.stuck])
        for company in companies(event, partners, by)
        if company.stuck and company.participant.user is not None
    ]


def remind_stuck(event, partners, by):
    """Mail each stuck company (see Company.stuck) one reminder listing its reasons, signed
    by its partner, through the mail service's outbox, and commit. Returns how many were
    reminded (0: nobody was stuck, nothing sent)."""
    stuck = stuck_companies(event, partners, by)
    for company, reasons in stuck:
        participant = company.participant
        send_mail(
            participant.user.email,
            _l("%(event)s: a few steps left", event=event.title),
            "partner_reminder",
            participant=participant,
            event=event,
            partner=participant.partner,
            reasons=reasons,
            sender=by,
        )
    db.session.commit()
    return len(stuck)


EXPORT_HEADER = (
    "Organisation",
    "Country",
    "Type",
    "Person",
    "Email",
    "Partner",
    "Status",
    "Profile complete (%)",
    "Offers",
    "Needs",
    "Requests sent",
    "Requests received",
    "Requests accepted",
    "Meetings",
    "Meetings held",
    "No-shows",
    *OUTCOMES.values(),
    "Registered at (UTC)",
)


def export_companies(event, partners, fmt, by):
    """The partner's companies and their figures, one row each (EXPORT_HEADER), as CSV or
    XLSX through the export service's writers (formula-safe). Returns (bytes, mimetype,
    filename). Raises NotAllowed unless `by` is staff of every partner."""
    rows = []
    for company in companies(event, partners, by):
        participant, user = company.participant, company.participant.user
        rows.append(
            (
                company.name,
                participant.organisation.country,
                participant.organisation.type_label,
                user.name if user else "",
                user.email if user else "",
                participant.partner.name,
                company.status_label,
                company.completeness,
                company.offers,
                company.requests_needs,
                company.sent,
                company.received,
                company.accepted,
                company.meetings,
                company.held,
                company.no_shows,
                *(company.outcomes.get(label, 0) for label in OUTCOMES.values()),
                participant.registered_at,
            )
        )
    names = "-".join(partner.name for partner in partners)
    what = re.sub(r"[^a-z0-9]+", "-", names.lower()).strip("-")[:60] or "partner"
    return exports.export_rows(event, f"{what}-companies", fmt, EXPORT_HEADER, rows)
