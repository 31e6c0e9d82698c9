"""Browser test (b) of issue 17: where participants book, a participant requests a meeting in
a time they pick, the partner accepts, both agendas show it with a table before any organizer
action, and the calendar file holds it. Screenshots at 1280 and 390 px go to SHOTS when set."""

import os
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.helpers import log_in, log_out

SHOTS = os.environ.get("MATCHMAKER_SHOTS")  # a folder for screenshots (optional)


def _shots(page, name):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_participant_books_a_chosen_time_and_both_agendas_and_the_calendar_show_it(
    page, make_user, make_event, make_participant
):
    event = make_event(scheduling_mode="participants", tables=2, title="Agri-Tech Brokerage")
    make_participant(
        event, make_user(email="ana@agro.example", name="Ana Pop"), organisation_name="AgroVest"
    )
    field = make_participant(
        event, make_user(email="mo@field.example", name="Mo Ilic"), organisation_name="FieldNode"
    )

    log_in(page, "ana@agro.example")
    page.goto(f"/events/{event.slug}/requests/new/{field.id}")
    choices = page.get_by_test_id("slot-choices")
    expect(choices).to_contain_text("Tuesday 18 May")
    page.get_by_text("09:30–09:55").first.click()
    page.get_by_text("10:00–10:25").first.click()
    page.get_by_label("Message").fill("Your sensors and our growers: shall we meet?")
    _shots(page, "request-form")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent to FieldNode.")).to_be_visible()
    expect(page.get_by_test_id("outgoing")).to_contain_text(
        "You proposed: Tue 18 May, 09:30–09:55; Tue 18 May, 10:00–10:25"
    )
    log_out(page)

    log_in(page, "mo@field.example")
    page.goto(f"/events/{event.slug}/requests")
    page.get_by_test_id("accept-slot").select_option(label="Tue 18 May, 10:00–10:25")
    page.get_by_role("button", name="Accept and book").click()
    expect(
        page.get_by_text("Meeting booked: Tue 18 May, 10:00–10:25, Table 1. It is in both agendas.")
    ).to_be_visible()
    expect(page.get_by_test_id("booked-meeting")).to_contain_text("Tue 18 May, 10:00–10:25")
    _shots(page, "requests-booked")
    page.goto(f"/events/{event.slug}/agenda")
    expect(page.locator("main")).to_contain_text("AgroVest")
    log_out(page)

    log_in(page, "ana@agro.example")
    page.goto(f"/events/{event.slug}/agenda")
    main = page.locator("main")
    expect(main).to_contain_text("FieldNode")
    expect(main).to_contain_text("10:00")
    expect(main).to_contain_text("Table 1")
    _shots(page, "agenda-after-booking")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download calendar (.ics)").click()
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    (meeting,) = [c for c in calendar.walk("VEVENT")]
    assert "FieldNode" in str(meeting["SUMMARY"])
    start = meeting.decoded("DTSTART")
    assert (start.month, start.day, start.hour, start.minute) == (5, 18, 10, 0)
    assert page.foreign_requests == []
