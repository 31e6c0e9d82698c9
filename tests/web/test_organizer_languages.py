"""Languages (issue 24) on the organizer's and the reports' pages: headings, flashed messages,
dates and the sentences the services write come in the organizer's language."""

import pytest
from flask_babel import refresh

from matchmaker.services import schedules
from tests.web.test_organizer import EVENT_FORM
from tests.web.test_schedule import event_with_requests  # noqa: F401  (a shared fixture)


@pytest.fixture
def romanian_organizer(make_user, auth, client):
    user = make_user(email="org@example.com", name="Olga Organizer", role="organizer")
    auth.login("org@example.com")
    client.post("/language", data={"locale": "ro", "next": "/"})
    return user


def test_an_organizer_manages_an_event_in_romanian(client, romanian_organizer):
    preview = client.post("/manage/events/new", data={**EVENT_FORM, "preview": "1"}).text
    assert "Creați un eveniment de brokeraj" in preview
    assert "9 intervale × 12 mese" in preview
    assert "marți 01 iunie 2027" in preview  # the day in Romanian, not "Tuesday 01 June"

    page = client.post("/manage/events/new", data=EVENT_FORM, follow_redirects=True).text
    assert "Evenimentul „Black Sea Digital Days” a fost creat ca ciornă, cu 9 intervale." in page
    assert "Organizatori" in page and "Asistenți în ziua evenimentului" in page
    assert "Editați evenimentul" in page and "Edit event" not in page


def test_a_form_error_and_the_statistics_read_in_romanian(client, romanian_organizer):
    bad = client.post("/manage/events/new", data={**EVENT_FORM, "sessions-0-end": "08:00"}).text
    assert "Sfârșitul trebuie să fie după început." in bad

    client.post("/manage/events/new", data=EVENT_FORM)
    stats = client.get("/manage/black-sea-digital-days/statistics").text
    assert '<h1 class="h3 mb-0">Statistici</h1>' in stats
    assert "Participanți pe țări" in stats and "Approved participants" not in stats
    assert "Încă nu există înscrieri" in stats


def test_the_agenda_reads_in_each_reader_s_language(client, event_with_requests):  # noqa: F811
    """One app serves a Greek then an English organizer: words of the first never stick."""
    event, _people = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    refresh()  # generating ran outside a request, in the app context the requests below share
    url = f"/manage/{event.slug}/schedule/{schedule.version}"
    greek = client.get(url, headers={"Accept-Language": "el"}).text
    assert '<span class="badge text-bg-secondary">Προσχέδιο</span>' in greek
    assert "Κανείς δεν έχει κενό διάστημα ανάμεσα σε δύο συναντήσεις της ίδιας ημέρας." in greek
    refresh()  # the test keeps one app context (and so one g) across requests; a server does not
    english = client.get(url, headers={"Accept-Language": "en"}).text
    assert '<span class="badge text-bg-secondary">Draft</span>' in english
    assert "Nobody has an idle gap between two meetings of the same day." in english
