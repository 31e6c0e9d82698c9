"""Languages (issue 24): an email is written in its recipient's language, subject and body,
whatever the language of the person whose action sent it."""

from email.header import decode_header, make_header

import pytest

from matchmaker.extensions import db
from matchmaker.services.requests import send_request


@pytest.fixture
def pair(make_event, make_user, make_participant):
    event = make_event()
    ana = make_participant(event, make_user(email="ana@agro.example", name="Ana"),
                           organisation_name="AgroVest")  # fmt: skip
    nikos = make_participant(event, make_user(email="nikos@olive.example", name="Nikos"),
                             organisation_name="Olive Data", country="GR")  # fmt: skip
    return event, ana, nikos


def _last(outbox):
    message = outbox.messages[-1]
    subject = str(make_header(decode_header(message["Subject"])))
    return subject, message.get_payload(decode=True).decode()


def test_a_request_to_a_greek_reader_is_written_in_greek(app, outbox, pair):
    event, ana, nikos = pair
    nikos.user.locale = "el"
    db.session.commit()
    send_request(ana, nikos, "Let us talk about sensors", by=ana.user)
    subject, body = _last(outbox)
    assert subject == "Ο οργανισμός AgroVest σας ζητά συνάντηση"
    assert body.startswith("Γεια σας, Nikos,")
    assert "θα ήθελε να σας συναντήσει στην εκδήλωση ICT Brokerage Days" in body
    assert "Let us talk about sensors" in body  # the sender's own words stay as written
    assert "Hello" not in body and "would like to meet" not in body


def test_an_organizer_s_language_does_not_leak_into_a_participant_s_mail(
    app, client, auth, outbox, pair
):
    """Ana browses in Romanian; Nikos never chose a language, so he reads English."""
    event, ana, nikos = pair
    ana.user.locale = "ro"
    db.session.commit()
    auth.login("ana@agro.example")
    page = client.post(f"/events/{event.slug}/requests/new/{nikos.id}",
                       data={"message": "Hi"}, follow_redirects=True).text  # fmt: skip
    assert "Cerere trimisă către Olive Data." in page  # her page speaks Romanian
    subject, body = _last(outbox)
    assert subject == "AgroVest asks you for a meeting"
    assert body.startswith("Hello Nikos,")
