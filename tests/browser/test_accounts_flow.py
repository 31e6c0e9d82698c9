from playwright.sync_api import expect

from tests.conftest import PASSWORD


def test_new_user_signs_up_logs_in_sees_dashboard_and_logs_out(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name").fill("Elena Dimitrova")
    page.get_by_label("Work email").fill("elena@sofia-soft.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Not logged in yet: the same answer as for a taken email (issue 16).
    expect(
        page.get_by_text("Check your inbox: we sent a link to elena@sofia-soft.example")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    page.get_by_label("Email").fill("elena@sofia-soft.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Elena Dimitrova")).to_be_visible()
    expect(page.get_by_text("You have not registered for an event yet")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert page.foreign_requests == []
