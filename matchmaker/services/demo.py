"""Load the demo brokerage events from the data files of `matchmaker.demo_data` into the
database: this year's event, last year's finished edition, the network they belong to and its
economic mission (the last two in services/demo_network.py).

Idempotent: people are found by email and events by slug, so running it again adds nothing.
"""

import random
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    EventBreak,
    EventSession,
    Feedback,
    FeedbackRound,
    FunderReport,
    Meeting,
    MeetingRequest,
    Opportunity,
    Participant,
    ParticipantGroup,
    Schedule,
    User,
    group_exclusions,
)
from matchmaker.models.base import utcnow
from matchmaker.services import demo_network
from matchmaker.services.accounts import normalise_email
from matchmaker.services.events import sync_slots_and_tables


@dataclass
class DemoReport:
    slug: str
    created: bool
    organisations: int
    participants: int
    opportunities: int
    requests: int
    password: str
    logins: list
    # (what the account is, email, of what) for the network's administrator and partner staff
    network_logins: list = dataclass_field(default_factory=list)

    def summary(self):
        verb = "Loaded" if self.created else "Already loaded"
        return (
            f"{verb}: {self.organisations} organisations, {self.participants} participants, "
            f"{self.opportunities} opportunities, {self.requests} meeting requests."
        )


def _data():
    # Read on use: web processes never need the demo content in memory.
    from matchmaker import demo_data

    return demo_data.load()


def _time(text):
    return time.fromisoformat(text)


def _logins():
    demo_data = _data()
    organizer = normalise_email(demo_data.ORGANIZER["email"])
    return [
        ("organizer" if normalise_email(email) == organizer else "participant", email)
        for email in demo_data.DEMO_LOGINS
    ]


def demo_report():
    """Counts and logins of the loaded demo event, or None when it is not loaded."""
    demo_data = _data()
    event = db.session.scalar(sa.select(Event).where(Event.slug == demo_data.EVENT["slug"]))
    if event is None:
        return None
    return _report(event, created=False)


def _report(event, created):
    count = lambda query: db.session.scalar(query)  # noqa: E731
    participants = count(sa.select(sa.func.count()).where(Participant.event_id == event.id))
    return DemoReport(
        slug=event.slug,
        created=created,
        organisations=count(
            sa.select(sa.func.count(sa.distinct(Participant.organisation_id))).where(
                Participant.event_id == event.id
            )
        ),
        participants=participants,
        opportunities=count(
            sa.select(sa.func.count(Opportunity.id))
            .join(Participant)
            .where(Participant.event_id == event.id)
        ),
        requests=count(sa.select(sa.func.count()).where(MeetingRequest.event_id == event.id)),
        password=_data().DEMO_PASSWORD,
        logins=_logins(),
        network_logins=demo_network.network_logins(),
    )


