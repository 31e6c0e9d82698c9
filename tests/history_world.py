"""A network with two editions, built by hand, shared by the history tests (services, web,
browser).

Network "BBS ICT Cluster", organizer Olga. Last year "BBS ICT Days 2026" (13 May 2026,
closed), this year "BBS ICT Days 2027" (18-19 May 2027, registration open). Four
organisations took part last year; its published agenda:
  held       AgroVest–SoftServ     feedback round 1: Ana "follow-up planned", Bogdan "no
                                   further contact" -> follow-up planned (the more advanced)
  held       SoftServ–FieldNode    no feedback -> met, no outcome
  held       FieldNode–Danube Data round 1 both "agreement expected", round 2 Dan "no further
                                   contact" -> no further contact (the latest round)
  cancelled  AgroVest–FieldNode    did not meet
  no-show    AgroVest–Danube Data  did not meet
At "Agri Forum 2026", an event outside the network, AgroVest met Danube Data: not remembered.
This year AgroVest, SoftServ, FieldNode and Danube Data are registered again (approved, each
with an offer and a need), with their people Ana, Bogdan, Chiara and Dan.
Lia of Lumen Labs was at both 2026 events (different offers at each) and has not registered
this year; Eve of Eve Labs was only at Agri Forum 2026; Ivo of Ivo Works never registered.
"""

from datetime import date, time
from types import SimpleNamespace

from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    EventSession,
    Feedback,
    Meeting,
    Network,
    Opportunity,
    Organisation,
    Participant,
    Schedule,
)
from matchmaker.services.events import sync_slots_and_tables

LAST_YEAR = {
    "AgroVest": (
        [
            ("offer", "product", "Organic grain for export"),
            ("offer", "service", "Pilot farm for field trials"),
        ],
        [("request", "technology", "ERP integration for our web shop")],
    ),
    "SoftServ": (
        [("offer", "service", "ERP integration and implementation")],
        [("request", "partnership", "Pilot customers in agriculture")],
    ),
    "FieldNode": (
        [("offer", "technology", "Soil sensors with LoRaWAN")],
        [("request", "service", "Field trials on a pilot farm")],
    ),
    "Danube Data": (
        [("offer", "service", "Data analytics for farms")],
        [("request", "product", "Soil sensor data")],
    ),
    "Lumen Labs": (
        [
            ("offer", "technology", "Smart greenhouse lighting"),
            ("offer", "rd_cooperation", "Joint Horizon Europe proposal on urban farming"),
        ],
        [
            ("request", "investment", "Investors for our greenhouse pilot"),
            ("request", "partnership", "Distributors in Serbia"),
        ],
    ),
}
AGRI_FORUM = {
    "Lumen Labs": ([("offer", "product", "LED grow lights")], []),
    "Eve Labs": ([("offer", "service", "Lab tests of grain quality")],
                 [("request", "partnership", "Grain traders")]),
}  # fmt: skip
THIS_YEAR = {
    "AgroVest": (["Pilot farm for field trials"], ["ERP integration for the web shop"]),
    "SoftServ": (["ERP integration and web shop implementation"], ["Pilot farm customers"]),
    "FieldNode": (["Soil sensors for pilot farms"], ["Field trials on farms"]),
    "Danube Data": (["Farm data analytics"], ["Soil sensor data from pilot farms"]),
}


def event(slug, title, day, network=None, status="closed", organizer=None):
    made = Event(slug=slug, title=title, status=status, table_count=3, meeting_minutes=25,
                 gap_minutes=5,
                 timezone="Europe/Bucharest", network=network)  # fmt: skip
    made.sessions = [EventSession(day=day, start=time(9, 0), end=time(11, 0))]
    if organizer is not None:
        made.organizers.append(organizer)
    db.session.add(made)
    sync_slots_and_tables(made)
    return made


