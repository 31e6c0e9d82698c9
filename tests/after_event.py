"""A small finished event built by hand, shared by the feedback and statistics tests.

Event "ict-days" (closed), organizer Olga. Approved participants: Ana (AgroVest, RO),
Mo (FieldNode, RS), Eve (Eve Labs, RO) and Dan (Danube Data, BG). Published agenda:
  held       Ana–Mo   (cross-border) first slot, table 1
  no-show    Ana–Eve  (same country) second slot, table 1
  cancelled  Mo–Eve                  third slot, table 2
Dan has no meeting. Requests: Ana→Mo accepted, Eve→Ana declined, Dan→Mo expired,
Dan→Eve pending.
"""

from types import SimpleNamespace

from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingRequest, Organisation, Schedule


def build(make_user, make_event, make_participant, status="closed"):
    olga = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    event = make_event(slug="ict-days", organizer=olga, status=status)

    def participant(email, name, organisation, country):
        user = make_user(email=email, name=name)
        org = Organisation(name=organisation, country=country, type="sme")
        return make_participant(event, user, organisation=org, offers=["Something"])

    ana = participant("ana@agro.example", "Ana", "AgroVest", "RO")
    mo = participant("mo@field.example", "Mo", "FieldNode", "RS")
    eve = participant("eve@labs.example", "Eve", "Eve Labs", "RO")
    dan = participant("dan@danube.example", "Dan", "Danube Data", "BG")
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    slots, tables = event.slots, event.tables

    def meeting(slot, table, first, second, status, code):
        placed = Meeting.between(schedule, slot, first, second, table=table, status=status,
                                 code=code)  # fmt: skip
        db.session.add(placed)
        db.session.flush()
        return placed

    held = meeting(slots[0], tables[0], ana, mo, "held", "A1")
    no_show = meeting(slots[1], tables[0], ana, eve, "no_show_b", "B2")
    cancelled = meeting(slots[2], tables[1], mo, eve, "cancelled", "C3")
    for sender, receiver, state in (
        (ana, mo, "accepted"),
        (eve, ana, "declined"),
        (dan, mo, "expired"),
        (dan, eve, "pending"),
    ):
        db.session.add(
            MeetingRequest(
                event_id=event.id, sender_id=sender.id, receiver_id=receiver.id, status=state
            )
        )
    db.session.commit()
    return SimpleNamespace(
        event=event, olga=olga, ana=ana, mo=mo, eve=eve, dan=dan, schedule=schedule,
        held=held, no_show=no_show, cancelled=cancelled,
    )  # fmt: skip


GOOD = {"held": True, "usefulness": 4, "outcome": "follow_up_planned", "comment": "Good talk"}
