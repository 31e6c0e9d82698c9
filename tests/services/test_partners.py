"""Partners of an event (issue 23): the organizer's partners, the invitation link's tag, the
partner staff's figures, decisions, reminders and export, and that no partner reaches
another's companies."""

import csv
import io

import pytest
from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import (
    EventPartner,
    Feedback,
    Meeting,
    MeetingRequest,
    Network,
    Participant,
    Schedule,
)
from matchmaker.services import partners, registration
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from tests import partner_world


@pytest.fixture
def w(make_user, make_event, make_participant):
    return partner_world.build(make_user, make_event, make_participant)


def test_organizer_adds_a_network_member_as_partner_with_its_own_link(w):
    assert [m.name for m in partners.candidate_members(w.event)] == ["Novi Sad Hub"]
    added = partners.add_partner(w.event, w.spare.id, by=w.organizer)
    assert added.name == "Novi Sad Hub"
    assert added.invite_token not in (w.iasi.invite_token, w.sofia.invite_token)
    assert partners.partner_for_token(w.event, added.invite_token) == added
    assert partners.candidate_members(w.event) == []


def test_adding_a_partner_twice_is_refused(w):
    with pytest.raises(Conflict, match="Iași ICT Cluster is already a partner"):
        partners.add_partner(w.event, w.iasi.member_id, by=w.organizer)


def test_only_members_of_the_events_network_can_be_partners(w):
    other = Network(slug="alps", name="Alps Network")
    db.session.add(other)
    outsider = partner_world.make_member(other, "Graz Cluster", "AT")
    db.session.commit()
    with pytest.raises(DomainError, match="Choose one of the members of Danube ICT Network"):
        partners.add_partner(w.event, outsider.id, by=w.organizer)
    with pytest.raises(DomainError, match="Choose one of the members"):
        partners.add_partner(w.event, 999_999, by=w.organizer)
    assert len(w.event.partners) == 2


def test_a_member_that_left_the_network_cannot_become_a_partner(w):
    from datetime import date

    w.spare.left_on = date(2026, 1, 1)
    db.session.commit()
    assert partners.candidate_members(w.event) == []
    with pytest.raises(DomainError):
        partners.add_partner(w.event, w.spare.id, by=w.organizer)


def test_an_event_without_network_says_what_to_do(w, make_event):
    lone = make_event(slug="lone", organizer=w.organizer)
    assert partners.candidate_members(lone) == []
    with pytest.raises(DomainError, match="belongs to no network"):
        partners.add_partner(lone, w.spare.id, by=w.organizer)


def test_only_organizers_manage_partners(w):
    with pytest.raises(NotAllowed):
        partners.add_partner(w.event, w.spare.id, by=w.irina)
    with pytest.raises(NotAllowed):
        partners.replace_link(w.iasi, by=w.irina)
    with pytest.raises(NotAllowed):
        partners.remove_partner(w.sofia, by=w.irina)
    with pytest.raises(NotAllowed):
        partners.retag(w.sofia_company, w.iasi.id, by=w.irina)


def test_replacing_a_link_stops_the_old_one_and_keeps_the_companies(w):
    old = w.iasi.invite_token
    partners.replace_link(w.iasi, by=w.organizer)
    assert partners.partner_for_token(w.event, old) is None
    assert partners.partner_for_token(w.event, w.iasi.invite_token) == w.iasi
    assert w.iasi_approved.partner == w.iasi


def test_a_token_of_another_event_finds_no_partner(w, make_event):
    other = make_event(slug="agri", organizer=w.organizer, network_id=w.network.id)
    assert partners.partner_for_token(other, w.iasi.invite_token) is None
    assert partners.partner_for_token(w.event, "x" * 500) is None
    assert partners.partner_for_token(w.event, "") is None


def test_removing_a_partner_keeps_its_companies_untagged(w):
    ids = (w.iasi_pending.id, w.iasi_approved.id)
    partners.remove_partner(w.iasi, by=w.organizer)
    db.session.expire_all()
    kept = [db.session.get(Participant, pid) for pid in ids]
    assert [(p.status, p.partner_id) for p in kept] == [("pending", None), ("approved", None)]
    assert [p.name for p in w.event.partners] == ["Sofia Tech Chamber"]
    assert w.sofia_company.partner == w.sofia


def test_organizer_retags_a_company_to_another_partner_or_none(w):
    partners.retag(w.untagged, w.sofia.id, by=w.organizer)
    assert w.untagged.partner == w.sofia
    partners.retag(w.untagged, None, by=w.organizer)
    assert w.untagged.partner is None