def load_demo(progress=None):
    """Create the demo event with its organisations, people, opportunities, availability and
    meeting requests, and commit. Returns a DemoReport. `progress(done, total)` is called as
    organisations are loaded."""
    demo_data = _data()
    existing = demo_report()
    if existing is not None:
        if progress:
            progress(1, 1)
        return existing

    # One hash for every demo account: they share the printed password, and hashing it
    # ninety times would only make the command slow.
    password_hash = demo_network.demo_password_hash()
    users = {}

    def person(email, name, role="participant", organisation=None, **extra):
        key = normalise_email(email)
        if key not in users:
            user = db.session.scalar(sa.select(User).where(User.email == key))
            if user is None:
                user = User(
                    email=key,
                    name=name,
                    password_hash=password_hash,
                    role=role,
                    email_verified_at=utcnow(),
                )
                db.session.add(user)
            users[key] = user
        user = users[key]
        if organisation is not None and user.organisation is None:
            user.organisation = organisation
        for field, value in extra.items():
            setattr(user, field, value)
        return user

    event = _create_event(demo_data.EVENT)
    organisations = demo_data.ORGANISATIONS
    slots_by_day = {}
    for slot in event.slots:
        slots_by_day.setdefault(slot.starts_at.date(), []).append(slot)

    participants_by_email = {}
    organizer_org = None
    pending = _pending_organisations(demo_data)
    consent = _consent(demo_data)
    online = set(demo_data.EVENT.get("online", ()))  # take part by video (issue 24)
    for index, data in enumerate(organisations, start=1):
        organisation = demo_network.new_organisation(data)
        if data["name"] == demo_data.ORGANIZER.get("organisation"):
            organizer_org = organisation
        unavailable = _unavailable_slots(data.get("unavailable", ()), slots_by_day)
        for number, who in enumerate(data["people"]):
            user = person(
                who["email"],
                who["name"],
                organisation=organisation,
                job_title=who.get("job_title", ""),
                phone=who.get("phone", ""),
            )
            participant = Participant(
                event=event,
                user=user,
                organisation=organisation,
                status="pending" if data["name"] in pending else "approved",
                looking_for=data.get("looking_for", ""),
                unavailable=list(unavailable),
                suggestion_limit=consent(who["email"]),
                attendance="online" if data["name"] in online else "in_person",
            )
            # A second person of an organisation registers too, but the opportunities are
            # the organisation's: they stay with the first person's registration.
            if number == 0:
                participant.opportunities = [_opportunity(o) for o in data["opportunities"]]
            db.session.add(participant)
            participants_by_email[normalise_email(who["email"])] = participant
        if progress:
            progress(index, len(organisations) + 1)

    organizer = person(
        demo_data.ORGANIZER["email"],
        demo_data.ORGANIZER["name"],
        role="organizer",
        organisation=organizer_org,
    )
    organizer.role = "organizer"
    event.organizers.append(organizer)
    db.session.flush()

    for data in demo_data.MEETING_REQUESTS:
        sender = participants_by_email[normalise_email(data["from"])]
        receiver = participants_by_email[normalise_email(data["to"])]
        db.session.add(
            MeetingRequest(
                event_id=event.id,
                sender_id=sender.id,
                receiver_id=receiver.id,
                message=data.get("message", ""),
                status=data.get("status", "pending"),
            )
        )
    demo_network.join_network(event)
    db.session.commit()
    if progress:
        progress(len(organisations) + 1, len(organisations) + 1)
    return _report(event, created=True)


def _consent(demo_data):
    """email -> the registration's limit of suggested meetings (None: the event's default),
    drawn from the data's shares with its seed, in the order registrations are made."""
    data = demo_data.SUGGESTED_MEETINGS
    rng = random.Random(data.get("seed", 0))
    shares = sorted(data["shares"].items())
    logins = {normalise_email(e) for e in demo_data.DEMO_LOGINS}

    def limit(email):
        draw = rng.random()  # drawn for everyone, so a change of logins moves no one else
        if normalise_email(email) in logins:
            return data["logins"]
        for value, share in shares:
            if draw < share:
                return value
            draw -= share
        return None

    return limit


def _pending_organisations(demo_data, count=2):
    """A few late registrations for the organizer to approve: organisations with no meeting
    request and no printed login."""
    involved = {
        normalise_email(e) for r in demo_data.MEETING_REQUESTS for e in (r["from"], r["to"])
    }
    involved |= {normalise_email(e) for e in demo_data.DEMO_LOGINS}
    names = [
        o["name"]
        for o in reversed(demo_data.ORGANISATIONS)
        if not {normalise_email(p["email"]) for p in o["people"]} & involved
        and o["name"] != demo_data.ORGANIZER.get("organisation")
    ]
    return set(names[:count])


def _create_event(data, **extra):
    """The event of an [event] table (event.toml, mission.toml) with its sessions, breaks,
    slots and tables; `extra` sets further columns."""
    event = Event(
        slug=data["slug"],
        title=data["title"],
        description=data["description"],
        venue=data.get("venue", ""),
        city=data.get("city", ""),
        country=data.get("country", ""),
        timezone=data.get("timezone", "UTC"),
        status=data.get("status", "registration_open"),
        met_before_policy=data.get("met_before_policy", "leave"),
        format=data.get("format", "in_person"),
        meeting_minutes=data["meeting_minutes"],
        gap_minutes=data["gap_minutes"],
        table_count=data["tables"],
        participants_public=True,
        max_requests_per_participant=data.get("max_requests_per_participant", 20),
        max_meetings_per_participant=data.get("max_meetings_per_participant", 12),
        request_expiry_hours=data.get("request_expiry_hours", 72),
        sectors=list(data.get("sectors") or _data().EVENT["sectors"]),
        suggestion_default=_data().SUGGESTED_MEETINGS["default"],
        suggestion_floor=_data().SUGGESTED_MEETINGS["floor"],
        **extra,
    )
    for day in data["days"]:
        for start, end in day["sessions"]:
            event.sessions.append(
                EventSession(
                    day=date.fromisoformat(day["date"]), start=_time(start), end=_time(end)
                )
            )
    for pause in data.get("breaks", []):
        event.breaks.append(
            EventBreak(
                day=date.fromisoformat(pause["date"]),
                start=_time(pause["start"]),
                end=_time(pause["end"]),
                title=pause.get("title", "Break"),
            )
        )
    db.session.add(event)
    sync_slots_and_tables(event)
    return event


