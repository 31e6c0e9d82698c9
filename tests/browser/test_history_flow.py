"""Memory across events in a real browser: a company starts its registration from last
year's offers and needs, and a pair that met last year sees how it went on its matches.

With MATCHMAKER_SHOTS=<folder>, screenshots of the changed pages are written there at 1280 and
390 px wide (memory-*.png)."""

import os
from pathlib import Path

from playwright.sync_api import expect

from matchmaker.services import matchmaking
from tests import history_world
from tests.browser.helpers import log_in

SHOTS = os.environ.get("MATCHMAKER_SHOTS")


def _shoot(page, name):
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"memory-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_company_starts_its_registration_from_last_years_offers(page, make_user):
    history_world.build(make_user)
    log_in(page, "lia@lumen.example")

    page.goto("/events/ict-2027/register")
    preview = page.get_by_test_id("start-from")
    expect(preview).to_contain_text("Start from your offers and needs at BBS ICT Days 2026")
    expect(preview.get_by_role("listitem")).to_have_count(4)
    _shoot(page, "register")
    page.get_by_label("In one line, what are you looking for at this event?").fill("Growers")
    page.get_by_role(
        "button", name="Register and start from my offers and needs at BBS ICT Days 2026"
    ).click()

    expect(page.get_by_text("with your offers and needs from BBS ICT Days 2026")).to_be_visible()
    expect(page.get_by_test_id("opportunity")).to_have_count(4)
    lighting = page.get_by_test_id("opportunity").filter(has_text="Smart greenhouse lighting")
    lighting.get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("Smart greenhouse lighting, 2027 range")
    page.get_by_role("button", name="Save opportunity").click()
    expect(page.get_by_text("Saved “Smart greenhouse lighting, 2027 range”.")).to_be_visible()
    expect(page.get_by_test_id("opportunity")).to_have_count(4)


def test_registration_page_offers_the_copy_while_it_has_none(page, make_user):
    history_world.build(make_user)
    log_in(page, "eve@labs.example")
    page.goto("/events/ict-2027/register")
    page.get_by_role("button", name="Register and write new ones").click()

    expect(page.get_by_test_id("start-from")).to_contain_text("Lab tests of grain quality")
    _shoot(page, "dashboard")
    page.get_by_role("button", name="Start from my offers and needs at Agri Forum 2026").click()

    expect(page.get_by_text("Copied 2 offers and needs from Agri Forum 2026")).to_be_visible()
    expect(page.get_by_test_id("opportunity")).to_have_count(2)
    expect(page.get_by_test_id("start-from")).to_have_count(0)


def test_pair_that_met_before_sees_its_earlier_outcome(page, make_user):
    world = history_world.build(make_user)
    matchmaking.compute_matches(world.this)
    log_in(page, "bogdan@soft.example")

    page.goto("/events/ict-2027/matches?more=1")
    agro = page.get_by_test_id("match").filter(has_text="AgroVest")
    expect(agro.get_by_test_id("met-before")).to_contain_text(
        "Met at BBS ICT Days 2026: follow-up planned"
    )
    agro.get_by_text("More reasons").click()
    expect(agro.get_by_test_id("met-before-why")).to_contain_text(
        "The latest feedback on that meeting says: follow-up planned."
    )
    danube = page.get_by_test_id("match").filter(has_text="Danube Data")
    expect(danube.get_by_test_id("met-before")).to_have_count(0)
    _shoot(page, "matches")


def test_organizer_sees_and_sets_the_met_before_policy(page, make_user):
    history_world.build(make_user)
    log_in(page, "olga@bbs.example")

    page.goto("/manage/ict-2027/matching")
    expect(page.get_by_test_id("met-before-summary")).to_contain_text(
        "3 pairs of organisations registered here met at one of them, 1 with a follow-up"
    )
    page.get_by_label("Pairs who met at an earlier event of the network").select_option(
        label="Propose a follow-up meeting where the outcome says so"
    )
    page.get_by_role("button", name="Save options").click()

    expect(page.get_by_text("Matching options saved")).to_be_visible()
    expect(page.get_by_label("Pairs who met at an earlier event of the network")).to_have_value(
        "follow_up"
    )
    _shoot(page, "matching")
