import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Feedback
from matchmaker.services import feedback
from tests import after_event

URL = "/events/ict-days/feedback"


@pytest.fixture
def w(make_user, make_event, make_participant):
    return after_event.build(make_user, make_event, make_participant)


@pytest.fixture
def open_round(w):
    return feedback.start_round(w.event, "after_event", by=w.olga)[0]


def _answer(meeting, **fields):
    data = {"held": "yes", "usefulness": "4", "outcome": "offer_sent", "comment": "Promising"}
    data.update(fields)
    return {f"m{meeting.id}-{key}": value for key, value in data.items() if value is not None}


def _answers():
    return db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()


def test_page_lists_own_meetings_only(client, auth, w, open_round):
    auth.login("ana@agro.example")
    page = client.get(URL).text
    assert "FieldNode" in page and "Eve Labs" in page
    assert f'id="meeting-{w.cancelled.id}"' not in page  # Mo and Eve's meeting
    assert "0 of 2 meetings answered" in page


def test_participant_submits_feedback_and_sees_it_saved(client, auth, w, open_round):
    auth.login("ana@agro.example")
    response = client.post(f"{URL}/{w.held.id}", data=_answer(w.held), follow_redirects=True)
    assert "your feedback on the meeting with FieldNode is saved" in response.text
    assert "1 of 2 meetings answered" in response.text
    [answer] = _answers()
    assert (answer.participant_id, answer.held, answer.usefulness, answer.outcome) == (
        w.ana.id, True, 4, "offer_sent",
    )  # fmt: skip


def test_another_participants_meeting_answers_404(client, auth, w, open_round):
    auth.login("dan@danube.example")  # approved, but not in this meeting
    assert client.post(f"{URL}/{w.held.id}", data=_answer(w.held)).status_code == 404
    auth.login("eve@labs.example")
    assert client.post(f"{URL}/{w.held.id}", data=_answer(w.held)).status_code == 404
    assert _answers() == []


def test_invalid_answer_shows_what_to_fix_and_saves_nothing(client, auth, w, open_round):
    auth.login("ana@agro.example")
    response = client.post(f"{URL}/{w.held.id}", data=_answer(w.held, usefulness=None,
                                                               outcome=""))  # fmt: skip
    assert response.status_code == 200
    assert "Say how useful the meeting was, from 1 to 5." in response.text
    assert "Choose the expected outcome of the meeting." in response.text
    assert _answers() == []


def test_cancelled_meeting_can_only_be_not_held(client, auth, w, open_round):
    auth.login("eve@labs.example")
    response = client.post(
        f"{URL}/{w.cancelled.id}", data=_answer(w.cancelled), follow_redirects=True
    )
    assert "it can only be answered as not held" in response.text
    client.post(f"{URL}/{w.cancelled.id}", data=_answer(w.cancelled, held="no", usefulness=None,
                                                        outcome=""))  # fmt: skip
    assert [(a.meeting_id, a.held) for a in _answers()] == [(w.cancelled.id, False)]


def test_before_any_round_the_page_says_when_feedback_opens(client, auth, w):
    auth.login("ana@agro.example")
    assert "Feedback opens after the event" in client.get(URL).text
    client.post(f"{URL}/{w.held.id}", data=_answer(w.held), follow_redirects=True)
    assert _answers() == []


def test_an_answer_before_any_round_is_refused_with_a_message(client, auth, w):
    auth.login("ana@agro.example")
    response = client.post(f"{URL}/{w.held.id}", data=_answer(w.held), follow_redirects=True)
    assert "Feedback is not open for this event yet" in response.text
    assert _answers() == []


def test_follow_up_round_fills_in_the_earlier_answer(client, auth, w, open_round):
    auth.login("ana@agro.example")
    client.post(f"{URL}/{w.held.id}", data=_answer(w.held))
    feedback.start_round(w.event, "follow_up", by=w.olga)
    page = client.get(URL).text
    assert "In round 1 you said: held, offer sent." in page
    assert "0 of 2 meetings answered" in page


def test_participant_without_meetings_is_told_so(client, auth, w, open_round):
    auth.login("dan@danube.example")
    assert "No meetings to give feedback on" in client.get(URL).text


def _mailed_link(outbox, email):
    mail = [m for m in outbox.messages if m["To"] == email][-1]
    return re.search(r"https?://\S+", mail.get_payload(decode=True).decode()).group(0)


def test_email_link_opens_the_form_without_login(client, w, outbox):
    feedback.start_round(w.event, "after_event", by=w.olga)  # outside a request: BASE_URL
    link = _mailed_link(outbox, "ana@agro.example")
    assert link.startswith(f"http://127.0.0.1:5000{URL}/link/")
    path = urlsplit(link).path
    page = client.get(path).text  # nobody is logged in
    assert "0 of 2 meetings answered" in page and "FieldNode" in page
    response = client.post(f"{path}/{w.held.id}", data=_answer(w.held), follow_redirects=True)
    assert "your feedback on the meeting with FieldNode" in response.text
    assert [(a.participant_id, a.meeting_id) for a in _answers()] == [(w.ana.id, w.held.id)]


def test_email_link_works_only_for_its_persons_meetings(client, w, outbox):
    feedback.start_round(w.event, "after_event", by=w.olga)
    path = urlsplit(_mailed_link(outbox, "ana@agro.example")).path
    # Mo and Eve's cancelled meeting is not Ana's: her link cannot answer it.
    response = client.post(f"{path}/{w.cancelled.id}", data=_answer(w.cancelled, held="no"))
    assert response.status_code == 404
    assert client.get(f"{URL}/link/{path.rsplit('/', 1)[1][:-3]}abc").status_code == 404
    assert client.get(path.replace("ict-days", "agri-forum")).status_code == 404
    assert _answers() == []


def test_email_link_of_an_earlier_round_no_longer_works(client, w, outbox):
    feedback.start_round(w.event, "after_event", by=w.olga)
    old = urlsplit(_mailed_link(outbox, "ana@agro.example")).path
    feedback.start_round(w.event, "follow_up", by=w.olga)
    assert client.get(old).status_code == 404
    new = urlsplit(_mailed_link(outbox, "ana@agro.example")).path
    assert "Follow-up (round 2)" in client.get(new).text


def test_follow_up_says_earlier_answers_are_filled_in_only_when_there_are(client, auth, w):
    feedback.start_round(w.event, "after_event", by=w.olga)
    feedback.start_round(w.event, "follow_up", by=w.olga)
    auth.login("ana@agro.example")
    assert "Your earlier answers are filled in" not in client.get(URL).text