def _opportunity(data):
    return Opportunity(
        kind=data["kind"],
        category=data["category"],
        title=data["title"],
        description=data.get("description", ""),
        keywords=", ".join(data.get("keywords", [])),
    )


def _unavailable_slots(windows, slots_by_day):
    """The event's slots that overlap any of the (day, start, end) windows."""
    found = []
    for day_text, start_text, end_text in windows:
        day = date.fromisoformat(day_text)
        start = datetime.combine(day, _time(start_text))
        end = datetime.combine(day, _time(end_text))
        found += [s for s in slots_by_day.get(day, []) if s.starts_at < end and start < s.ends_at]
    return found


# --- Last year's edition: a finished event with its agenda, day and feedback -----------------


@dataclass
class PastEditionReport:
    slug: str
    created: bool
    participants: int
    requests: int
    meetings: int
    held: int
    answers: int

    def summary(self):
        verb = "Loaded" if self.created else "Already loaded"
        return (
            f"{verb} last year's edition ({self.slug}, closed): {self.participants} "
            f"participants, {self.requests} meeting requests, {self.meetings} meetings "
            f"({self.held} held), {self.answers} feedback answers."
        )


def past_edition_report():
    """Counts of the loaded finished event, or None when it is not loaded."""
    slug = _data().PAST_EVENT["slug"]
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    return None if event is None else _past_report(event, created=False)


def _past_report(event, created):
    count = db.session.scalar
    meetings = (
        sa.select(sa.func.count(Meeting.id))
        .join(Schedule, Schedule.id == Meeting.schedule_id)
        .where(Schedule.event_id == event.id, Schedule.status == "published")
    )
    return PastEditionReport(
        slug=event.slug,
        created=created,
        participants=count(sa.select(sa.func.count()).where(Participant.event_id == event.id)),
        requests=count(sa.select(sa.func.count()).where(MeetingRequest.event_id == event.id)),
        meetings=count(meetings.where(Meeting.status != "cancelled")),
        held=count(meetings.where(Meeting.status == "held")),
        answers=count(
            sa.select(sa.func.count(Feedback.id))
            .join(Meeting, Meeting.id == Feedback.meeting_id)
            .where(Meeting.event_id == event.id)
        ),
    )


def load_past_edition():
    """Create last year's edition of the demo event, finished: past dates, closed, its
    participants (a seeded choice of the demo organisations, the printed logins among them),
    requests in their final states, a published agenda of accepted requests and suggested
    matches, check-ins, meetings held, no-shows, cancellations and walk-ins, and two feedback
    rounds with answers from both sides; commit. The demo organizer organizes it.

    Deterministic (seeded) and idempotent: when the event exists nothing changes. Loads the
    demo event first when its accounts are missing. Returns a PastEditionReport.
    """
    existing = past_edition_report()
    if existing is not None:
        return existing
    demo_data = _data()
    if demo_report() is None:
        load_demo()
    return _PastEdition(demo_data).build()


def _local_to_utc(moment, timezone):
    return moment.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC).replace(tzinfo=None)


def _stamp(text):
    return datetime.fromisoformat(text)


