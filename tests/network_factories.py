"""Rows of a network for tests (issue 23): a network with administrators, members and a
chair, written straight to the database (the services are what the tests try)."""

from datetime import date

from matchmaker.extensions import db
from matchmaker.models import Network, NetworkChair, NetworkMember, Organisation


def make_network(slug="danube-ict", name="Danube ICT Network", admins=(), events=()):
    network = Network(slug=slug, name=name, description="Clusters of the Danube region.")
    network.admins = list(admins)
    db.session.add(network)
    for event in events:
        event.network = network
    db.session.commit()
    return network


def make_member(network, name, country="RO", kind="cluster", joined_on=date(2020, 1, 1)):
    member = NetworkMember(
        network=network,
        organisation=Organisation(name=name, country=country, type="cluster"),
        kind=kind,
        joined_on=joined_on,
    )
    db.session.add(member)
    db.session.commit()
    return member


def make_chair(network, member, starts_on=date(2024, 1, 1)):
    term = NetworkChair(network=network, member=member, starts_on=starts_on)
    db.session.add(term)
    db.session.commit()
    return term
