"""The inbox (issue 17): what waits, message threads between two participants, notices, and
how each person hears of messages (one email each, a daily digest, or none)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Match, MeetingRequest, Organisation
from matchmaker.models.base import utcnow
from matchmaker.models.inbox import Message, Notice
from matchmaker.services import inbox


@pytest.fixture
def trio(make_event, make_user, make_participant):
    """Ana asked Mo for a meeting (pending); Eve is in the same event and linked to nobody."""
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    ana = make_participant(event, make_user(email="ana@agro.example", name="Ana"),
                           organisation_name="AgroVest")  # fmt: skip
    mo = make_participant(event, make_user(email="mo@field.example", name="Mo"),
                          organisation_name="FieldNode", country="RS")  # fmt: skip
    eve = make_participant(event, make_user(email="eve@labs.example", name="Eve"),
                           organisation_name="Eve Labs")  # fmt: skip
    db.session.add(MeetingRequest(event_id=event.id, sender_id=ana.id, receiver_id=mo.id))
    db.session.commit()
    return event, ana, mo, eve


def _thread(event, partner):
    return f"/events/{event.slug}/messages/{partner.id}"


def _waiting(page):
    import re

    found = re.search(r'data-testid="waiting-count">(\d+)', page)
    return int(found.group(1)) if found else 0


def test_waiting_count_adds_requests_messages_and_notices(client, auth, trio):
    event, ana, mo, _ = trio
    auth.login("mo@field.example")
    assert _waiting(client.get("/dashboard").text) == 1  # Ana's request
    db.session.add(Message(event_id=event.id, sender_id=ana.id, receiver_id=mo.id, body="Hi"))
    inbox.add_notice(mo.user, "booking", "Your meeting with AgroVest is booked.", "/inbox", event)
    db.session.commit()
    page = client.get("/dashboard").text
    assert _waiting(page) == 3
    assert "3 things waiting for you" in page


def test_waiting_count_is_one_query(app, trio):
    _, _, mo, _ = trio
    user = db.session.get(type(mo.user), mo.user_id)
    assert user.is_authenticated  # loaded before counting
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert inbox.waiting_count(user) == 1
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == 1


@pytest.mark.parametrize("config_overrides", [{"PAGE_CACHE_MB": 4}])
def test_a_new_message_updates_the_count_on_a_cached_page_of_another_event(
    client, auth, trio, make_event, make_participant
):
    event, ana, mo, _ = trio
    other = make_event(slug="agri-forum", title="Agri Forum")
    make_participant(other, mo.user, organisation=mo.organisation)
    auth.login("mo@field.example")
    url = f"/events/{other.slug}/matches"
    assert _waiting(client.get(url).text) == 1
    assert _waiting(client.get(url).text) == 1  # now served from the cache
    db.session.add(Message(event_id=event.id, sender_id=ana.id, receiver_id=mo.id, body="Hi"))
    db.session.commit()
    assert _waiting(client.get(url).text) == 2


def test_thread_both_write_and_opening_marks_read(client, auth, trio, outbox):
    event, ana, mo, _ = trio
    auth.login("ana@agro.example")
    page = client.post(_thread(event, mo), data={"body": "Shall we meet at ten?"},
                       follow_redirects=True).text  # fmt: skip
    assert "Message sent." in page and "Shall we meet at ten?" in page
    assert outbox.messages[-1]["To"] == "mo@field.example"
    assert "AgroVest wrote to you" in outbox.messages[-1]["Subject"]
    auth.logout()

    auth.login("mo@field.example")
    assert "Shall we meet at ten?" in client.get("/inbox").text
    assert _waiting(client.get("/dashboard").text) == 2
    client.get(_thread(event, ana))
    assert _waiting(client.get("/dashboard").text) == 1  # the request still waits
    client.post(_thread(event, ana), data={"body": "Ten is fine."})
    bodies = [m.body for m in db.session.scalars(sa.select(Message).order_by(Message.id))]
    assert bodies == ["Shall we meet at ten?", "Ten is fine."]


def test_thread_of_an_unlinked_participant_is_404(client, auth, trio):
    event, ana, mo, eve = trio
    auth.login("eve@labs.example")
    assert client.get(_thread(event, ana)).status_code == 404
    assert client.post(_thread(event, mo), data={"body": "Let me in"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_organizer_reads_the_thread_but_cannot_write(client, auth, trio):
    event, ana, mo, _ = trio
    db.session.add(Message(event_id=event.id, sender_id=ana.id, receiver_id=mo.id, body="Hi Mo"))
    db.session.commit()
    auth.login("olga@org.example")
    page = client.get(f"/events/{event.slug}/manage/messages/{ana.id}/{mo.id}").text
    assert "Hi Mo" in page and "<textarea" not in page
    assert client.get(_thread(event, mo)).status_code == 404  # not a participant
    assert db.session.scalar(sa.select(Message.read_at)) is None  # reading marks nothing


def test_message_longer_than_the_limit_is_refused_with_the_limit(client, auth, trio):
    event, _, mo, _ = trio
    auth.login("ana@agro.example")
    page = client.post(_thread(event, mo), data={"body": "x" * 2500}).text
    assert "At most 2,000 characters (you wrote 2,500)." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_message_email_none_sends_no_mail(client, auth, trio, outbox):
    event, _, mo, _ = trio
    auth.login("mo@field.example")
    client.post("/account/messages", data={"choice": "none"})
    assert mo.user.message_email == "none"
    auth.logout()
    auth.login("ana@agro.example")
    before = len(outbox.messages)
    client.post(_thread(event, mo), data={"body": "Hello"})
    assert len(outbox.messages) == before


def test_account_page_offers_the_three_choices(client, auth, trio):
    auth.login("ana@agro.example")
    page = client.get("/account").text
    assert "An email for each message" in page and "One email a day" in page
    assert client.post("/account/messages", data={"choice": "weekly"}).status_code == 302
    db.session.refresh(trio[1].user)
    assert trio[1].user.message_email == "each"


def test_digest_command_mails_what_came_since_the_last_one(app, runner, trio, outbox):
    event, ana, mo, eve = trio
    mo.user.message_email = "digest"
    mo.user.digest_sent_at = utcnow() - timedelta(days=1)
    eve.user.message_email = "digest"  # nothing waits for Eve: no mail
    db.session.add(Message(event_id=event.id, sender_id=ana.id, receiver_id=mo.id,
                           body="See you at the fair"))  # fmt: skip
    db.session.commit()
    before = len(outbox.messages)
    result = runner.invoke(args=["inbox", "digest"])
    assert "Digests sent: 1." in result.output
    mails = outbox.messages[before:]
    assert [m["To"] for m in mails] == ["mo@field.example"]
    body = mails[0].get_payload(decode=True).decode()
    assert "AgroVest asks you for a meeting" in body
    assert "See you at the fair" in body
    result = runner.invoke(args=["inbox", "digest"])
    assert "Digests sent: 0." in result.output  # nothing new since


def test_digest_user_gets_no_mail_per_message(client, auth, trio, outbox):
    event, _, mo, _ = trio
    mo.user.message_email = "digest"
    db.session.commit()
    auth.login("ana@agro.example")
    before = len(outbox.messages)
    client.post(_thread(event, mo), data={"body": "Hello"})
    assert len(outbox.messages) == before


def test_notices_newest_first_and_read_when_opened(client, auth, trio):
    event, _, mo, _ = trio
    old = inbox.add_notice(mo.user, "booking", "First booking.", f"/events/{event.slug}/agenda")
    old.created_at = utcnow() - timedelta(hours=1)
    inbox.add_notice(mo.user, "declined", "A suggestion was declined.", "//evil.example")
    db.session.commit()
    auth.login("mo@field.example")
    page = client.get("/inbox").text
    assert page.index("A suggestion was declined.") < page.index("First booking.")
    response = client.get(f"/inbox/notices/{old.id}")
    assert response.headers["Location"].endswith(f"/events/{event.slug}/agenda")
    assert old.read_at is not None
    newest = db.session.scalar(sa.select(Notice).where(Notice.kind == "declined"))
    response = client.get(f"/inbox/notices/{newest.id}")
    assert response.headers["Location"].endswith("/inbox")  # never off the site


def test_someone_elses_notice_is_404(client, auth, trio):
    _, _, mo, _ = trio
    notice = inbox.add_notice(mo.user, "booking", "Booked.")
    db.session.commit()
    auth.login("ana@agro.example")
    assert client.get(f"/inbox/notices/{notice.id}").status_code == 404
    assert notice.read_at is None


def test_received_request_shows_sender_profile_and_why(client, auth, trio):
    event, ana, mo, _ = trio
    ana.organisation.description = "We lend to farms that measure their soil."
    first, second = sorted((ana, mo), key=lambda p: p.id)
    db.session.add(Match(event_id=event.id, participant_a_id=first.id,
                         participant_b_id=second.id, score=0.4, explanation={
                             "partner_offers": [{"offer_title": "Crop loans",
                                                 "request_title": "Farm finance"}]}))  # fmt: skip
    db.session.commit()
    auth.login("mo@field.example")
    page = client.get(f"/events/{event.slug}/requests").text
    assert "We lend to farms that measure their soil." in page
    assert "Why you match:" in page
    assert "Small or medium business" in page or ana.organisation.type_label in page


def test_signup_asks_name_email_then_password(client):
    page = client.get("/auth/signup").text
    assert page.index('name="name"') < page.index('name="email"') < page.index('name="password"')


def test_long_description_is_refused_with_the_limit_not_cut(client, auth, trio):
    auth.login("ana@agro.example")
    form = client.get("/profile").text
    assert 'maxlength="5000"' not in form  # a browser would cut a paste silently
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == "AgroVest"))
    page = client.post("/profile", data={"name": "AgroVest", "country": "RO", "type": "sme",
                                         "description": "y" * 20000}).text  # fmt: skip
    assert "At most 5,000 characters (you wrote 20,000)." in page
    db.session.refresh(organisation)
    assert organisation.description == ""


def test_agenda_shows_breaks_between_meetings(client, auth, trio):
    from matchmaker.services.agenda import personal_agenda

    event, ana, _, _ = trio
    from matchmaker.models import Schedule

    db.session.add(Schedule(event_id=event.id, version=1, status="published"))
    db.session.commit()
    day, rows = personal_agenda(ana).days[0]
    kinds = [("break", r.title) if r.is_break else r.slot.starts_at.strftime("%H:%M") for r in rows]
    assert ("break", "Break") in kinds
    index = kinds.index(("break", "Break"))
    assert kinds[index - 1] < "10:30" <= kinds[index + 1]
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert 'data-testid="break"' in page and "10:30–10:45" in page


def test_dashboard_marks_are_icons_not_emoji(client, auth, trio):
    event, *_ = trio
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/me").text
    assert "✅" not in page and "⬜" not in page
    assert 'aria-label="Done"' in page or 'aria-label="To do"' in page


def test_organizer_reaches_a_pairs_thread_from_the_participants_meetings(client, auth, trio):
    from matchmaker.models import Meeting, Schedule

    event, ana, mo, _ = trio
    schedule = Schedule(event_id=event.id, version=1, status="draft")
    db.session.add(schedule)
    db.session.flush()
    meeting = Meeting.between(schedule, event.slots[0], ana, mo, table=event.tables[0],
                              source="request")  # fmt: skip
    meeting.locked = True
    db.session.add(meeting)
    db.session.commit()
    auth.login("olga@org.example")
    page = client.get(f"/manage/{event.slug}/schedule/1/participants/{ana.id}").text
    assert f"/events/{event.slug}/manage/messages/{ana.id}/{mo.id}" in page
    assert "🔒" not in page and 'aria-label="Locked"' in page


def test_request_page_shows_new_messages_of_the_pair(client, auth, trio):
    event, ana, mo, _ = trio
    db.session.add(Message(event_id=event.id, sender_id=mo.id, receiver_id=ana.id, body="Hi"))
    db.session.add(Message(event_id=event.id, sender_id=mo.id, receiver_id=ana.id, body="?"))
    db.session.commit()
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/requests").text
    assert 'data-testid="unread">2 new</span>' in page
    client.get(_thread(event, mo))
    assert 'data-testid="unread"' not in client.get(f"/events/{event.slug}/requests").text
