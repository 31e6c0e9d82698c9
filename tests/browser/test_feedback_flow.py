from playwright.sync_api import expect

from matchmaker.services import feedback
from tests import after_event
from tests.browser.helpers import log_in


def test_participant_gives_feedback_and_organizer_sees_it_in_the_charts(
    page, make_user, make_event, make_participant
):
    w = after_event.build(make_user, make_event, make_participant)
    feedback.start_round(w.event, "after_event", by=w.olga)
    held_id = w.held.id

    log_in(page, "ana@agro.example")
    page.goto("/events/ict-days/agenda")
    page.get_by_role("link", name="Feedback on my meetings").click()
    expect(page.get_by_test_id("answered")).to_have_text("0 of 2 meetings answered in this round.")
    card = page.get_by_test_id(f"meeting-{held_id}")
    card.get_by_label("Yes").check()
    card.get_by_role("button", name="Save feedback").click()  # usefulness and outcome missing
    expect(card.get_by_text("Say how useful the meeting was, from 1 to 5.")).to_be_visible()
    card.get_by_label("4").check()
    card.get_by_label("Expected outcome").select_option(label="Offer sent")
    card.get_by_label("Comment (optional)").fill("They send a quotation next week.")
    card.get_by_role("button", name="Save feedback").click()
    expect(page.get_by_text("your feedback on the meeting with FieldNode is saved")).to_be_visible()
    expect(page.get_by_test_id(f"meeting-{held_id}").get_by_test_id("saved")).to_be_visible()
    expect(page.get_by_test_id("answered")).to_have_text("1 of 2 meetings answered in this round.")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "olga@organizer.example")
    page.goto("/manage/ict-days")
    page.get_by_role("link", name="Statistics").click()
    expect(page.locator("svg.chart")).to_have_count(10)
    expect(page.get_by_test_id("key-figures")).to_contain_text("50 %Cross-border meetings")
    outcomes = page.get_by_test_id("chart-outcomes")
    expect(outcomes.locator("svg rect")).to_have_count(5)
    expect(outcomes.locator("svg title").first).to_have_text("Expected outcomes")
    outcomes.get_by_text("The numbers").click()
    expect(outcomes.get_by_role("row", name="Offer sent")).to_have_text("Offer sent1")
    usefulness = page.get_by_test_id("chart-usefulness")
    expect(usefulness).to_contain_text("Average 4.0 of 5.")
    heatmap = page.get_by_test_id("chart-heatmap").locator("svg")
    expect(heatmap.locator("title").first).to_have_text("Meetings per slot")
    page.get_by_role("link", name="Report for the funder").click()
    expect(page.get_by_text("Brokerage event report")).to_be_visible()
    # The report keeps four charts (status, cross-border, countries, usefulness) and tables.
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.get_by_test_id("headline-figures")).to_contain_text("What it counts")
    assert page.foreign_requests == []