def test_retagging_to_a_partner_of_another_event_is_refused(w, make_event):
    other = make_event(slug="agri", organizer=w.organizer, network_id=w.network.id)
    foreign = EventPartner(event=other, member=w.spare)
    db.session.add(foreign)
    db.session.commit()
    with pytest.raises(DomainError, match="Choose one of this event's partners"):
        partners.retag(w.untagged, foreign.id, by=w.organizer)
    assert w.untagged.partner is None


def test_registering_through_a_link_tags_the_company(w, make_user):
    user = make_user(email="new@company.example", name="Nina")
    user.organisation = w.untagged.organisation.__class__(name="NewCo", country="RO", type="sme")
    db.session.commit()
    participant = registration.register(w.event, user, partner=w.sofia)
    assert participant.partner == w.sofia


def test_registering_with_a_partner_of_another_event_is_refused(w, make_user, make_event):
    other = make_event(slug="agri", organizer=w.organizer)
    user = make_user(email="new@company.example", name="Nina")
    user.organisation = w.untagged.organisation.__class__(name="NewCo", country="RO", type="sme")
    db.session.commit()
    with pytest.raises(DomainError, match="another event"):
        registration.register(other, user, partner=w.sofia)


def test_staff_see_only_their_own_companies(w):
    names = [c.name for c in partners.companies(w.event, [w.iasi], by=w.irina)]
    assert names == ["SoftLab Iași", "CloudRo"]
    assert [c.name for c in partners.companies(w.event, [w.sofia], by=w.stefan)] == [
        "FinTech Sofia"
    ]


def test_staff_of_another_partner_cannot_read_its_companies(w):
    with pytest.raises(NotAllowed):
        partners.companies(w.event, [w.sofia], by=w.irina)
    with pytest.raises(NotAllowed):
        partners.export_companies(w.event, [w.sofia], "csv", by=w.irina)
    with pytest.raises(NotAllowed):
        partners.remind_stuck(w.event, [w.sofia], by=w.irina)
    assert partners.company_of(w.event, [w.iasi], w.sofia_company.id) is None
    assert partners.company_of(w.event, [w.iasi], w.iasi_approved.id) == w.iasi_approved


