"""Issue 23 in a real browser: a network administrator adds a member, hands it the chair
after confirming, and the public network page shows the new chair and the old term in the
history."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.helpers import log_in, log_out
from tests.browser.test_small_screens import OVERFLOW
from tests.network_factories import make_chair, make_member, make_network


def test_network_admin_adds_member_and_hands_over_the_chair(page, app, make_user, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    nadia = make_user(email="nadia@network.example", name="Nadia", role="organizer")
    network = make_network(admins=[nadia])
    make_chair(network, make_member(network, "Romanian ICT Cluster"), date(2024, 1, 1))

    log_in(page, "nadia@network.example")
    page.goto("/networks/danube-ict")
    page.get_by_role("link", name="Manage the network").click()
    page.get_by_role("link", name="Add a member").first.click()
    page.get_by_label("Name of the organisation").fill("ICT Cluster Bulgaria")
    page.get_by_label("Country").select_option("BG")
    page.get_by_label("City").fill("Sofia")
    page.get_by_label("Kind of member").select_option("cluster")
    page.get_by_role("button", name="Save member").click()
    expect(page.get_by_text("ICT Cluster Bulgaria is now a member of Danube ICT Network.")
           ).to_be_visible()  # fmt: skip

    chair = page.get_by_test_id("chair")
    chair.get_by_label("New chair").select_option(label="ICT Cluster Bulgaria")
    chair.get_by_role("button", name="Hand over the chair…").click()
    expect(page.get_by_role("heading", name="Hand the chair to ICT Cluster Bulgaria?")
           ).to_be_visible()  # fmt: skip
    page.get_by_role("button", name="Yes, hand over the chair").click()
    today = date.today()
    expect(page.get_by_text(f"ICT Cluster Bulgaria holds the chair from {today:%d %B %Y}.")
           ).to_be_visible()  # fmt: skip
    log_out(page)

    page.goto("/networks/danube-ict")
    expect(page.get_by_test_id("current-chair")).to_have_text("ICT Cluster Bulgaria")
    history = page.get_by_test_id("chair-history")
    yesterday = today - timedelta(days=1)
    expect(history).to_contain_text(f"Romanian ICT Cluster 01 Jan 2024 – {yesterday:%d %b %Y}")
    expect(page.get_by_test_id("members")).to_contain_text("Cluster · Bulgaria, Sofia")
    assert page.foreign_requests == []


def test_network_pages_fit_a_phone(page, app, make_user):
    nadia = make_user(email="nadia@network.example", name="Nadia", role="organizer")
    network = make_network(admins=[nadia])
    long_name = "Asociația Clusterului de Tehnologia Informației și Comunicațiilor din Moldova"
    make_chair(network, make_member(network, long_name, country="MD"), date(2024, 1, 1))
    make_member(network, "ICT Cluster Bulgaria", country="BG")
    log_in(page, "nadia@network.example")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("", "/manage", "/statistics", "/log"):
        page.goto(f"/networks/danube-ict{path}")
        assert page.evaluate(OVERFLOW) == {"page": 0, "boxes": []}, path
