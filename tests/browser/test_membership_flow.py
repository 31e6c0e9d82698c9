"""Issue 16 in a real browser: sign up, confirm the email from the outbox, ask to join an
existing organisation, a member approves, and the joiner then edits the profile."""

from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Organisation, User
from tests.browser.helpers import link_mailed_to, log_in, log_out
from tests.conftest import PASSWORD, Outbox


def test_joiner_confirms_email_asks_to_join_member_approves_joiner_edits(
    page, app, make_user, live_server
):
    outbox = Outbox(app.config["OUTBOX_DIR"])
    ion = make_user(email="ion@agrovest.example", name="Ion Dumitrescu")
    ion.organisation = Organisation(
        name="AgroVest Cooperative", country="RO", type="sme", city="Craiova"
    )
    db.session.commit()
    organisation_id = ion.organisation_id

    page.goto("/auth/signup")
    page.get_by_label("Your name").fill("Eve Ionescu")
    page.get_by_label("Work email").fill("eve@agrovest.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(
        page.get_by_text("Check your inbox: we sent a link to eve@agrovest.example")
    ).to_be_visible()

    # The link in the mail is built on BASE_URL; open it on the test server.
    link = link_mailed_to(outbox, "eve@agrovest.example")
    page.goto(live_server + "/auth/verify/" + link.rsplit("/", 1)[-1])
    expect(page.get_by_text("Thank you: eve@agrovest.example is confirmed.")).to_be_visible()

    log_in(page, "eve@agrovest.example")
    expect(page.get_by_test_id("verify-banner")).to_have_count(0)
    page.get_by_role("link", name="Organisation profile", exact=True).click()
    page.get_by_label("Organisation name").fill("agrovest cooperative")
    page.get_by_label("Country").select_option("RO")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("We asked the members of AgroVest Cooperative")).to_be_visible()
    expect(page.get_by_test_id("join-waiting")).to_contain_text("waiting for a member's approval")
    log_out(page)

    log_in(page, "ion@agrovest.example")
    page.get_by_role("link", name="Organisation profile", exact=True).click()
    page.get_by_role("link", name="Members of AgroVest Cooperative").click()
    requests = page.get_by_test_id("join-requests")
    expect(requests).to_contain_text("Eve Ionescu")
    requests.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Eve Ionescu joined AgroVest Cooperative.")).to_be_visible()
    expect(page.get_by_test_id("members")).to_contain_text("Eve Ionescu")
    log_out(page)

    log_in(page, "eve@agrovest.example")
    page.get_by_role("link", name="Organisation profile", exact=True).click()
    expect(page.get_by_label("Organisation name")).to_have_value("AgroVest Cooperative")
    page.get_by_label("City").fill("Dolj")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Organisation profile saved.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Organisation, organisation_id).city == "Dolj"
    eve = db.session.scalar(db.select(User).where(User.email == "eve@agrovest.example"))
    assert eve.organisation_id == organisation_id
    assert page.foreign_requests == []