def _published_meetings(w):
    """CloudRo meets FinTech Sofia (held, both answered) and Solo Systems (CloudRo absent);
    a third, with SoftLab, is cancelled."""
    schedule = Schedule(event_id=w.event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    slots, table = list(w.event.slots), w.event.tables[0]

    def meeting(slot, other, **fields):
        made = Meeting.between(schedule, slot, w.iasi_approved, other, table=table, **fields)
        db.session.add(made)
        return made

    held = meeting(slots[0], w.sofia_company, source="request", status="held")
    missed = meeting(slots[1], w.untagged, source="request")
    meeting(slots[2], w.iasi_pending, source="manual", status="cancelled")
    db.session.flush()
    side = "a" if missed.participant_a_id == w.iasi_approved.id else "b"
    missed.status = f"no_show_{side}"
    db.session.add_all([
        Feedback(meeting_id=held.id, participant_id=w.iasi_approved.id, round=1, held=True,
                 outcome="follow_up_planned"),
        Feedback(meeting_id=held.id, participant_id=w.iasi_approved.id, round=2, held=True,
                 outcome="offer_sent"),
        Feedback(meeting_id=held.id, participant_id=w.sofia_company.id, round=1, held=True,
                 outcome="agreement_signed"),
    ])  # fmt: skip
    db.session.commit()


def test_company_figures_count_requests_meetings_no_shows_and_latest_outcomes(w):
    db.session.add_all([
        MeetingRequest(event_id=w.event.id, sender_id=w.iasi_approved.id,
                       receiver_id=w.sofia_company.id, status="accepted"),
        MeetingRequest(event_id=w.event.id, sender_id=w.untagged.id,
                       receiver_id=w.iasi_approved.id),
        MeetingRequest(event_id=w.event.id, sender_id=w.sofia_company.id,
                       receiver_id=w.untagged.id),
    ])  # fmt: skip
    db.session.commit()
    _published_meetings(w)
    cloud = next(c for c in partners.companies(w.event, [w.iasi], by=w.irina)
                 if c.name == "CloudRo")  # fmt: skip
    figures = (cloud.sent, cloud.received, cloud.waiting, cloud.accepted, cloud.meetings,
               cloud.held, cloud.no_shows)  # fmt: skip
    assert figures == (1, 1, 1, 1, 2, 1, 1)
    assert dict(cloud.outcomes) == {"Offer sent": 1}  # the later round's answer wins
    sofia = partners.companies(w.event, [w.sofia], by=w.stefan)[0]
    assert (sofia.meetings, sofia.no_shows, dict(sofia.outcomes)) == (1, 0, {"Agreement signed": 1})


def test_profile_completeness_counts_description_offers_and_needs(w):
    w.iasi_approved.organisation.description = "Cloud hosting for SMEs"
    w.iasi_approved.organisation.sectors = ["ICT"]
    db.session.commit()
    found = {c.name: c for c in partners.companies(w.event, [w.iasi], by=w.irina)}
    assert (found["CloudRo"].completeness, found["SoftLab Iași"].completeness) == (100, 0)
    assert found["SoftLab Iași"].missing_steps == ["profile", "offer", "request"]


def test_staff_approve_their_own_pending_company_with_the_usual_mail(w, outbox):
    partners.decide(w.iasi_pending, "approved", by=w.irina)
    assert w.iasi_pending.status == "approved"
    message = outbox.messages[-1]
    assert (message["To"], message["Subject"]) == (
        "dan@softlab.example",
        "Your registration for ICT Brokerage Days",
    )
    assert "is approved" in message.get_payload(decode=True).decode()


def test_staff_cannot_decide_on_another_partners_or_an_untagged_company(w, outbox):
    with pytest.raises(NotAllowed):
        partners.decide(w.sofia_company, "rejected", by=w.irina)
    with pytest.raises(NotAllowed):
        partners.decide(w.untagged, "rejected", by=w.irina)
    with pytest.raises(NotAllowed):
        registration.set_status(w.untagged, "rejected", by=w.irina)
    assert (w.sofia_company.status, w.untagged.status) == ("approved", "approved")
    assert outbox.messages == []


def test_stuck_companies_are_approved_ones_with_something_left_to_do(w):
    stuck = partners.stuck_companies(w.event, [w.iasi], by=w.irina)
    # SoftLab is pending (the decision comes first); CloudRo has opportunities but sent no
    # request.
    assert [(c.name, c.stuck) for c, _ in stuck] == [("CloudRo", ["no_requests_sent"])]


def test_reminding_mails_each_stuck_company_once_and_says_how_many(w, outbox):
    w.iasi_pending.status = "approved"
    db.session.commit()
    assert partners.remind_stuck(w.event, [w.iasi], by=w.irina) == 2
    recipients = sorted(m["To"] for m in outbox.messages)
    assert recipients == ["dan@softlab.example", "ema@cloudro.example"]
    body = next(m for m in outbox.messages if m["To"] == "dan@softlab.example")
    text = body.get_payload(decode=True).decode()
    assert "Iași ICT Cluster invited SoftLab Iași" in text
    assert "not yet said what you offer" in text
    assert "Irina Pop, for Iași ICT Cluster" in text
    assert "http://127.0.0.1:5000/events/ict-days/me" in text


def test_nobody_stuck_sends_nothing(w, outbox):
    db.session.add(MeetingRequest(event_id=w.event.id, sender_id=w.sofia_company.id,
                                  receiver_id=w.untagged.id))  # fmt: skip
    db.session.commit()
    assert partners.remind_stuck(w.event, [w.sofia], by=w.stefan) == 0
    assert outbox.messages == []


def test_export_holds_only_the_partners_companies_with_their_figures(w):
    data, mimetype, filename = partners.export_companies(w.event, [w.iasi], "csv", by=w.irina)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:7] == ["Organisation", "Country", "Type", "Person", "Email", "Partner",
                           "Status"]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["SoftLab Iași", "CloudRo"]
    assert rows[2][5:8] == ["Iași ICT Cluster", "Approved", "67"]
    assert "FinTech Sofia" not in data.decode("utf-8-sig")
    assert filename == "ict-days-ia-i-ict-cluster-companies.csv"
    assert mimetype.startswith("text/csv")


def test_export_as_xlsx_and_refuses_unknown_formats(w):
    data, _mimetype, filename = partners.export_companies(w.event, [w.iasi], "xlsx", by=w.irina)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "SoftLab Iași",
        "CloudRo",
    ]
    assert filename.endswith(".xlsx")
    with pytest.raises(DomainError):
        partners.export_companies(w.event, [w.iasi], "pdf", by=w.irina)


def test_staff_list_their_partner_events(w):
    assert partners.events_staffed_by(w.irina) == [(w.event, w.iasi)]
    assert partners.partners_staffed_by(w.event, w.stefan) == [w.sofia]
    assert partners.partners_staffed_by(w.event, w.organizer) == []
