"""A farm-technology event for the consortium builder's tests (issue 25): the lead AgriSense
and, for each of the call's three roles, two participants from different countries who
offer it, plus a fintech company that fits nothing."""

from dataclasses import dataclass

from matchmaker.extensions import db
from matchmaker.models import Organisation

ROLES = "satellite data\nagronomy field trials\nfarm cooperatives"
IDEA = {
    "title": "Digital twins of farms from space",
    "objective": "Advise growers on irrigation from satellite data and field trials.",
    "roles": ROLES,
    "partners": "4",
    "min_countries": "3",
    "one_per_organisation": "y",
}
# (key, organisation, country, type, offers)
PEOPLE = (
    ("lead", "AgriSense", "RO", "sme", ["Irrigation advice software for growers"]),
    ("eo", "Orbital Eye", "BG", "sme",
     ["Satellite data: earth observation imagery for crop monitoring"]),
    ("eo2", "SkyPix", "TR", "sme", ["Satellite imagery and data processing for agriculture"]),
    ("trials", "AgroUni", "RS", "university",
     ["Agronomy field trials on experimental plots"]),
    ("trials2", "FieldLab", "GR", "research_organisation",
     ["Field trials and agronomy experiments"]),
    ("coops", "Coop Union", "GR", "cluster", ["Network of farm cooperatives for pilots"]),
    ("coops2", "CoopNet", "BG", "other", ["Federation of farm cooperatives and growers"]),
    ("fintech", "PayFast", "RO", "company", ["Mobile payments for shops"]),
)  # fmt: skip


@dataclass
class FarmWorld:
    event: object
    organizer: object
    people: dict  # key -> Participant

    def email(self, key):
        return self.people[key].user.email

    def name(self, key):
        return self.people[key].organisation.name


def farm_world(make_user, make_event, make_participant, slug="farm-days"):
    organizer = make_user(email=f"olga@{slug}.example", name="Olga", role="organizer")
    event = make_event(slug=slug, organizer=organizer, title="Farm Tech Days")
    people = {}
    for key, name, country, kind, offers in PEOPLE:
        user = make_user(email=f"{key}@{slug}.example", name=f"{name} person")
        organisation = Organisation(name=name, country=country, type=kind)
        people[key] = make_participant(event, user, organisation=organisation, offers=offers)
        user.organisation = organisation
    db.session.commit()
    return FarmWorld(event=event, organizer=organizer, people=people)
