"""Languages (issue 24): a participant switches to Romanian with the footer switcher and reads
the agenda, its dates and the printable agenda in Romanian."""

from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Meeting, Schedule
from tests.browser.helpers import log_in


def test_participant_reads_the_agenda_in_romanian(page, app, make_user, make_event,
                                                  make_participant):  # fmt: skip
    event = make_event(status="agenda_published", venue="Palatul Parlamentului")
    ana = make_participant(event, make_user(email="ana@agro.example", name="Ana"),
                           organisation_name="AgroVest")  # fmt: skip
    mo = make_participant(event, make_user(email="mo@field.example", name="Mo"),
                          organisation_name="FieldNode", country="RS")  # fmt: skip
    schedule = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    db.session.add(Meeting.between(schedule, event.slots[1], ana, mo, table=event.tables[0],
                                   source="manual", code="A1B2"))  # fmt: skip
    db.session.commit()

    log_in(page, "ana@agro.example")
    page.goto(f"/events/{event.slug}/agenda")
    expect(page.get_by_role("heading", name="My agenda", exact=True)).to_be_visible()
    expect(page.get_by_test_id("agenda-day").first).to_contain_text("Tuesday 18 May 2027")

    page.get_by_label("Language").select_option("ro")  # the switcher submits itself
    expect(page.get_by_role("heading", name="Agenda mea", exact=True)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "ro"
    days = page.get_by_test_id("agenda-day")
    expect(days.first).to_contain_text("marți 18 mai 2027")  # weekday and month in Romanian
    expect(days.last).to_contain_text("miercuri 19 mai 2027")
    meeting = page.get_by_test_id("meeting")
    expect(meeting).to_contain_text("09:30–09:55")
    expect(meeting).to_contain_text("Masa 1")
    expect(page.get_by_test_id("meeting-count")).to_have_text(
        "1 întâlnire la Palatul Parlamentului."
    )
    expect(page.get_by_text("Descarcă calendarul (.ics)")).to_be_visible()

    # The choice stays with the account: the printable agenda is Romanian too.
    page.get_by_role("link", name="Agendă de tipărit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("agenda pentru AgroVest")
    expect(page.get_by_test_id("agenda-day").first).to_contain_text("marți 18 mai 2027")
    expect(page.get_by_text("Tipăriți această pagină din browser")).to_be_visible()