class _PastEdition:
    """The builder behind load_past_edition: every random choice comes from one seeded
    generator, in a fixed order, so every run builds the same event."""

    def __init__(self, demo_data):
        self.data = demo_data
        self.plan = demo_data.PAST_EDITION
        self.info = demo_data.PAST_EVENT
        self.rng = random.Random(self.plan["seed"])
        self.slot_of = {}  # meeting -> its Slot, without loading it back

    def pick(self, weights):
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def build(self):
        organizer = db.session.scalar(
            sa.select(User).where(User.email == normalise_email(self.data.ORGANIZER["email"]))
        )
        event = self._event(organizer)
        participants = self._participants(event)
        accepted = self._requests(event, participants)
        schedule = Schedule(
            event_id=event.id, version=1, status="published", created_by_id=organizer.id,
            created_at=_local_to_utc(_stamp(self.info["published"]), event.timezone),
            published_at=_local_to_utc(_stamp(self.info["published"]), event.timezone),
            options={}, figures={},
        )  # fmt: skip
        db.session.add(schedule)
        db.session.flush()
        meetings = self._agenda(event, schedule, participants, accepted)
        self._day(event, organizer, participants, meetings)
        self._walk_ins(event, schedule, organizer, participants, meetings)
        self._check_ins(event, participants, meetings)
        self._feedback(event, organizer, meetings)
        db.session.add(FunderReport(event_id=event.id, **self.plan["report"]))
        # After every seeded draw: the network's partners take no random number.
        demo_network.join_network(event)
        db.session.commit()
        return _past_report(event, created=True)

    def _event(self, organizer):
        info = self.info
        event = Event(
            slug=info["slug"], title=info["title"], description=info["description"],
            venue=info["venue"], city=info["city"], country=info["country"],
            timezone=info["timezone"], status="closed",
            registration_opens_at=_stamp(info["registration_opens"]),
            registration_closes_at=_stamp(info["registration_closes"]),
            meeting_minutes=info["meeting_minutes"], gap_minutes=info["gap_minutes"],
            table_count=info["tables"], participants_public=True,
            max_requests_per_participant=20, max_meetings_per_participant=12,
            request_expiry_hours=72, sectors=list(self.data.EVENT["sectors"]),
            participant_walk_ins=True,
            created_at=_stamp(info["registration_opens"]) - timedelta(days=20),
        )  # fmt: skip
        for day in info["days"]:
            for start, end in day["sessions"]:
                event.sessions.append(
                    EventSession(day=date.fromisoformat(day["date"]), start=_time(start),
                                 end=_time(end))
                )  # fmt: skip
        for pause in info["breaks"]:
            event.breaks.append(
                EventBreak(day=date.fromisoformat(pause["date"]), start=_time(pause["start"]),
                           end=_time(pause["end"]), title=pause["title"])
            )  # fmt: skip
        event.organizers.append(organizer)
        db.session.add(event)
        sync_slots_and_tables(event)
        db.session.flush()
        return event

    def _participants(self, event):
        """The first person of a seeded choice of organisations (the printed logins' and
        the organizer's always among them), registered over the registration period."""
        logins = {normalise_email(e) for e in self.data.DEMO_LOGINS}
        chosen, others = [], []
        for org in self.data.ORGANISATIONS:
            emails = [normalise_email(p["email"]) for p in org["people"]]
            login = next((e for e in emails if e in logins), None)
            if login or org["name"] == self.data.ORGANIZER["organisation"]:
                chosen.append((org, login or emails[0]))
            else:
                others.append((org, emails[0]))
        chosen += self.rng.sample(others, max(0, self.plan["participants"] - len(chosen)))
        users = {
            user.email: user
            for user in db.session.scalars(
                sa.select(User).where(User.email.in_([email for _, email in chosen]))
            )
        }
        opens = _stamp(self.info["registration_opens"])
        span = (_stamp(self.info["registration_closes"]) - opens).total_seconds()
        participants = []
        for org, email in chosen:
            user = users.get(email)
            if user is None or user.organisation is None:
                continue
            # Registrations come slowly at first and pile up before the deadline.
            registered = opens + timedelta(seconds=span * self.rng.random() ** 0.55)
            participant = Participant(
                event=event, user=user, organisation=user.organisation, status="approved",
                looking_for=org.get("looking_for", ""), registered_at=registered,
                opportunities=[_opportunity(o) for o in org["opportunities"][:2]],
            )  # fmt: skip
            db.session.add(participant)
            participants.append(participant)
        db.session.flush()
        return participants

    def _partner(self, participant, participants, taken):
        """A seeded partner of another organisation, across borders by preference, not yet
        paired with `participant` (None when there is none)."""
        abroad = self.rng.random() < self.plan["cross_border_preference"]
        pool = [
            p for p in participants
            if p.organisation_id != participant.organisation_id
            and (p.organisation.country != participant.organisation.country) == abroad
            and _pair(p, participant) not in taken
        ]  # fmt: skip
        return self.rng.choice(pool) if pool else None

    def _requests(self, event, participants):
        """Requests in their final states; returns the accepted pairs, in order."""
        taken, accepted = set(), []
        event_start = datetime.combine(event.days[0], time(9))
        for sender in participants:
            for _ in range(self.rng.randint(1, 2 * self.plan["requests_per_participant"] - 1)):
                receiver = self._partner(sender, participants, taken)
                if receiver is None:
                    continue
                taken.add(_pair(sender, receiver))
                status = self.pick(self.plan["request_statuses"])
                sent = sender.registered_at + (event_start - sender.registered_at) * (
                    self.rng.random() * 0.8
                )
                answered = sent + timedelta(hours=self.rng.randint(2, 60))
                db.session.add(
                    MeetingRequest(
                        event_id=event.id, sender_id=sender.id, receiver_id=receiver.id,
                        message=f"We would like to meet {receiver.organisation.name} in "
                        f"{event.city}.",
                        status=status, created_at=sent,
                        responded_at=answered if status in ("accepted", "declined") else None,
                        expires_at=sent + timedelta(hours=72),
                    )
                )  # fmt: skip
                if status == "accepted":
                    accepted.append((sender, receiver))
        return accepted

    def _agenda(self, event, schedule, participants, accepted):
        """Place accepted requests, then suggested matches, greedily: each meeting in the
        first slot (in a seeded, morning-leaning order) where both are free, at the lowest
        free table. Returns the meetings."""
        slots = list(event.slots)
        tables = list(event.tables)
        busy = {p.id: set() for p in participants}
        seated = {slot.id: 0 for slot in slots}
        pairs = {_pair(a, b) for a, b in accepted}
        candidates = [(a, b, "request") for a, b in accepted]
        for participant in participants:
            for _ in range(self.plan["suggestions_per_participant"]):
                partner = self._partner(participant, participants, pairs)
                if partner is not None:
                    pairs.add(_pair(participant, partner))
                    candidates.append((participant, partner, "suggestion"))
        first_of_day = {}
        for index, slot in enumerate(slots):
            first_of_day.setdefault(slot.starts_at.date(), index)
        meetings = []
        for a, b, source in candidates:
            order = sorted(
                slots,
                key=lambda s: self.rng.random() * (1 + 0.12 * (slots.index(s)
                                                             - first_of_day[s.starts_at.date()])),
            )  # fmt: skip
            for slot in order:
                if slot.id in busy[a.id] or slot.id in busy[b.id] or seated[slot.id] >= len(tables):
                    continue
                meeting = Meeting.between(
                    schedule, slot, a, b, table=tables[seated[slot.id]], source=source,
                    code=f"{self.rng.getrandbits(24):06X}",
                    score=round(0.35 + 0.5 * self.rng.random(), 3),
                )  # fmt: skip
                self.slot_of[meeting] = slot
                seated[slot.id] += 1
                busy[a.id].add(slot.id)
                busy[b.id].add(slot.id)
                db.session.add(meeting)
                meetings.append(meeting)
                break
        self.busy, self.seated, self.pairs, self.tables = busy, seated, pairs, tables
        return meetings

    def _day(self, event, organizer, participants, meetings):
        """Statuses as marked on the day, by the organizer at the end of each slot; a few
        participants (never a printed login) did not come at all."""
        logins = {normalise_email(e) for e in self.data.DEMO_LOGINS}
        absent = set(
            p.id
            for p in self.rng.sample(
                [p for p in participants if p.user.email not in logins],
                self.plan["absent_participants"],
            )
        )
        self.absent = absent
        for meeting in meetings:
            status = self.pick(self.plan["meeting_statuses"])
            if status == "no_show":
                status = self.rng.choice(("no_show_a", "no_show_b"))
            missing = [pid in absent for pid in (meeting.participant_a_id,
                                                 meeting.participant_b_id)]  # fmt: skip
            if all(missing):
                status = "cancelled"
            elif any(missing):
                status = "no_show_a" if missing[0] else "no_show_b"
            meeting.status = status
            if status != "scheduled":
                meeting.status_changed_at = _local_to_utc(
                    self.slot_of[meeting].ends_at, event.timezone
                )
                meeting.status_changed_by_id = organizer.id

    def _walk_ins(self, event, schedule, organizer, participants, meetings):
        """Meetings booked at the venue: two free participants in a slot with a free table."""
        slots = list(event.slots)
        for _ in range(self.plan["walk_ins"]):
            slot = self.rng.choice(slots)
            if self.seated[slot.id] >= len(self.tables):
                continue
            free = [
                p
                for p in participants
                if slot.id not in self.busy[p.id] and p.id not in self.absent
            ]
            self.rng.shuffle(free)
            pair = next(
                ((a, b) for i, a in enumerate(free) for b in free[i + 1:]
                 if a.organisation_id != b.organisation_id and _pair(a, b) not in self.pairs),
                None,
            )  # fmt: skip
            if pair is None:
                continue
            a, b = pair
            meeting = Meeting.between(
                schedule, slot, a, b, table=self.tables[self.seated[slot.id]], source="walk_in",
                status="held", code=f"{self.rng.getrandbits(24):06X}",
                status_changed_at=_local_to_utc(slot.starts_at, event.timezone),
                status_changed_by_id=organizer.id,
            )  # fmt: skip
            self.slot_of[meeting] = slot
            self.seated[slot.id] += 1
            self.busy[a.id].add(slot.id)
            self.busy[b.id].add(slot.id)
            self.pairs.add(_pair(a, b))
            db.session.add(meeting)
            meetings.append(meeting)

    def _check_ins(self, event, participants, meetings):
        """Everyone who showed up to a meeting checked in at the desk before their first one."""
        first_seen = {}
        for meeting in meetings:
            present = {meeting.participant_a_id, meeting.participant_b_id}
            if meeting.status == "no_show_a":
                present.discard(meeting.participant_a_id)
            elif meeting.status == "no_show_b":
                present.discard(meeting.participant_b_id)
            elif meeting.status not in ("held", "scheduled"):
                continue
            for pid in sorted(present):
                start = self.slot_of[meeting].starts_at
                if pid not in first_seen or start < first_seen[pid]:
                    first_seen[pid] = start
        for participant in participants:
            if participant.id in first_seen:
                arrival = first_seen[participant.id] - timedelta(minutes=self.rng.randint(5, 50))
                participant.checked_in_at = _local_to_utc(arrival, event.timezone)

    def _feedback(self, event, organizer, meetings):
        """Two rounds: answers right after the event from both sides, and a follow-up months
        later where outcomes have moved on."""
        plan, rounds = self.plan, self.plan["rounds"]
        first_answers = []
        for number, spec in enumerate(rounds, start=1):
            started = _local_to_utc(_stamp(spec["started"]), event.timezone)
            db.session.add(
                FeedbackRound(
                    event_id=event.id, number=number, kind=spec["kind"], started_at=started,
                    started_by_id=organizer.id,
                    reminded_at=_local_to_utc(_stamp(spec["reminded"]), event.timezone)
                    if spec.get("reminded") else None,
                    reminders_sent=0,
                )
            )  # fmt: skip
        share = rounds[0]["answer_share"]
        start = _local_to_utc(_stamp(rounds[0]["started"]), event.timezone)
        for meeting in meetings:
            for side, pid in (("a", meeting.participant_a_id), ("b", meeting.participant_b_id)):
                absent = meeting.status == f"no_show_{side}"
                held = meeting.status in ("held", "scheduled")
                chance = share * (0.2 if absent else 0.4 if meeting.status == "cancelled" else 1)
                if self.rng.random() >= chance:
                    continue
                answer = Feedback(
                    meeting=meeting, participant_id=pid, round=1, held=held,
                    created_at=start + timedelta(hours=self.rng.randint(1, 240)),
                )  # fmt: skip
                if held:
                    answer.usefulness = self.pick(plan["usefulness"])
                    answer.outcome = self.pick(plan["outcomes"])
                    if answer.usefulness <= 2 and self.rng.random() < 0.7:
                        answer.outcome = "no_further_contact"
                    if self.rng.random() < 0.25:
                        answer.comment = self.rng.choice(plan["comments"])
                        # Those who found the meeting useful let it be quoted (no draw: the
                        # demo's other figures stay as they were).
                        answer.may_quote = answer.usefulness >= 4
                    first_answers.append(answer)
                db.session.add(answer)
        follow_up = rounds[1]
        start = _local_to_utc(_stamp(follow_up["started"]), event.timezone)
        for earlier in first_answers:
            if self.rng.random() >= follow_up["answer_share"] / share:
                continue
            db.session.add(
                Feedback(
                    meeting=earlier.meeting, participant_id=earlier.participant_id, round=2,
                    held=True, usefulness=earlier.usefulness,
                    outcome=self.pick(plan["outcome_moves"][earlier.outcome]),
                    created_at=start + timedelta(hours=self.rng.randint(1, 480)),
                )
            )  # fmt: skip


