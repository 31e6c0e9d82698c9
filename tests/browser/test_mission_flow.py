"""An economic mission in a real browser: the organizer sets up the delegation and the hosts
from the preset, puts the participants in them by country and runs matching; a delegate then
sees only hosts among its matches, and cannot ask another delegate for a meeting."""

import re
from pathlib import Path

from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Organisation
from tests.browser.helpers import log_in, log_out

SHOTS = Path("/work/notes/shots")
OFFER = "ERP integration for manufacturing companies"
NEED = "ERP integration partners in manufacturing"
DELEGATES = {"Dan": "Dacia Soft", "Dora": "Danubius Data"}
HOSTS = {"Hana": "Hincesti Works", "Hugo": "Hotin Foods"}


def _mission(make_user, make_event, make_participant):
    organizer = make_user(email="olga@org.example", name="Olga Organizer", role="organizer")
    event = make_event(
        slug="ro-md-mission",
        title="Romanian ICT mission to Chișinău",
        organizer=organizer,
        kind="mission",
        participants_public=True,
    )
    for people, country in ((DELEGATES, "RO"), (HOSTS, "MD")):
        for name, company in people.items():
            user = make_user(email=f"{name.lower()}@x.example", name=name)
            participant = make_participant(
                event, user, organisation_name=company, country=country,
                offers=[OFFER], requests=[NEED],
            )  # fmt: skip
            user.organisation = participant.organisation
    db.session.commit()
    return event


def _screenshots(page, pages):
    """Each of `pages` ({name: path}) at a desktop's and a phone's width, into SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            page.goto(path)
            page.screenshot(path=str(SHOTS / f"missions-{name}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_delegate_is_matched_only_with_hosts(page, make_user, make_event, make_participant):
    event = _mission(make_user, make_event, make_participant)
    slug = event.slug

    log_in(page, "olga@org.example")
    page.goto(f"/manage/{slug}")
    page.get_by_role("link", name="Groups").click()
    page.get_by_role("button", name="Set up Delegation and Hosts").click()
    expect(page.get_by_text("Groups “Delegation” and “Hosts” are ready")).to_be_visible()
    expect(page.get_by_label("Delegation may meet Hosts")).to_be_checked()
    expect(page.get_by_label("Delegation may meet Delegation")).not_to_be_checked()
    expect(page.get_by_label("Hosts may meet Hosts")).not_to_be_checked()

    rules = page.get_by_test_id("assign-by-country")
    for country, group in (("Romania (2)", "Delegation"), ("Moldova (2)", "Hosts")):
        rules.get_by_label("Everyone from").select_option(label=country)
        rules.get_by_label("to the group").select_option(label=group)
        rules.get_by_role("button", name="Move them").click()
        expect(page.get_by_text(f"2 participants from {country[:-4]} are now in")).to_be_visible()
    expect(page.get_by_test_id("group-row").first).to_contain_text("2 participants")
    delete = page.get_by_test_id("group-row").first.get_by_role("link", name="Delete")
    _screenshots(
        page,
        {
            "groups": f"/manage/{slug}/groups",
            "participants": f"/manage/{slug}/participants",
            "group-delete": delete.get_attribute("href"),
        },
    )

    page.goto(f"/manage/{slug}/matching")
    page.get_by_role("button", name="Run matching").click()
    expect(page).to_have_url(re.compile(rf"/manage/{slug}/matching$"), timeout=60_000)
    log_out(page)

    log_in(page, "dan@x.example")
    page.goto(f"/events/{slug}/matches")
    names = page.get_by_test_id("match").get_by_role("heading").all_inner_texts()
    assert sorted(n.strip() for n in names) == sorted(HOSTS.values())

    page.goto(f"/events/{slug}/participants")
    page.get_by_role("link", name=DELEGATES["Dora"]).first.click()
    expect(page.get_by_role("button", name="Request a meeting")).to_be_disabled()
    expect(page.get_by_test_id("may-not-meet")).to_contain_text(
        "Danubius Data is in the group “Delegation” like you"
    )
    log_out(page)

    # A newcomer picks its side when it registers.
    nia = make_user(email="nia@x.example", name="Nia")
    nia.organisation = Organisation(name="Nistru Labs", country="MD", type="sme")
    db.session.commit()
    log_in(page, "nia@x.example")
    page.goto(f"/events/{slug}/register")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Say which side of the mission you are on.")).to_be_visible()
    _screenshots(page, {"register": f"/events/{slug}/register"})
    page.get_by_label("Your group").select_option(label="Hosts")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("You are registered.")).to_be_visible()
    assert page.foreign_requests == []
