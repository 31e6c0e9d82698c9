"""Languages (issue 24): the event-day pages and the exports speak the reader's language,
with dates, times and percentages in its notation."""

import csv
import io
from datetime import timedelta

import pytest

from matchmaker.extensions import db
from matchmaker.services import eventday
from matchmaker.services.accounts import find_user
from tests import after_event
from tests.services.test_eventday import build_day

SLUG = "ict-days"


def _speaks(email, locale):
    find_user(email).locale = locale
    db.session.commit()


@pytest.fixture
def day(make_user, make_event, make_participant, monkeypatch):
    world = build_day(make_user, make_event, make_participant)
    moment = world.slots[0].starts_at + timedelta(minutes=5)
    monkeypatch.setattr(eventday, "local_now", lambda event: moment)
    return world


def test_a_romanian_helper_runs_the_day_in_romanian(client, auth, day):
    _speaks("hal@org.example", "ro")
    auth.login("hal@org.example")
    page = " ".join(client.get(f"/manage/{SLUG}/day").text.split())
    assert "Întâlniri la 09:00–09:25" in page
    assert "marți 18 mai 2027" in page  # the slot's day, weekday and month in Romanian
    assert "Neprezentare: Ana" in page and "Nemarcată încă" in page
    assert "Completați acest interval" in page
    assert "Meetings at" not in page and "Not yet marked" not in page
    desk = " ".join(client.get(f"/manage/{SLUG}/checkin").text.split())
    assert "Recepție" in desk and "prezenți" in desk and "Înregistrează sosirea" in desk
    # A flash after an action is Romanian too.
    ana_bo = day.m["ana_bo"]
    done = client.post(f"/manage/{SLUG}/day/meetings/{ana_bo.id}/status",
                       data={"status": "held"}, follow_redirects=True).text  # fmt: skip
    assert f"Întâlnirea {ana_bo.code}: A avut loc." in done


def test_exports_are_headed_in_the_language_of_who_downloads_them(
    client, auth, make_user, make_event, make_participant
):
    after_event.build(make_user, make_event, make_participant)
    _speaks("olga@organizer.example", "el")
    auth.login("olga@organizer.example")
    response = client.get(f"/manage/{SLUG}/export/meetings.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Ξεκινά στις", "Λήγει στις", "Τραπέζι"]
    statuses = {row[11] for row in rows[1:]}
    assert "Έγινε" in statuses  # a meeting's status, a label of the app, is Greek as well
    assert statuses <= {"Έγινε", "Μη προσέλευση", "Ακυρώθηκε", "Προγραμματισμένη"}
