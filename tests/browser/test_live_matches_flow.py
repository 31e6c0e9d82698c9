"""Issue 17 (a) in a real browser: a new company signs up, confirms its email, registers,
sees a preview while it waits, is approved by the organizer, and then sees its suggestions,
with no organizer ever pressing "run matching"."""

import os
import re

from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Event
from tests.browser.helpers import link_mailed_to, log_in, log_out
from tests.conftest import PASSWORD, Outbox

SHOTS = os.environ.get("MATCHMAKER_SHOTS_DIR")  # screenshots of the matches page, if set


def test_new_company_registers_is_approved_and_sees_suggestions_without_a_run(
    page, app, make_user, make_event, make_participant, live_server
):
    outbox = Outbox(app.config["OUTBOX_DIR"])
    organizer = make_user(email="olga@cluster.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    for i, (name, offer) in enumerate(
        [
            ("FieldNode", "LoRaWAN soil moisture sensors for irrigation"),
            ("AgriDrone", "Drones mapping crops for precision farming"),
            ("PixelPlay", "Mobile games for children"),
        ]
    ):
        make_participant(
            event, make_user(email=f"p{i}@x.example", name=f"Person {i}"),
            organisation_name=name, offers=[offer], country=("RS", "BG", "GR")[i],
        )  # fmt: skip
    slug = event.slug

    page.goto("/auth/signup")
    page.get_by_label("Your name").fill("Eve Ionescu")
    page.get_by_label("Work email").fill("eve@vineyard.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Check your inbox")).to_be_visible()
    link = link_mailed_to(outbox, "eve@vineyard.example")
    page.goto(live_server + "/auth/verify/" + link.rsplit("/", 1)[-1])
    log_in(page, "eve@vineyard.example")

    page.goto(f"/events/{slug}/register")
    page.get_by_label("Organisation name").fill("Dealu Vineyards")
    page.get_by_label("Country").select_option("RO")
    page.get_by_label("What does your organisation do?").fill(
        "A family vineyard in Dealu Mare irrigating 40 hectares."
    )
    page.get_by_role("button", name="Save profile").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("You are registered")).to_be_visible()

    page.goto(f"/events/{slug}/me/opportunities/new")
    page.get_by_label("I…").select_option("request")
    page.get_by_label("Title").fill("Soil moisture sensors for vineyard irrigation")
    page.get_by_label("Description").fill("LoRaWAN sensors telling us when to irrigate.")
    page.get_by_role("button", name="Save opportunity").click()

    page.goto(f"/events/{slug}/matches")
    expect(page.get_by_test_id("pending-preview")).to_contain_text(
        "Your registration waits for the organizers’ approval; until then partners do not see you"
    )
    expect(page.get_by_test_id("match").first).to_contain_text("FieldNode")
    expect(page.get_by_role("link", name="Request a meeting")).to_have_count(0)
    log_out(page)

    log_in(page, "olga@cluster.example")
    page.goto(f"/manage/{slug}/participants")
    page.locator("tr", has_text="Dealu Vineyards").get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Dealu Vineyards: Approved.")).to_be_visible()
    log_out(page)

    log_in(page, "eve@vineyard.example")
    page.goto(f"/events/{slug}/matches")
    first = page.get_by_test_id("match").first
    expect(first).to_contain_text("FieldNode")
    expect(first.get_by_test_id("band")).to_have_text(re.compile(r"(Strong|Good|Possible) match"))
    expect(first.get_by_test_id("reason")).to_contain_text(
        "They offer “LoRaWAN soil moisture sensors for irrigation”"
    )
    expect(first.get_by_role("link", name="Request a meeting")).to_be_visible()
    expect(page.get_by_test_id("pending-preview")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("%")
    assert db.session.get(Event, event.id).matched_at is None  # nobody ran matching

    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/matches-{width}.png", full_page=True)
    assert page.foreign_requests == []