def build(make_user):
    olga = make_user(email="olga@bbs.example", name="Olga", role="organizer")
    network = Network(slug="bbs-ict", name="BBS ICT Cluster")
    last = event("ict-2026", "BBS ICT Days 2026", date(2026, 5, 13), network, organizer=olga)
    other = event("agri-2026", "Agri Forum 2026", date(2026, 9, 2), organizer=olga)
    this = event("ict-2027", "BBS ICT Days 2027", date(2027, 5, 18), network,
                 status="registration_open", organizer=olga)  # fmt: skip
    this.sessions.append(EventSession(day=date(2027, 5, 19), start=time(9, 0), end=time(11, 0)))
    sync_slots_and_tables(this)
    people = {
        "AgroVest": ("ana@agro.example", "Ana", "RO"),
        "SoftServ": ("bogdan@soft.example", "Bogdan", "RS"),
        "FieldNode": ("chiara@field.example", "Chiara", "IT"),
        "Danube Data": ("dan@danube.example", "Dan", "BG"),
        "Lumen Labs": ("lia@lumen.example", "Lia", "HU"),
        "Eve Labs": ("eve@labs.example", "Eve", "RO"),
        "Ivo Works": ("ivo@works.example", "Ivo", "MD"),
    }
    users, organisations = {}, {}
    for name, (email, person, country) in people.items():
        users[name] = make_user(email=email, name=person)
        organisations[name] = Organisation(name=name, country=country, type="sme",
                                           description=f"{name} of {country}")  # fmt: skip
        users[name].organisation = organisations[name]

    def register(at, name, offers, requests, status="approved"):
        participant = Participant(event=at, user=users[name],
                                  organisation=organisations[name], status=status)  # fmt: skip
        participant.opportunities = [
            Opportunity(kind=kind, category=category, title=title, description=f"{title}.")
            for kind, category, title in (*offers, *requests)
        ]
        db.session.add(participant)
        return participant

    before = {name: register(last, name, *lists) for name, lists in LAST_YEAR.items()}
    db.session.flush()
    schedule = Schedule(event_id=last.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    slots, tables = last.slots, last.tables

    def meeting(slot, table, first, second, status):
        placed = Meeting.between(schedule, slots[slot], before[first], before[second],
                                 table=tables[table], status=status)  # fmt: skip
        db.session.add(placed)
        db.session.flush()
        return placed

    def answer(placed, name, outcome, round_number=1):
        db.session.add(Feedback(meeting_id=placed.id, participant_id=before[name].id,
                                round=round_number, held=True, outcome=outcome))  # fmt: skip

    agro_soft = meeting(0, 0, "AgroVest", "SoftServ", "held")
    answer(agro_soft, "AgroVest", "follow_up_planned")
    answer(agro_soft, "SoftServ", "no_further_contact")
    field_data = meeting(0, 1, "FieldNode", "Danube Data", "held")
    answer(field_data, "FieldNode", "agreement_expected")
    answer(field_data, "Danube Data", "agreement_expected")
    answer(field_data, "Danube Data", "no_further_contact", round_number=2)
    meeting(1, 0, "SoftServ", "FieldNode", "held")
    meeting(2, 0, "AgroVest", "FieldNode", "cancelled")
    meeting(3, 1, "AgroVest", "Danube Data", "no_show_b")

    # Outside the network: AgroVest and Danube Data meet at another event.
    elsewhere = {name: register(other, name, (), ()) for name in ("AgroVest", "Danube Data")}
    elsewhere.update({name: register(other, name, *lists) for name, lists in AGRI_FORUM.items()})
    db.session.flush()
    other_schedule = Schedule(event_id=other.id, version=1, status="published")
    db.session.add(other_schedule)
    db.session.flush()
    db.session.add(Meeting.between(other_schedule, other.slots[0], elsewhere["AgroVest"],
                                   elsewhere["Danube Data"], table=other.tables[0],
                                   status="held"))  # fmt: skip

    now = {
        name: register(
            this, name,
            [("offer", "service", title) for title in offers],
            [("request", "service", title) for title in requests],
        )
        for name, (offers, requests) in THIS_YEAR.items()
    }  # fmt: skip
    db.session.commit()
    return SimpleNamespace(
        network=network, olga=olga, last=last, other=other, this=this, users=users,
        organisations=organisations, before=before, now=now, elsewhere=elsewhere,
    )  # fmt: skip
