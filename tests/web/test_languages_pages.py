"""Languages (issue 24) on the public and account pages: a reader of another language sees the
page, its form's labels and errors, and the vocabulary labels in that language."""

from matchmaker.extensions import db
from matchmaker.models import User

UKRAINIAN = {"Accept-Language": "uk-UA,uk;q=0.9"}
GREEK = {"Accept-Language": "el-GR,el;q=0.9"}


def test_the_sign_up_page_speaks_ukrainian(client):
    page = client.get("/auth/signup", headers=UKRAINIAN).text
    assert '<html lang="uk">' in page
    assert "Створіть свій обліковий запис" in page  # the heading
    assert "Робочий email" in page and "Повторіть пароль" in page  # the form's labels
    assert "Create your account" not in page and "Work email" not in page


def test_a_sign_up_error_is_said_in_ukrainian_and_nothing_is_created(client):
    response = client.post(
        "/auth/signup",
        headers=UKRAINIAN,
        data={
            "name": "Олена Коваль",
            "email": "olena@example.com",
            "password": "short",
            "confirm": "short",
        },
    )
    assert response.status_code == 200
    assert "Пароль має містити щонайменше 10 символів." in response.text
    assert "The password needs" not in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_the_public_event_page_speaks_greek_with_its_status(client, make_event):
    make_event(slug="ict-days", title="ICT Brokerage Days")
    page = client.get("/events/ict-days", headers=GREEK).text
    assert '<html lang="el">' in page
    assert "Εγγραφές ανοιχτές" in page  # the status label "Registration open"
    assert "Εγγραφείτε σε αυτή την εκδήλωση" in page  # the call to action
    assert "Ημέρες συναντήσεων" in page  # "Meeting days"
    assert "Τρίτη 18 Μαΐου 2027" in page  # the day, named and dated in Greek
    assert "Registration open" not in page and "Meeting days" not in page


def test_country_names_follow_the_reader_s_language(
    client, make_user, make_event, make_participant
):
    event = make_event(slug="ict-days")
    make_participant(event, make_user(email="ana@example.com"), country="DE", status="approved")
    page = client.get("/events/ict-days", headers=GREEK).text
    assert "Γερμανία" in page and "Germany" not in page
