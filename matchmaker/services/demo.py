"""Load the demo brokerage event from `matchmaker.demo_data` into the database.

Idempotent: people are found by email and the event by slug, so running it again adds nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    EventBreak,
    EventSession,
    MeetingRequest,
    Opportunity,
    Organisation,
    Participant,
    User,
)
from matchmaker.services.accounts import hash_password, normalise_email
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

    def summary(self):
        verb = "Loaded" if self.created else "Already loaded"
        return (
            f"{verb}: {self.organisations} organisations, {self.participants} participants, "
            f"{self.opportunities} opportunities, {self.requests} meeting requests."
        )


def _data():
    # Imported on use: web processes never need the demo content in memory.
    from matchmaker import demo_data

    return demo_data


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
    password_hash = hash_password(demo_data.DEMO_PASSWORD)
    users = {}

    def person(email, name, role="participant", organisation=None, **extra):
        key = normalise_email(email)
        if key not in users:
            user = db.session.scalar(sa.select(User).where(User.email == key))
            if user is None:
                user = User(email=key, name=name, password_hash=password_hash, role=role)
                db.session.add(user)
            users[key] = user
        user = users[key]
        if organisation is not None and user.organisation is None:
            user.organisation = organisation
        for field, value in extra.items():
            setattr(user, field, value)
        return user

    event = _create_event()
    organisations = demo_data.ORGANISATIONS
    slots_by_day = {}
    for slot in event.slots:
        slots_by_day.setdefault(slot.starts_at.date(), []).append(slot)

    participants_by_email = {}
    organizer_org = None
    pending = _pending_organisations(demo_data)
    for index, data in enumerate(organisations, start=1):
        organisation = Organisation(
            name=data["name"],
            country=data["country"],
            city=data.get("city", ""),
            type=data["type"],
            size=data.get("size"),
            website=data.get("website", ""),
            description=data.get("description", ""),
            sectors=list(data.get("sectors", [])),
        )
        db.session.add(organisation)
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
            )
            # A second person of an organisation registers too, but the opportunities are
            # the organisation's: they stay with the first person's registration.
            if number == 0:
                participant.opportunities = [
                    Opportunity(
                        kind=o["kind"],
                        category=o["category"],
                        title=o["title"],
                        description=o.get("description", ""),
                        keywords=", ".join(o.get("keywords", [])),
                    )
                    for o in data["opportunities"]
                ]
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
    db.session.commit()
    if progress:
        progress(len(organisations) + 1, len(organisations) + 1)
    return _report(event, created=True)


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


def _create_event():
    data = _data().EVENT
    event = Event(
        slug=data["slug"],
        title=data["title"],
        description=data["description"],
        venue=data.get("venue", ""),
        city=data.get("city", ""),
        country=data.get("country", ""),
        timezone=data.get("timezone", "UTC"),
        status="registration_open",
        meeting_minutes=data["meeting_minutes"],
        gap_minutes=data["gap_minutes"],
        table_count=data["tables"],
        participants_public=True,
        max_requests_per_participant=data.get("max_requests_per_participant", 20),
        max_meetings_per_participant=data.get("max_meetings_per_participant", 12),
        request_expiry_hours=data.get("request_expiry_hours", 72),
        sectors=list(data.get("sectors", [])),
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


def _unavailable_slots(windows, slots_by_day):
    """The event's slots that overlap any of the (day, start, end) windows."""
    found = []
    for day_text, start_text, end_text in windows:
        day = date.fromisoformat(day_text)
        start = datetime.combine(day, _time(start_text))
        end = datetime.combine(day, _time(end_text))
        found += [s for s in slots_by_day.get(day, []) if s.starts_at < end and start < s.ends_at]
    return found
