"""The event day's rules: check-in, every meeting status move, walk-ins into freed slots."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import (
    Match,
    Meeting,
    MeetingAttendee,
    Participant,
    Schedule,
    Slot,
    Table,
    User,
)
from matchmaker.services import eventday
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from tests.conftest import TEST_DATABASE_URL


@pytest.fixture
def day(make_user, make_event, make_participant):
    return build_day(make_user, make_event, make_participant)


def build_day(make_user, make_event, make_participant):
    """Event with 2 tables; published agenda: slot 0 Ana–Bo at table 1, Cy–Dan at table 2;
    slot 1 Ana–Cy at table 1. Eve has no meeting. Matches: Ana–Dan 0.9, Ana–Eve 0.5,
    Bo–Eve 0.7, Bo–Dan 0.3. A helper account helps at the event."""
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    helper = make_user(email="hal@org.example", name="Hal")
    event = make_event(organizer=organizer, tables=2, status="agenda_published")
    event.helpers.append(helper)
    people = {
        name: make_participant(
            event, make_user(email=f"{name.lower()}@x.example", name=name),
            organisation_name=f"{name} Ltd",
        )
        for name in ("Ana", "Bo", "Cy", "Dan", "Eve")
    }  # fmt: skip
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    slots, tables = event.slots, event.tables

    def meet(first, second, slot, table):
        meeting = Meeting.between(
            schedule, slots[slot], people[first], people[second], table=tables[table],
            source="request", code=f"{first[0]}{second[0]}{slot}",
        )  # fmt: skip
        db.session.add(meeting)
        return meeting

    meetings = {
        "ana_bo": meet("Ana", "Bo", 0, 0),
        "cy_dan": meet("Cy", "Dan", 0, 1),
        "ana_cy": meet("Ana", "Cy", 1, 0),
    }
    for (x, y), score in {("Ana", "Dan"): 0.9, ("Ana", "Eve"): 0.5, ("Bo", "Eve"): 0.7,
                          ("Bo", "Dan"): 0.3}.items():  # fmt: skip
        a, b = sorted((people[x], people[y]), key=lambda p: p.id)
        db.session.add(
            Match(event_id=event.id, participant_a_id=a.id, participant_b_id=b.id, score=score)
        )
    db.session.commit()
    return type("Day", (), dict(
        event=event, organizer=organizer, helper=helper, schedule=schedule, slots=slots,
        tables=tables, p=people, m=meetings,
        started=slots[0].starts_at + timedelta(minutes=5),
        before=slots[0].starts_at - timedelta(minutes=30),
    ))  # fmt: skip


def attendees(meeting):
    return sorted(
        db.session.scalars(
            sa.select(MeetingAttendee.participant_id).where(
                MeetingAttendee.meeting_id == meeting.id
            )
        ).all()
    )


def names(free):
    return [f.participant.organisation.name for f in free]


# --- check-in -------------------------------------------------------------------------------


def test_helper_checks_in_and_undoes(day):
    ana = day.p["Ana"]
    eventday.check_in(ana, by=day.helper)
    assert ana.checked_in_at is not None
    assert eventday.desk_counts(day.event) == eventday.DeskCounts(present=1, expected=5)
    eventday.undo_check_in(ana, by=day.helper)
    assert (ana.checked_in_at, eventday.desk_counts(day.event).present) == (None, 0)


def test_check_in_twice_keeps_first_time(day):
    ana = day.p["Ana"]
    eventday.check_in(ana, by=day.organizer)
    first = ana.checked_in_at
    eventday.check_in(ana, by=day.organizer)
    assert ana.checked_in_at == first


def test_check_in_refused_to_participant_and_for_pending(day, make_user, make_participant):
    with pytest.raises(NotAllowed):
        eventday.check_in(day.p["Bo"], by=day.p["Ana"].user)
    pending = make_participant(day.event, make_user(email="p@x.example", name="Pen"),
                               status="pending")  # fmt: skip
    with pytest.raises(DomainError, match="not an approved participant"):
        eventday.check_in(pending, by=day.organizer)
    assert pending.checked_in_at is None


def test_desk_list_searches_name_organisation_and_country(day):
    day.p["Eve"].organisation.country = "RS"
    eventday.check_in(day.p["Cy"], by=day.helper)

    def found(**args):
        return [p.organisation.name for p in eventday.desk_list(day.event, **args).items]

    assert found(q="bo") == ["Bo Ltd"]
    assert found(q="serbia") == ["Eve Ltd"]
    assert found(q="RS") == ["Eve Ltd"]
    assert found(show="present") == ["Cy Ltd"]
    assert found(show="expected") == ["Ana Ltd", "Bo Ltd", "Dan Ltd", "Eve Ltd"]
    assert found(q="100%") == []
    page = eventday.desk_list(day.event, page=2, per_page=2)
    assert [p.organisation.name for p in page.items] == ["Cy Ltd", "Dan Ltd"]


def test_helpers_are_added_by_organizers_only(day, make_user):
    newcomer = make_user(email="new@org.example", name="Nia")
    with pytest.raises(NotAllowed):
        eventday.add_helper(day.event, "new@org.example", by=day.helper)
    assert eventday.add_helper(day.event, "NEW@org.example", by=day.organizer) == newcomer
    with pytest.raises(Conflict, match="already helps"):
        eventday.add_helper(day.event, "new@org.example", by=day.organizer)
    with pytest.raises(DomainError, match="No account uses"):
        eventday.add_helper(day.event, "ghost@org.example", by=day.organizer)
    assert eventday.staffed_events(newcomer) == [day.event]
    eventday.remove_helper(day.event, newcomer, by=day.organizer)
    assert eventday.staffed_events(newcomer) == []


# --- status moves ---------------------------------------------------------------------------

MOVES_FROM_SCHEDULED = ["held", "no_show_a", "no_show_b", "cancelled"]


@pytest.mark.parametrize("status", MOVES_FROM_SCHEDULED)
def test_every_move_from_scheduled_and_its_undo(day, status):
    meeting = day.m["ana_bo"]
    eventday.set_meeting_status(meeting, status, by=day.helper, now=day.started)
    assert (meeting.status, meeting.status_changed_by_id) == (status, day.helper.id)
    assert meeting.status_changed_at is not None
    freed = [] if status == "held" else sorted([day.p["Ana"].id, day.p["Bo"].id])
    assert attendees(meeting) == sorted({day.p["Ana"].id, day.p["Bo"].id} - set(freed))
    eventday.set_meeting_status(meeting, "scheduled", by=day.organizer, now=day.started)
    assert meeting.status == "scheduled"
    assert attendees(meeting) == sorted([day.p["Ana"].id, day.p["Bo"].id])
    assert meeting.table_id == day.tables[0].id


def test_outcomes_change_only_through_undo(day):
    meeting = day.m["ana_bo"]
    for status in MOVES_FROM_SCHEDULED:
        eventday.set_meeting_status(meeting, status, by=day.organizer, now=day.started)
        for target in MOVES_FROM_SCHEDULED:
            with pytest.raises(DomainError, match="cannot become"):
                eventday.set_meeting_status(meeting, target, by=day.organizer, now=day.started)
            assert meeting.status == status
        eventday.set_meeting_status(meeting, "scheduled", by=day.organizer, now=day.started)


def test_scheduled_cannot_be_set_to_scheduled(day):
    with pytest.raises(DomainError, match="cannot become scheduled"):
        eventday.set_meeting_status(day.m["ana_bo"], "scheduled", by=day.organizer)


@pytest.mark.parametrize("status", ["held", "no_show_a", "no_show_b"])
def test_outcome_needs_the_slot_to_have_started(day, status):
    with pytest.raises(DomainError, match="once it has started"):
        eventday.set_meeting_status(day.m["ana_bo"], status, by=day.organizer, now=day.before)
    assert day.m["ana_bo"].status == "scheduled"


def test_cancel_before_the_slot_is_allowed(day):
    eventday.set_meeting_status(day.m["ana_bo"], "cancelled", by=day.organizer, now=day.before)
    assert day.m["ana_bo"].status == "cancelled"


def test_status_moves_refused_to_participants_and_on_drafts(day):
    with pytest.raises(NotAllowed):
        eventday.set_meeting_status(day.m["ana_bo"], "cancelled", by=day.p["Ana"].user)
    day.schedule.status = "draft"
    db.session.commit()
    with pytest.raises(DomainError, match="published agenda"):
        eventday.set_meeting_status(day.m["ana_bo"], "cancelled", by=day.organizer)
    assert day.m["ana_bo"].status == "scheduled"


def test_unknown_status_refused(day):
    with pytest.raises(DomainError, match="Unknown"):
        eventday.set_meeting_status(day.m["ana_bo"], "postponed", by=day.organizer)


def test_allowed_moves_follow_the_clock(day):
    meeting = day.m["ana_bo"]
    assert eventday.allowed_moves(meeting, now=day.before) == ["cancelled"]
    assert eventday.allowed_moves(meeting, now=day.started) == MOVES_FROM_SCHEDULED
    eventday.set_meeting_status(meeting, "no_show_b", by=day.organizer, now=day.started)
    assert eventday.allowed_moves(meeting, now=day.started) == ["scheduled"]
    assert eventday.status_label(meeting) == "No-show: Bo Ltd"


# --- participants confirm -------------------------------------------------------------------


def test_participant_confirms_own_started_meeting(day):
    meeting = day.m["ana_bo"]
    eventday.participant_confirm_held(day.p["Bo"], meeting, now=day.started)
    assert (meeting.status, meeting.status_changed_by_id) == ("held", day.p["Bo"].user.id)
    with pytest.raises(DomainError, match="already confirmed"):
        eventday.participant_confirm_held(day.p["Ana"], meeting, now=day.started)


def test_participant_cannot_confirm_before_start_or_others_meeting(day):
    with pytest.raises(DomainError, match="once it has started"):
        eventday.participant_confirm_held(day.p["Ana"], day.m["ana_bo"], now=day.before)
    with pytest.raises(NotAllowed):
        eventday.participant_confirm_held(day.p["Ana"], day.m["cy_dan"], now=day.started)
    eventday.set_meeting_status(day.m["cy_dan"], "cancelled", by=day.organizer)
    with pytest.raises(DomainError, match="cancelled"):
        eventday.participant_confirm_held(day.p["Cy"], day.m["cy_dan"], now=day.started)
    assert [day.m["ana_bo"].status, day.m["cy_dan"].status] == ["scheduled", "cancelled"]


def test_confirmable_meetings_are_started_and_scheduled(day):
    ana = day.p["Ana"]
    assert eventday.confirmable_ids(ana, day.schedule, now=day.before) == set()
    assert eventday.confirmable_ids(ana, day.schedule, now=day.started) == {day.m["ana_bo"].id}


# --- free people, partners, tables, walk-ins ------------------------------------------------


def test_free_in_slot_and_best_partners_after_a_no_show(day):
    slot = day.slots[0]
    assert names(eventday.free_in_slot(day.schedule, slot)) == ["Eve Ltd"]
    assert eventday.free_tables(day.schedule, slot) == []
    eventday.set_meeting_status(day.m["ana_bo"], "no_show_a", by=day.helper, now=day.started)
    free = eventday.free_in_slot(day.schedule, slot)
    assert names(free) == ["Bo Ltd", "Eve Ltd"]  # Ana is absent, Bo was freed
    assert free[0].freed_by.id == day.m["ana_bo"].id
    assert eventday.free_tables(day.schedule, slot) == [day.tables[0]]
    matches, met = eventday.refill_matches(day.schedule, [day.p["Bo"].id])
    partners = eventday.best_partners(day.p["Bo"], free, matches, met.get(day.p["Bo"].id, ()))
    assert [(p.organisation.name, s) for p, s in partners] == [("Eve Ltd", 0.7)]


def test_best_partners_ranks_by_score_and_skips_excluded(day):
    ana = day.p["Ana"]
    others = [day.p[n] for n in ("Bo", "Cy", "Dan", "Eve")]
    matches = db.session.scalars(sa.select(Match)).all()
    ranked = eventday.best_partners(ana, others, matches)
    assert [(p.organisation.name, s) for p, s in ranked] == [("Dan Ltd", 0.9), ("Eve Ltd", 0.5)]
    ranked = eventday.best_partners(ana, others, matches, exclude={day.p["Dan"].id})
    assert [p.organisation.name for p, _ in ranked] == ["Eve Ltd"]


def test_walk_in_into_the_freed_slot(day, outbox):
    slot = day.slots[0]
    eventday.set_meeting_status(day.m["ana_bo"], "no_show_a", by=day.helper, now=day.started)
    meeting = eventday.book_walk_in(
        day.schedule, slot, day.p["Bo"], day.p["Eve"], by=day.helper, now=day.started
    )
    assert (meeting.source, meeting.table_id, meeting.score) == ("walk_in", day.tables[0].id, 0.7)
    assert len(meeting.code) == 6
    assert day.m["ana_bo"].table_id is None  # the no-show gave its table to the walk-in
    assert sorted(m["To"] for m in outbox.messages) == ["bo@x.example", "eve@x.example"]
    assert "Table 1" in outbox.messages[0].get_payload(decode=True).decode()
    assert names(eventday.free_in_slot(day.schedule, slot)) == []
    # Undoing the no-show now clashes with the walk-in: refused, nothing changes.
    with pytest.raises(Conflict, match="Bo Ltd now meets Eve Ltd"):
        eventday.set_meeting_status(day.m["ana_bo"], "scheduled", by=day.organizer)
    assert day.m["ana_bo"].status == "no_show_a"


def test_undo_gets_another_table_when_its_own_was_taken(day, make_user, make_participant):
    from matchmaker.services.events import sync_slots_and_tables

    slot = day.slots[0]
    day.event.table_count = 3
    sync_slots_and_tables(day.event)
    db.session.commit()
    table_1, _, table_3 = day.event.tables
    newcomers = [
        make_participant(day.event, make_user(email=f"{n}@x.example", name=n))
        for n in ("Fay", "Gus", "Hana")
    ]
    meeting = day.m["ana_bo"]
    eventday.set_meeting_status(meeting, "cancelled", by=day.organizer)
    assert meeting.table_id == table_1.id  # kept until a walk-in needs it
    eventday.book_walk_in(day.schedule, slot, day.p["Eve"], newcomers[0], by=day.organizer,
                          table=table_1, now=day.started)  # fmt: skip
    assert meeting.table_id is None
    eventday.set_meeting_status(meeting, "scheduled", by=day.organizer)
    assert (meeting.status, meeting.table_id) == ("scheduled", table_3.id)

    eventday.set_meeting_status(meeting, "cancelled", by=day.organizer)
    eventday.book_walk_in(day.schedule, slot, newcomers[1], newcomers[2], by=day.organizer,
                          now=day.started)  # fmt: skip
    with pytest.raises(Conflict, match="No table is free"):
        eventday.set_meeting_status(meeting, "scheduled", by=day.organizer)
    assert (meeting.status, attendees(meeting)) == ("cancelled", [])


def test_undo_takes_a_table_another_cancelled_meeting_still_holds(day, make_user,
                                                                   make_participant):  # fmt: skip
    fay = make_participant(day.event, make_user(email="fay@x.example", name="Fay"))
    ana_bo, cy_dan = day.m["ana_bo"], day.m["cy_dan"]
    eventday.set_meeting_status(ana_bo, "cancelled", by=day.organizer)
    eventday.set_meeting_status(cy_dan, "cancelled", by=day.organizer)
    eventday.book_walk_in(day.schedule, day.slots[0], day.p["Eve"], fay, by=day.organizer,
                          now=day.started)  # fmt: skip
    eventday.set_meeting_status(ana_bo, "scheduled", by=day.organizer)
    assert (ana_bo.table_id, cy_dan.table_id) == (day.tables[1].id, None)
    with pytest.raises(Conflict, match="No table is free"):
        eventday.set_meeting_status(cy_dan, "scheduled", by=day.organizer)


def test_walk_in_refusals(day, make_user, make_participant):
    slot = day.slots[0]
    p, book = day.p, eventday.book_walk_in

    def refused(a, b, match, by=None, now=day.started, **kwargs):
        with pytest.raises(DomainError, match=match):
            book(day.schedule, slot, a, b, by=by or day.organizer, now=now, **kwargs)

    refused(p["Ana"], p["Eve"], "Ana Ltd already meets Bo Ltd")
    eventday.set_meeting_status(day.m["ana_bo"], "no_show_a", by=day.organizer, now=day.started)
    refused(p["Ana"], p["Eve"], "Ana Ltd was marked absent")
    refused(p["Bo"], p["Bo"], "two different participants")
    refused(p["Bo"], p["Eve"], "is over", now=slot.ends_at)
    p["Eve"].unavailable.append(slot)
    db.session.commit()
    refused(p["Bo"], p["Eve"], "Eve Ltd is not available")
    p["Eve"].unavailable.remove(slot)
    db.session.commit()
    refused(p["Bo"], p["Eve"], "organizers book walk-in", by=p["Bo"].user)
    day.event.participant_walk_ins = True
    db.session.commit()
    refused(p["Bo"], p["Eve"], "only book walk-in meetings for yourself", by=p["Cy"].user)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 3


def test_walk_in_refused_for_a_pair_already_in_the_agenda(day):
    slot = day.slots[0]
    eventday.set_meeting_status(day.m["ana_bo"], "cancelled", by=day.organizer)
    eventday.set_meeting_status(day.m["cy_dan"], "cancelled", by=day.organizer)
    with pytest.raises(Conflict, match="Ana Ltd and Cy Ltd already have a meeting"):
        eventday.book_walk_in(day.schedule, slot, day.p["Ana"], day.p["Cy"], by=day.organizer,
                              now=day.started)  # fmt: skip


def test_walk_in_refused_when_no_table_is_free(day, make_user, make_participant):
    slot = day.slots[0]
    fay = make_participant(day.event, make_user(email="fay@x.example", name="Fay"))
    with pytest.raises(Conflict, match="No table is free"):
        eventday.book_walk_in(day.schedule, slot, day.p["Eve"], fay, by=day.organizer,
                              now=day.started)  # fmt: skip


def test_participant_books_own_walk_in_when_the_event_allows(day, outbox):
    day.event.participant_walk_ins = True
    db.session.commit()
    slot = day.slots[0]
    eventday.set_meeting_status(day.m["ana_bo"], "cancelled", by=day.organizer)
    meeting = eventday.book_walk_in(day.schedule, slot, day.p["Eve"], day.p["Ana"],
                                    by=day.p["Eve"].user, now=day.started)  # fmt: skip
    assert {meeting.participant_a_id, meeting.participant_b_id} == {
        day.p["Eve"].id, day.p["Ana"].id
    }  # fmt: skip
    assert len(outbox.messages) == 2


def test_database_refuses_a_second_booking_of_the_same_person(day):
    """The guard is the database's: an attendee row for a busy person fails to insert even
    when the Python checks are skipped (as a concurrent request's would be)."""
    slot = day.slots[0]
    eventday.set_meeting_status(day.m["ana_bo"], "cancelled", by=day.organizer)
    eventday.book_walk_in(day.schedule, slot, day.p["Bo"], day.p["Eve"], by=day.organizer,
                          now=day.started)  # fmt: skip
    from sqlalchemy.exc import IntegrityError

    db.session.add(
        Meeting.between(day.schedule, slot, day.p["Ana"], day.p["Eve"], table=None,
                        source="walk_in", code="RACE")
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_free_slots_of_a_participant(day):
    eve, ana = day.p["Eve"], day.p["Ana"]
    assert eventday.free_slots_of(eve, day.schedule, now=day.before) == list(day.event.slots)
    assert day.slots[0] not in eventday.free_slots_of(ana, day.schedule, now=day.before)
    assert day.slots[0] not in eventday.free_slots_of(eve, day.schedule, now=day.slots[0].ends_at)


def test_current_slot_is_running_or_next(day):
    assert eventday.current_slot(day.event, now=day.before) == day.slots[0]
    assert eventday.current_slot(day.event, now=day.started) == day.slots[0]
    assert eventday.current_slot(day.event, now=day.slots[0].ends_at) == day.slots[1]
    assert eventday.current_slot(day.event, now=day.slots[-1].ends_at) == day.slots[-1]


# --- races: the database has the last word -------------------------------------------------
# Two requests at once both pass the Python checks before either commits; these tests skip the
# checks the way the later request's stale view would, and expect a Conflict, not a 500.


def test_concurrent_booking_of_a_busy_person_is_a_conflict(day, monkeypatch):
    slot = day.slots[0]
    eventday.set_meeting_status(day.m["cy_dan"], "cancelled", by=day.organizer)
    monkeypatch.setattr(eventday, "walk_in_problems", lambda *args, **kwargs: [])
    with pytest.raises(Conflict, match="Someone booked Ana Ltd, Eve Ltd or Table 2 just now"):
        eventday.book_walk_in(day.schedule, slot, day.p["Ana"], day.p["Eve"], by=day.organizer,
                              now=day.started)  # fmt: skip
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 3
    assert day.m["cy_dan"].table_id == day.tables[1].id  # the table went back with the rollback


def test_concurrent_booking_of_a_taken_table_is_a_conflict(day, monkeypatch, make_user,
                                                           make_participant):  # fmt: skip
    slot = day.slots[0]
    fay = make_participant(day.event, make_user(email="fay@x.example", name="Fay"))
    monkeypatch.setattr(eventday, "walk_in_problems", lambda *args, **kwargs: [])
    monkeypatch.setattr(eventday, "free_tables", lambda schedule, slot: [day.tables[0]])
    with pytest.raises(Conflict, match="Table 1 was taken just now"):
        eventday.book_walk_in(day.schedule, slot, day.p["Eve"], fay, by=day.organizer,
                              now=day.started)  # fmt: skip
    assert day.m["ana_bo"].table_id == day.tables[0].id


def test_concurrent_undo_after_a_walk_in_is_a_conflict(day, monkeypatch):
    slot = day.slots[0]
    eventday.set_meeting_status(day.m["ana_bo"], "cancelled", by=day.organizer)
    eventday.set_meeting_status(day.m["cy_dan"], "cancelled", by=day.organizer)  # a free table
    eventday.book_walk_in(day.schedule, slot, day.p["Bo"], day.p["Eve"], by=day.organizer,
                          now=day.started)  # fmt: skip
    monkeypatch.setattr(eventday, "_active_meeting_of", lambda *args: None)
    with pytest.raises(Conflict, match="booked its people just now"):
        eventday.set_meeting_status(day.m["ana_bo"], "scheduled", by=day.organizer)
    assert (meeting_status(day.m["ana_bo"]), attendees(day.m["ana_bo"])) == ("cancelled", [])


def meeting_status(meeting):
    db.session.expire_all()
    return db.session.get(Meeting, meeting.id).status


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="concurrent writers need PostgreSQL")
def test_two_desks_booking_the_same_person_at_once(app, day, monkeypatch):
    """Two helpers book Eve at the same moment, at different tables, each request past its
    checks before either commits: the database lets one through and the other gets Conflict."""
    slot_id, schedule_id = day.slots[0].id, day.schedule.id
    eventday.set_meeting_status(day.m["ana_bo"], "cancelled", by=day.organizer)
    eventday.set_meeting_status(day.m["cy_dan"], "cancelled", by=day.organizer)
    ids = {name: day.p[name].id for name in ("Ana", "Bo", "Eve")}
    tables = [t.id for t in day.tables]
    helper_id = day.helper.id
    db.session.remove()
    both_checked = threading.Barrier(2, timeout=20)
    checks = eventday.walk_in_problems

    def checked_then_wait(*args, **kwargs):
        problems = checks(*args, **kwargs)
        both_checked.wait()
        return problems

    monkeypatch.setattr(eventday, "walk_in_problems", checked_then_wait)
    outcomes = []

    def desk(partner, table_id):
        with app.app_context():
            get = db.session.get
            try:
                eventday.book_walk_in(
                    get(Schedule, schedule_id), get(Slot, slot_id), get(Participant, ids["Eve"]),
                    get(Participant, ids[partner]), by=get(User, helper_id),
                    table=get(Table, table_id), now=day.started,
                )  # fmt: skip
                outcomes.append("booked")
            except Conflict as error:
                outcomes.append(str(error))
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=desk, args=("Ana", tables[0])),
        threading.Thread(target=desk, args=("Bo", tables[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    refused = [outcome for outcome in outcomes if outcome != "booked"]
    assert (len(outcomes), len(refused)) == (2, 1)
    assert refused[0].startswith("Someone booked Eve Ltd")
    assert db.session.scalar(
        sa.select(sa.func.count()).where(
            MeetingAttendee.slot_id == slot_id, MeetingAttendee.participant_id == ids["Eve"]
        )
    ) == 1  # fmt: skip


def test_a_copy_of_the_agenda_after_a_walk_in_keeps_the_walk_in_and_drops_the_no_show(day):
    from matchmaker.services.schedules import copy_to_draft

    slot = day.slots[0]
    eventday.set_meeting_status(day.m["cy_dan"], "held", by=day.helper, now=day.started)
    eventday.set_meeting_status(day.m["ana_bo"], "no_show_a", by=day.helper, now=day.started)
    eventday.book_walk_in(
        day.schedule, slot, day.p["Bo"], day.p["Eve"], by=day.helper, now=day.started
    )
    copy = copy_to_draft(day.schedule, by=day.organizer)
    pairs = {
        (m.participant_a.organisation.name, m.participant_b.organisation.name, m.status)
        for m in copy.meetings
    }
    assert pairs == {
        ("Bo Ltd", "Eve Ltd", "scheduled"),
        ("Cy Ltd", "Dan Ltd", "held"),
        ("Ana Ltd", "Cy Ltd", "scheduled"),
    }


def test_after_a_walk_in_the_agenda_and_the_venue_lists_show_it_instead_of_the_no_show(day):
    from matchmaker.services import agenda

    slot = day.slots[0]
    eventday.set_meeting_status(day.m["ana_bo"], "no_show_a", by=day.helper, now=day.started)
    walk_in = eventday.book_walk_in(
        day.schedule, slot, day.p["Bo"], day.p["Eve"], by=day.helper, now=day.started
    )
    rows = dict(agenda.personal_agenda(day.p["Bo"]).days)[slot.day]
    [first] = [row for row in rows if not row.is_break and row.slot.id == slot.id]
    assert first.meeting.meeting.id == walk_in.id
    [door] = [d for d in agenda.door_list(day.schedule) if d.slot.id == slot.id]
    assert {row.meeting.id for row in door.rows} == {walk_in.id, day.m["cy_dan"].id}
    on_sheets = {m.id for sheet in agenda.table_sheets(day.schedule) for m in sheet.meetings}
    assert day.m["ana_bo"].id not in on_sheets and walk_in.id in on_sheets


def _partner_names(refill):
    return {f.participant.organisation.name: [p.organisation.name for p, _ in partners]
            for f, partners in refill}  # fmt: skip


def test_refill_offers_present_people_best_first_unless_everyone(day):
    eventday.set_meeting_status(day.m["ana_bo"], "no_show_a", by=day.helper, now=day.started)
    _, refill = eventday.refill_panel(day.schedule, day.slots[0])
    assert _partner_names(refill) == {"Bo Ltd": []}  # Eve (70 %) has not checked in
    _, everyone = eventday.refill_panel(day.schedule, day.slots[0], everyone=True)
    assert _partner_names(everyone) == {"Bo Ltd": ["Eve Ltd"]}
    eventday.check_in(day.p["Eve"], by=day.helper)
    _, refill = eventday.refill_panel(day.schedule, day.slots[0])
    assert _partner_names(refill) == {"Bo Ltd": ["Eve Ltd"]}


def test_card_primary_action_follows_presence_and_the_clock(day):
    ana_bo = day.m["ana_bo"]
    assert eventday.meeting_card(ana_bo, now=day.before).primary is None
    assert "held" not in eventday.meeting_card(ana_bo, now=day.before).others
    assert eventday.meeting_card(ana_bo, now=day.started).primary is None  # nobody here
    eventday.check_in(day.p["Ana"], by=day.helper)
    assert eventday.meeting_card(ana_bo, now=day.started).primary == "no_show_b"
    eventday.check_in(day.p["Bo"], by=day.helper)
    card = eventday.meeting_card(ana_bo, now=day.started)
    assert card.primary == "held" and "held" not in card.others
    eventday.set_meeting_status(ana_bo, "held", by=day.helper, now=day.started)
    card = eventday.meeting_card(ana_bo, now=day.started)
    assert (card.primary, card.others) == (None, ("scheduled",))  # undo is never primary


def test_rehearsal_moves_and_check_ins_write_nothing(day):
    rehearsal = eventday.Rehearsal()
    rehearsal = eventday.rehearse_check_in(day.p["Bo"], True, rehearsal, by=day.helper)
    rehearsal = eventday.rehearse_status(day.m["ana_bo"], "no_show_a", rehearsal, by=day.helper)
    assert eventday.meeting_card(day.m["ana_bo"], rehearsal).label == "No-show: Ana Ltd"
    free, refill = eventday.refill_panel(day.schedule, day.slots[0], rehearsal=rehearsal)
    assert "Bo Ltd" in names(free) and "Ana Ltd" not in names(free)
    with pytest.raises(DomainError, match="cannot become held"):
        eventday.rehearse_status(day.m["ana_bo"], "held", rehearsal, by=day.helper)
    with pytest.raises(NotAllowed):
        eventday.rehearse_status(day.m["ana_bo"], "cancelled", rehearsal, by=day.p["Ana"].user)
    again = eventday.Rehearsal.load(rehearsal.as_data())  # as the session keeps it
    assert again.status_of(day.m["ana_bo"]) == "no_show_a" and again.is_present(day.p["Bo"])
    db.session.expire_all()
    assert db.session.get(Meeting, day.m["ana_bo"].id).status == "scheduled"
    assert db.session.get(Participant, day.p["Bo"].id).checked_in_at is None
    assert attendees(day.m["ana_bo"]) == sorted([day.p["Ana"].id, day.p["Bo"].id])
