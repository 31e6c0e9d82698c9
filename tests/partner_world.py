"""A small network world for the partner tests (issue 23): event A of the network with two
partners, Iași ICT Cluster (staff Irina) and Sofia Tech Chamber (staff Stefan), each with
companies that registered through its link, and one company that registered on its own."""

from dataclasses import dataclass

from matchmaker.extensions import db
from matchmaker.models import EventPartner, Network, NetworkMember, Organisation

SLUG = "ict-days"


@dataclass
class PartnerWorld:
    event: object
    organizer: object
    network: object
    iasi: object  # EventPartner
    sofia: object  # EventPartner
    spare: object  # a member of the network that is not a partner
    irina: object  # staff of Iași
    stefan: object  # staff of Sofia
    iasi_pending: object  # a pending company of Iași
    iasi_approved: object  # an approved company of Iași
    sofia_company: object  # an approved company of Sofia
    untagged: object  # registered through the plain event page


def make_member(network, name, country, staff=(), kind="cluster"):
    organisation = Organisation(name=name, country=country, type="cluster")
    member = NetworkMember(network=network, organisation=organisation, kind=kind)
    member.staff = list(staff)
    db.session.add(member)
    return member


def build(make_user, make_event, make_participant, slug=SLUG):
    organizer = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    irina = make_user(email="irina@iasi-cluster.example", name="Irina Pop")
    stefan = make_user(email="stefan@sofia-chamber.example", name="Stefan Ivanov")
    network = Network(slug="danube-ict", name="Danube ICT Network")
    db.session.add(network)
    iasi_member = make_member(network, "Iași ICT Cluster", "RO", staff=[irina])
    sofia_member = make_member(network, "Sofia Tech Chamber", "BG", staff=[stefan],
                               kind="chamber")  # fmt: skip
    spare = make_member(network, "Novi Sad Hub", "RS")
    db.session.commit()
    event = make_event(slug=slug, organizer=organizer, network_id=network.id)
    iasi = EventPartner(event=event, member=iasi_member)
    sofia = EventPartner(event=event, member=sofia_member)
    db.session.add_all([iasi, sofia])
    db.session.commit()

    def company(email, person, name, partner, **fields):
        user = make_user(email=email, name=person)
        registered = make_participant(event, user, organisation_name=name, partner=partner,
                                      **fields)  # fmt: skip
        user.organisation = registered.organisation
        db.session.commit()
        return registered

    return PartnerWorld(
        event=event,
        organizer=organizer,
        network=network,
        iasi=iasi,
        sofia=sofia,
        spare=spare,
        irina=irina,
        stefan=stefan,
        iasi_pending=company("dan@softlab.example", "Dan", "SoftLab Iași", iasi,
                             status="pending"),
        iasi_approved=company("ema@cloudro.example", "Ema", "CloudRo", iasi,
                              offers=["Cloud hosting"], requests=["Payment APIs"]),
        sofia_company=company("boris@fintech.example", "Boris", "FinTech Sofia", sofia,
                              offers=["Payment APIs"]),
        untagged=company("tom@solo.example", "Tom", "Solo Systems", None, offers=["ERP"]),
    )  # fmt: skip