def _pair(first, second):
    return (min(first.id, second.id), max(first.id, second.id))


# --- The network's economic mission: a delegation meets hosts, never each other ---------------


@dataclass
class MissionReport:
    slug: str
    created: bool
    groups: list  # (group name, participants)

    def summary(self):
        verb = "Loaded" if self.created else "Already loaded"
        sides = " and ".join(f"{name} ({count} participants)" for name, count in self.groups)
        return f"{verb} the economic mission ({self.slug}): groups {sides}."


def mission_report():
    """Counts of the loaded economic mission, or None when it is not loaded."""
    slug = _data().MISSION["event"]["slug"]
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    return None if event is None else _mission_report(event, created=False)


def _mission_report(event, created):
    counts = dict(
        db.session.execute(
            sa.select(Participant.group_id, sa.func.count())
            .where(Participant.event_id == event.id)
            .group_by(Participant.group_id)
        ).all()
    )
    return MissionReport(
        slug=event.slug,
        created=created,
        groups=[(group.name, counts.get(group.id, 0)) for group in event.groups],
    )


def load_mission():
    """Create the network's economic mission (mission.toml), organized by the demo organizer:
    its groups and the pairs of groups whose members never meet, the registrations of each
    group's organisations (their first person, with all their opportunities; organisations
    that only take part in the mission are created) and its partners; commit.

    Idempotent: when the event exists nothing changes. Loads the demo event first when its
    accounts are missing. Returns a MissionReport.
    """
    existing = mission_report()
    if existing is not None:
        return existing
    if demo_report() is None:
        load_demo()
    data = _data()
    info = data.MISSION
    spec = info["event"]
    event = _create_event(
        spec,
        kind="mission",
        registration_opens_at=_stamp(spec["registration_opens"]),
        registration_closes_at=_stamp(spec["registration_closes"]),
    )
    event.organizers.append(
        db.session.scalar(
            sa.select(User).where(User.email == normalise_email(data.ORGANIZER["email"]))
        )
    )
    groups = {}
    for group in info["groups"]:
        groups[group["name"]] = ParticipantGroup(
            name=group["name"], description=group.get("description", "")
        )
        event.groups.append(groups[group["name"]])
    db.session.flush()
    for first, second in info["pairs"]["exclusions"]:
        low, high = sorted((groups[first].id, groups[second].id))
        db.session.execute(
            group_exclusions.insert().values(event_id=event.id, group_a_id=low, group_b_id=high)
        )

    specs = {org["name"]: org for org in data.ORGANISATIONS + info.get("organisations", [])}
    first = {name: specs[name]["people"][0] for g in info["groups"] for name in g["organisations"]}
    users = {
        user.email: user
        for user in db.session.scalars(
            sa.select(User).where(
                User.email.in_([normalise_email(p["email"]) for p in first.values()])
            )
        )
    }
    for group in info["groups"]:
        for name in group["organisations"]:
            org, who = specs[name], first[name]
            user = users.get(normalise_email(who["email"])) or demo_network.account(
                who["email"], who["name"], demo_network.demo_password_hash(),
                job_title=who.get("job_title", ""), phone=who.get("phone", ""),
            )  # fmt: skip
            if user.organisation is None:
                user.organisation = demo_network.new_organisation(org)
            db.session.add(
                Participant(
                    event=event,
                    user=user,
                    organisation=user.organisation,
                    status="approved",
                    looking_for=org.get("looking_for", ""),
                    group=groups[group["name"]],
                    opportunities=[_opportunity(o) for o in org["opportunities"]],
                )
            )
    demo_network.join_network(event)
    db.session.commit()
    return _mission_report(event, created=True)
